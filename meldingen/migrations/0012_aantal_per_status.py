"""AantalPerStatus, kept by triggers on the melding table.

One AFTER ... FOR EACH STATEMENT trigger per kind of write, with the statement's transition
tables: a statement that writes many meldingen (the daily anonymisation, a COPY of laad_volume)
adds its changes in one upsert, not one per row. The upsert takes the counter rows in
(instantie, status) order, so two statements never wait on each other crosswise. The counts are
filled in the same transaction that creates the triggers: CREATE TRIGGER locks the melding table
against writes until the migration commits, so no write falls between the count and the
triggers (at national scale this holds up registrations for the few seconds the count takes).
"""

import django.db.models.deletion
from django.db import migrations, models

# Each melding that counts (not anonymised) as +1 for its (instantie, status) in the new rows
# and -1 in the old ones; statuses that end at zero keep their row.
BIJWERKEN = """
    INSERT INTO meldingen_aantalperstatus AS a (instantie_id, status, aantal)
    SELECT instantie_id, status, sum(verschil) FROM ({bron}) AS d
    GROUP BY instantie_id, status
    HAVING sum(verschil) <> 0
    ORDER BY instantie_id, status
    ON CONFLICT (instantie_id, status) DO UPDATE SET aantal = a.aantal + excluded.aantal;
"""
NIEUW = (
    "SELECT uitvoerende_instantie_id AS instantie_id, status, 1 AS verschil "
    "FROM nieuw WHERE geanonimiseerd_op IS NULL"
)
OUD = (
    "SELECT uitvoerende_instantie_id AS instantie_id, status, -1 AS verschil "
    "FROM oud WHERE geanonimiseerd_op IS NULL"
)

SQL = f"""
CREATE FUNCTION meldingen_aantal_per_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {BIJWERKEN.format(bron=NIEUW)}
    ELSIF TG_OP = 'DELETE' THEN
        {BIJWERKEN.format(bron=OUD)}
    ELSE
        {BIJWERKEN.format(bron=NIEUW + " UNION ALL " + OUD)}
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER aantal_per_status_insert AFTER INSERT ON meldingen_melding
    REFERENCING NEW TABLE AS nieuw FOR EACH STATEMENT
    EXECUTE FUNCTION meldingen_aantal_per_status();
CREATE TRIGGER aantal_per_status_update AFTER UPDATE ON meldingen_melding
    REFERENCING OLD TABLE AS oud NEW TABLE AS nieuw FOR EACH STATEMENT
    EXECUTE FUNCTION meldingen_aantal_per_status();
CREATE TRIGGER aantal_per_status_delete AFTER DELETE ON meldingen_melding
    REFERENCING OLD TABLE AS oud FOR EACH STATEMENT
    EXECUTE FUNCTION meldingen_aantal_per_status();

INSERT INTO meldingen_aantalperstatus (instantie_id, status, aantal)
SELECT uitvoerende_instantie_id, status, count(*) FROM meldingen_melding
WHERE geanonimiseerd_op IS NULL
GROUP BY uitvoerende_instantie_id, status;
"""

TERUG = """
DROP TRIGGER aantal_per_status_insert ON meldingen_melding;
DROP TRIGGER aantal_per_status_update ON meldingen_melding;
DROP TRIGGER aantal_per_status_delete ON meldingen_melding;
DROP FUNCTION meldingen_aantal_per_status();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("leerlingen", "0009_schaal"),
        ("meldingen", "0011_zoeken_status"),
    ]

    operations = [
        migrations.CreateModel(
            name="AantalPerStatus",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("R", "Geregistreerd"),
                            ("B", "In behandeling"),
                            ("G", "Afgesloten"),
                            ("K", "Ter kennisgeving aangenomen"),
                            ("I", "Ingetrokken"),
                        ],
                        max_length=1,
                    ),
                ),
                ("aantal", models.IntegerField()),
                (
                    "instantie",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="leerlingen.uitvoerendeinstantie",
                    ),
                ),
            ],
            options={
                "verbose_name": "aantal per status",
                "verbose_name_plural": "aantallen per status",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("instantie", "status"), name="aantal_per_status_eenmaal"
                    )
                ],
            },
        ),
        migrations.RunSQL(SQL, reverse_sql=TERUG),
    ]
