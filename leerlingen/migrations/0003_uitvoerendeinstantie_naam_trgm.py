"""Zoek melding searches a case-insensitive part of the uitvoerende instantienaam
(`naam__icontains`, i.e. UPPER(naam) LIKE UPPER('%...%')). A trigram GIN index on UPPER(naam)
serves that without a sequential scan. Raw SQL because Django's model state cannot express an
expression index with an operator class without changing the model; the migration state stays
unchanged, so `makemigrations --check` stays clean."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("leerlingen", "0002_rol_verzuimloketmelder")]

    operations = [
        migrations.RunSQL(
            sql="CREATE INDEX IF NOT EXISTS leerlingen_instantie_naam_trgm "
            'ON "leerlingen_uitvoerendeinstantie" USING gin (UPPER("naam") gin_trgm_ops);',
            reverse_sql="DROP INDEX IF EXISTS leerlingen_instantie_naam_trgm;",
        )
    ]
