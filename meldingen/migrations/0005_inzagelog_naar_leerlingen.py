# The inzagelog moved to the leerlingen app (who looked at which pupil belongs to the pupil
# register, and Zoek leerling, which leerlingen owns, must write it too). Its entries are
# copied before the old table goes; the melding is kept as its number.

from django.db import migrations

HANDELINGEN = {
    "leerling overzicht": ("leerling_overzicht", ""),
    "melding details": ("melding_details", ""),
    "melding intrekken": ("melding_intrekken", ""),
}


def kopieer(apps, schema_editor):
    Oud = apps.get_model("meldingen", "Inzage")
    Nieuw = apps.get_model("leerlingen", "Inzage")
    for oud in Oud.objects.select_related("melding").iterator():
        handeling, detail = HANDELINGEN.get(oud.handeling, ("melding_wijzigen", ""))
        if oud.handeling.startswith("melding wijzigen ("):
            detail = oud.handeling.removeprefix("melding wijzigen (").removesuffix(")")
        nieuw = Nieuw.objects.create(
            gebruiker_id=oud.gebruiker_id,
            instelling_id=oud.instelling_id,
            leerling_id=oud.leerling_id,
            meldingnummer=oud.melding.nummer if oud.melding_id else None,
            handeling=handeling,
            detail=detail,
        )
        Nieuw.objects.filter(pk=nieuw.pk).update(tijdstip=oud.tijdstip)  # auto_now_add


class Migration(migrations.Migration):
    dependencies = [
        ("meldingen", "0004_telefoon_formaat"),
        ("leerlingen", "0004_inzagelog"),
    ]

    operations = [
        migrations.RunPython(kopieer, migrations.RunPython.noop),
        migrations.DeleteModel(name="Inzage"),
    ]
