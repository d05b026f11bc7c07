"""Index on the inzagelog's meldingnummer, for anonymising: each batch of
meldingen.services.meldingen_anonimiseren forgets its meldingen here, which without it reads
the whole log.

CONCURRENTLY (so not in a transaction): a plain CREATE INDEX holds a SHARE lock that blocks
every INSERT for as long as the build takes, and every page view writes an inzage row, on the
biggest table. Should it fail halfway, PostgreSQL leaves an INVALID index behind: drop it
(DROP INDEX CONCURRENTLY inzage_meldingnummer) and migrate again."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("leerlingen", "0007_inzage_koppeling")]

    operations = [
        AddIndexConcurrently(
            model_name="inzage",
            index=models.Index(
                condition=models.Q(("meldingnummer__isnull", False)),
                fields=["meldingnummer"],
                name="inzage_meldingnummer",
            ),
        ),
    ]
