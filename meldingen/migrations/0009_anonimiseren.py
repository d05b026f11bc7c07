"""The due meldingen of the daily anonymising (services.meldingen_anonimiseren) by the later of
melddatum and einddatum, only those not yet anonymised: a day's run reads that day's rows, not
the whole table.

CONCURRENTLY (so not in a transaction): a plain CREATE INDEX holds a SHARE lock that blocks
registering and changing meldingen for as long as the build over the (national: millions of
rows) table takes. Should it fail halfway, PostgreSQL leaves an INVALID index behind: drop it
(DROP INDEX CONCURRENTLY melding_anonimiseren) and migrate again."""

import django.db.models.functions.comparison
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("meldingen", "0008_gewijzigd_op")]

    operations = [
        AddIndexConcurrently(
            model_name="melding",
            index=models.Index(
                django.db.models.functions.comparison.Greatest("melddatum", "einddatum"),
                condition=models.Q(("geanonimiseerd_op__isnull", True)),
                name="melding_anonimiseren",
            ),
        ),
    ]
