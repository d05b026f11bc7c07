"""The inzagelog's indexes on instelling, instantie and koppeling become partial (only the
entries that name one). The new ones are built CONCURRENTLY before the old ones go: the log is
the largest table and is written on every page view, so nothing may hold it up for a build."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

# The indexes Django made for the three foreign keys (and its LIKE index for the instellingscode,
# which no query uses).
OUDE_INDEXEN = {
    "leerlingen_inzage_instelling_id_c8c3524d": "instelling_id",
    "leerlingen_inzage_instelling_id_c8c3524d_like": "instelling_id varchar_pattern_ops",
    "leerlingen_inzage_instantie_id_1a82eae6": "instantie_id",
    "leerlingen_inzage_koppeling_id_ccad7e34": "koppeling_id",
}


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("koppelvlak", "0001_initial"),
        ("leerlingen", "0009_schaal"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="inzage",
            index=models.Index(
                condition=models.Q(("instelling__isnull", False)),
                fields=["instelling"],
                name="inzage_instelling",
            ),
        ),
        AddIndexConcurrently(
            model_name="inzage",
            index=models.Index(
                condition=models.Q(("instantie__isnull", False)),
                fields=["instantie"],
                name="inzage_instantie",
            ),
        ),
        AddIndexConcurrently(
            model_name="inzage",
            index=models.Index(
                condition=models.Q(("koppeling__isnull", False)),
                fields=["koppeling"],
                name="inzage_koppeling",
            ),
        ),
        # Only the indexes go. AlterField would also drop and re-add the foreign keys, and
        # re-adding one checks every row of the log while page views wait.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="inzage",
                    name="instantie",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="leerlingen.uitvoerendeinstantie",
                        verbose_name="uitvoerende instantie",
                    ),
                ),
                migrations.AlterField(
                    model_name="inzage",
                    name="instelling",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="leerlingen.instelling",
                    ),
                ),
                migrations.AlterField(
                    model_name="inzage",
                    name="koppeling",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="koppelvlak.koppeling",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX CONCURRENTLY IF EXISTS {naam}",
                    reverse_sql=f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {naam} "
                    f"ON leerlingen_inzage ({kolom})",
                )
                for naam, kolom in OUDE_INDEXEN.items()
            ],
        ),
    ]
