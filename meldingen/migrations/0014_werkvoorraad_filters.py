from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # Built CONCURRENTLY, the new one before the old one goes: at national scale the table has
    # millions of rows, and the werkvoorraad must not be without an index meanwhile.
    atomic = False

    dependencies = [
        ("meldingen", "0013_werkvoorraad_school"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="melding",
            index=models.Index(
                condition=models.Q(("geanonimiseerd_op__isnull", True)),
                fields=["uitvoerende_instantie", "-nummer"],
                include=["status", "soort", "begindatum"],
                name="melding_werkvoorraad_filters",
            ),
        ),
        RemoveIndexConcurrently(model_name="melding", name="melding_werkvoorraad"),
    ]
