"""The limits of a melding, named once (manual 2.3-2.6, 5; docs/regels.md).

The model fields and their database constraints, the forms, the services and the admin all read
these, so a limit cannot differ between the page that asks and the table that stores.
"""

# Contactpersonen leerling: at most five per melding (manual 2.3).
MAX_CONTACTPERSONEN = 5

# Lesuren of a verzuimdag: lesuur 1 up to and including lesuur 12 (manual 2.5).
LESUREN = range(1, 13)

# Verzuimdagen: one per day of the period, which begins at most one year ago and ends today at
# the latest: 367 days in a leap year.
MAX_VERZUIMDAGEN = 367

# Lengths of the text fields, as the manual's "Maximaal ... karakters" hints give them.
MAX_VERMOEDELIJKE_REDEN = 300
MAX_TOELICHTING = 1500  # toelichting verzuim, actie gewenst, ondernomen acties, verzuimdag
MAX_TOELICHTING_INTREKKEN = 300
MAX_NAAM = 100
MAX_FUNCTIE = 100
MAX_RELATIE = 50
MAX_STRAATNAAM = 100
MAX_PLAATSNAAM = 100
MAX_AANDUIDING_LOCATIE = 40
MAX_INSTANTIENAAM = 200
MAX_TOELICHTING_TERUGKOPPELING = 2000
MAX_REDEN_DOORSTUREN = 300
