"""The demo registers and users (`meldingen.demo.laad_demo` adds the meldingen; `manage.py
laad_demo` and the tests load both).

Ages and dates are computed from `vandaag`, so the demo tells the same story on any day.
Loading is idempotent: records are found by their natural keys and brought up to date, so a
second run on the same day changes nothing.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from verzuimloket.datums import jaren_voor

from .autorisatie import rol_behandelaar, rol_verzuimloketmelder
from .models import (
    Gemeente,
    Geslacht,
    Inschrijving,
    InstantieMachtiging,
    Instelling,
    Leerling,
    Machtiging,
    Onderwijsaanbieder,
    Onderwijslocatie,
    PostcodeGebied,
    UitvoerendeInstantie,
)

DEMO_WACHTWOORD = "verzuimloket-demo"


def geboren(vandaag: datetime.date, leeftijd: int) -> datetime.date:
    """A birthday that makes the pupil `leeftijd` today, well away from the next birthday."""
    return jaren_voor(vandaag, leeftijd) - datetime.timedelta(days=100)


@dataclass
class Demo:
    """Handles to the loaded records, for tests."""

    vandaag: datetime.date
    instellingen: dict
    leerlingen: dict
    gebruikers: dict
    instanties: dict


@transaction.atomic
def laad_registers(vandaag: datetime.date) -> Demo:
    dag = datetime.timedelta(days=1)

    instellingen = {
        code: Instelling.objects.update_or_create(
            instellingscode=code, defaults={"naam": naam, "plaats": plaats}
        )[0]
        for code, naam, plaats in [
            ("24GP", "Scholengemeenschap De Grote Markt", "Groningen"),
            ("00BB", "Praktijkschool Het Zuiden", "Drachten"),
        ]
    }
    aanbieder = {}
    locatie = {}
    for instelling, aanbiedercode, naam, locatiecode, postcode in [
        ("24GP", "100A001", "Stichting De Grote Markt", "100X001", "9712HN"),
        ("00BB", "100A002", "Stichting Praktijkonderwijs Het Zuiden", "100X501", "9202LE"),
    ]:
        aanbieder[instelling] = Onderwijsaanbieder.objects.update_or_create(
            code=aanbiedercode, defaults={"naam": naam, "instelling": instellingen[instelling]}
        )[0]
        locatie[instelling] = Onderwijslocatie.objects.update_or_create(
            code=locatiecode,
            defaults={"postcode": postcode, "huisnummer": 1, "aanbieder": aanbieder[instelling]},
        )[0]

    instanties = {
        naam: UitvoerendeInstantie.objects.update_or_create(
            naam=naam, defaults={"email": email, "wil_email": wil_email}
        )[0]
        for naam, email, wil_email in [
            ("Gemeente Groningen", "leerplicht@groningen.example.nl", True),
            ("RMC regio Groningen", "rmc@groningen.example.nl", True),
            ("Gemeente Smallingerland", "leerplicht@smallingerland.example.nl", False),
        ]
    }
    for naam, leerplicht, rmc, van, tot in [
        ("Groningen", "Gemeente Groningen", "RMC regio Groningen", 9711, 9747),
        ("Smallingerland", "Gemeente Smallingerland", "Gemeente Smallingerland", 9200, 9209),
    ]:
        gemeente = Gemeente.objects.update_or_create(
            naam=naam,
            defaults={
                "leerplicht_instantie": instanties[leerplicht],
                "rmc_instantie": instanties[rmc],
            },
        )[0]
        PostcodeGebied.objects.get_or_create(gemeente=gemeente, van=van, tot=tot)

    melder, behandelaar = rol_verzuimloketmelder(), rol_behandelaar()
    gebruikers = {}
    User = get_user_model()
    # name, full name, role melder, instellingscodes, instanties (role behandelaar), beheerder
    for naam, volledige_naam, is_melder, codes, instantienamen, superuser in [
        ("melder", "Kees Smit", True, ["24GP"], [], False),
        ("melder2", "Fatima el Amrani", True, ["24GP", "00BB"], [], False),
        ("melder-zuid", "Jan de Jong", True, ["00BB"], [], False),
        ("zonderrol", "", False, ["24GP"], [], False),  # a machtiging but not the role
        ("beheerder", "", False, [], [], True),
        ("lpa-groningen", "Jeroen de Boer", False, [], ["Gemeente Groningen"], False),
        ("rmc-groningen", "Sanne Visser", False, [], ["RMC regio Groningen"], False),
        ("lpa-smallingerland", "Petra Hoekstra", False, [], ["Gemeente Smallingerland"], False),
        ("lpa-en-melder", "Mieke Bos", True, ["24GP"], ["Gemeente Groningen"], False),
    ]:
        voornaam, _, achternaam = volledige_naam.partition(" ")
        gebruiker, aangemaakt = User.objects.get_or_create(
            username=naam,
            defaults={
                "is_staff": superuser,
                "is_superuser": superuser,
                "email": f"{naam}@example.nl",
                "first_name": voornaam,
                "last_name": achternaam,
            },
        )
        if aangemaakt or not gebruiker.check_password(DEMO_WACHTWOORD):
            gebruiker.set_password(DEMO_WACHTWOORD)
            gebruiker.save(update_fields=["password"])
        if is_melder:
            gebruiker.groups.add(melder)
        for code in codes:
            Machtiging.objects.get_or_create(gebruiker=gebruiker, instelling=instellingen[code])
        if instantienamen:
            gebruiker.groups.add(behandelaar)
        for instantienaam in instantienamen:
            InstantieMachtiging.objects.get_or_create(
                gebruiker=gebruiker, instantie=instanties[instantienaam]
            )
        gebruikers[naam] = gebruiker

    groningen = {
        "postcode": "9712HN",
        "plaatsnaam": "Groningen",
        "straatnaam": "Oude Boteringestraat",
    }
    drachten = {"postcode": "9203AB", "plaatsnaam": "Drachten", "straatnaam": "Zuiderdiep"}
    leerlingen = {}
    ingeschreven_sinds = jaren_voor(vandaag, 3)
    for pgn, naam, geboortedatum, geslacht, adres, extra, inschrijvingen in [
        (
            "999999989",
            "Sanne de Vries",
            geboren(vandaag, 15),
            Geslacht.VROUW,
            {
                "straatnaam": "Grote Markt",
                "huisnummer": 1,
                "huisletter": "A",
                "huisnummertoevoeging": "bis",
                "postcode": "9712HN",
                "plaatsnaam": "Groningen",
            },
            {},
            [("24GP", True, None)],
        ),
        (
            "999990007",
            "Daan Bakker",
            jaren_voor(vandaag + 20 * dag, 18),
            Geslacht.MAN,
            {**groningen, "huisnummer": 7},
            {},
            [("24GP", True, None)],
        ),
        (
            "999990019",
            "Lotte Visser",
            geboren(vandaag, 19),
            Geslacht.VROUW,
            {**groningen, "huisnummer": 19},
            {},
            [("24GP", True, None)],
        ),
        (
            "999990020",
            "Bram Smit",
            geboren(vandaag, 24),
            Geslacht.MAN,
            {**groningen, "huisnummer": 20},
            {},
            [("24GP", True, None)],
        ),
        (
            "999990032",
            "Emma Mulder",
            geboren(vandaag, 17),
            Geslacht.VROUW,
            {**groningen, "huisnummer": 32},
            {"startkwalificatie": True},
            [("24GP", True, None)],
        ),
        (
            "999990044",
            "Lucas Peeters",
            geboren(vandaag, 15),
            Geslacht.MAN,
            {"woonland": "België"},
            {},
            [("24GP", True, None)],
        ),
        (
            "999990056",
            "Julia Bos",
            geboren(vandaag, 16),
            Geslacht.VROUW,
            {**drachten, "huisnummer": 56},
            {},
            [("24GP", False, None), ("00BB", True, None)],
        ),
        (
            "999990068",
            "Thijs Meijer",
            geboren(vandaag, 16),
            Geslacht.MAN,
            {**groningen, "huisnummer": 68},
            {},
            [("24GP", True, vandaag - 61 * dag)],
        ),
        (
            "999990081",
            "Noor Hendriks",
            geboren(vandaag, 15),
            Geslacht.VROUW,
            {**drachten, "huisnummer": 81},
            {},
            [("00BB", True, None)],
        ),
        (
            "999990093",
            "Sem Dekker",
            geboren(vandaag, 16),
            Geslacht.MAN,
            {**groningen, "huisnummer": 93},
            {},
            [("24GP", True, None)],
        ),
        (
            "101000012",
            "Mila Jansen",
            geboren(vandaag, 14),
            Geslacht.ONBEKEND,
            {**groningen, "huisnummer": 12},
            {},
            [("24GP", True, None)],
        ),
    ]:
        velden = {
            "naam": naam,
            "geboortedatum": geboortedatum,
            "geslacht": geslacht,
            "straatnaam": "",
            "huisnummer": None,
            "huisletter": "",
            "huisnummertoevoeging": "",
            "postcode": "",
            "plaatsnaam": "",
            "woonland": "Nederland",
            "startkwalificatie": False,
            **adres,
            **extra,
        }
        leerling = Leerling.objects.update_or_create(pgn=pgn, defaults=velden)[0]
        for code, hoofd, einddatum in inschrijvingen:
            Inschrijving.objects.update_or_create(
                leerling=leerling,
                instelling=instellingen[code],
                defaults={
                    "aanbieder": aanbieder[code],
                    "locatie": locatie[code],
                    "begindatum": ingeschreven_sinds,
                    "einddatum": einddatum,
                    "hoofdinschrijving": hoofd,
                },
            )
        leerlingen[pgn] = leerling

    return Demo(vandaag, instellingen, leerlingen, gebruikers, instanties)
