"""The werkvoorraad finds a pupil by part of the name (`leerling__naam__icontains`, i.e.
UPPER(naam) LIKE UPPER('%...%')). A trigram GIN index on UPPER(naam) serves that without reading
the whole register (2.5 million pupils). Raw SQL, like 0003, so the model state stays unchanged."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("leerlingen", "0005_behandelaar")]

    operations = [
        migrations.RunSQL(
            sql="CREATE INDEX IF NOT EXISTS leerlingen_leerling_naam_trgm "
            'ON "leerlingen_leerling" USING gin (UPPER("naam") gin_trgm_ops);',
            reverse_sql="DROP INDEX IF EXISTS leerlingen_leerling_naam_trgm;",
        )
    ]
