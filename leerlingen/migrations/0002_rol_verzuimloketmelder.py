"""The role *verzuimloketmelder* as a group holding the permission of the same name."""

from django.db import migrations


def maak_rol(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="leerlingen", model="machtiging")
    permissie, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="verzuimloketmelder",
        defaults={"name": "Verzuimloketmelder: mag verzuim melden"},
    )
    groep, _ = Group.objects.get_or_create(name="verzuimloketmelder")
    groep.permissions.add(permissie)


def verwijder_rol(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="verzuimloketmelder").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("leerlingen", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(maak_rol, verwijder_rol)]
