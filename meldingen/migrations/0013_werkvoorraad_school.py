from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # Built CONCURRENTLY: at national scale the table has millions of rows, and a plain CREATE
    # INDEX would hold up every registration and change while it is built.
    atomic = False

    dependencies = [
        ("meldingen", "0012_aantal_per_status"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="melding",
            index=models.Index(
                condition=models.Q(("geanonimiseerd_op__isnull", True)),
                fields=["uitvoerende_instantie", "instelling", "-nummer"],
                name="melding_werkvoorraad_school",
            ),
        ),
    ]
