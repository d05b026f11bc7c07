"""A national-scale data set on top of the demo (`manage.py laad_volume`), for measuring the
pages, the API and the daily job against the number of rows the real verzuimloket holds.

What it makes, roughly the Dutch shape scaled to the number of leerlingen asked for: gemeenten
(up to ~340) that share every free 4-digit postcode between them (the demo's postcodegebieden
are left where they are), RMC regio's (up to ~40) shared by neighbouring gemeenten, a leerplicht
instantie per gemeente and an RMC instantie per regio, each with a behandelaar; ~1 instelling
per 500 leerlingen with an onderwijsaanbieder, onderwijslocaties and a melder; leerlingen of 5
to 22 with a valid BSN and a hoofdinschrijving; and meldingen over the last four years in every
status, with what hangs off them (terugkoppelingen, verzuimdagen, contactpersonen, one history
entry for the latest step). A share of the leerlingen (1%, at least 1,000) is enrolled at the
demo's 24GP and lives in the demo's gemeenten, so the demo users see them.

How it is made:
- `maak_plan` is a pure function of the sizes, the seed, the reference day and what already is
  in the database (`Bestaand`): the same input gives the same rows (`vingerafdruk`). Every date
  is derived from the reference day, `vandaag()` when the command runs; nothing comes from
  uuid4 or now(). Only the ids and meldingnummers differ, since they come from the sequences.
- `laad_volume` writes the plan with PostgreSQL COPY, past the ORM, in one transaction, so
  each row must satisfy every constraint of `meldingen/models.py` and `leerlingen/models.py` on
  its own; and the plan keeps the rules of `meldingen/regels.py` and `behandeling/services.py`
  that the database cannot see (soort and routing by age on the begindatum, a G melding has a
  terugkoppeling, LRV follows 28 days of V3, ...). A small load keeps every index and
  constraint in place; a large one builds them afterwards (`_indexen_later`).
- Meldingnummers and ids are taken from their sequences (`nextval` in bulk), so what the app
  registers afterwards gets numbers of its own; numbers follow the registration moment.
- Meldingen are never anonymised here: the first `meldingen_anonimiseren` after loading does
  about half of them (melddatum spread evenly over four years, two years kept), and every day
  after that about M/1460.
"""

import bisect
import contextlib
import dataclasses
import datetime
import hashlib
import itertools
import math
import random
import string
import time
from collections import Counter
from collections.abc import Callable, Iterator

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from psycopg import sql
from psycopg.types.json import Jsonb

from leerlingen.autorisatie import rol_behandelaar, rol_verzuimloketmelder
from leerlingen.models import (
    Categorie,
    Gemeente,
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
from verzuimloket.datums import jaren_voor
from verzuimloket.datums import vandaag as vandaag_nu

from . import regels
from .models import (
    MELDINGNUMMER_SEQUENCE,
    ContactpersoonLeerling,
    Melding,
    MeldingWijziging,
    OndernomenActie,
    RedenAfgesloten,
    RedenIntrekken,
    Status,
    Terugkoppeling,
    Verzuimdag,
    Wet,
)

DEMO_INSTELLING = "24GP"
DEMO_MELDER = "melder"
# Every e-mail address of the registers made here ends in this domain: it marks a loaded set.
DOMEIN = "volume.example.nl"
# Four years of meldingen: two are kept (docs/regels.md, Bewaren), so the first anonymising run
# after loading takes about half and every later day about M/1460.
DAGEN_TERUG = 4 * 365
# Unusable passwords (Django's "!" prefix): log in as these users with force_login only.
GEEN_WACHTWOORD = "!laad_volume"

DEMO_ONTBREEKT = (
    "De demo is niet geladen: instelling 24GP met onderwijsaanbieder en -locatie, gebruiker "
    "'melder' en minstens één gemeente met een postcodegebied zijn nodig. Draai eerst "
    "`manage.py laad_demo`."
)
AL_GELADEN = (
    "Er is al een volumeset geladen (er zijn uitvoerende instanties met een e-mailadres op "
    f"{DOMEIN}). Laad de volumeset in een verse database waarin alleen de demo staat."
)
TE_VEEL_MELDINGEN = (
    "{meldingen} meldingen passen niet bij {leerlingen} leerlingen: dat zijn er hooguit "
    "{ruimte} (verzuimperiodes van één leerling overlappen niet). Kies meer leerlingen of "
    "minder meldingen."
)


class VolumeFout(Exception):
    """The load is refused; the message is Dutch, for the user."""


# --- What is there already -------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class BestaandeGemeente:
    """A gemeente of the demo (or the beheerder): pupils of 24GP live there."""

    naam: str
    gebieden: tuple[tuple[int, int], ...]
    # The uitvoerende instantie (naam) per category: leerplichtig, kwalificatieplichtig, 18+.
    routering: tuple[str, str, str]


@dataclasses.dataclass(frozen=True)
class Bestaand:
    """What the database holds before loading and the plan must fit around: numbers and names
    that are taken, the postcodes that belong to a gemeente, and the demo school."""

    pgns: frozenset[str]
    instellingscodes: frozenset[str]
    aanbiedercodes: frozenset[str]
    locatiecodes: frozenset[str]
    namen: frozenset[str]  # gemeenten and uitvoerende instanties
    gebruikersnamen: frozenset[str]
    gemeenten: tuple[BestaandeGemeente, ...]
    # 24GP: its aanbieder, its locatie and that locatie's postcode.
    demo_aanbieder: str
    demo_locatie: str
    demo_postcode: str
    # The first user machtigd for each existing instantie (its behandelaar), by instantie naam,
    # and the full names of those users.
    behandelaars: dict[str, str]
    volledige_namen: dict[str, str]


def lees_bestaand() -> Bestaand:
    """What is in the database now; VolumeFout when the demo is missing or a set is loaded."""
    if UitvoerendeInstantie.objects.filter(email__endswith=f".{DOMEIN}").exists():
        raise VolumeFout(AL_GELADEN)
    User = get_user_model()
    locatie = (
        Onderwijslocatie.objects.filter(aanbieder__instelling_id=DEMO_INSTELLING)
        .order_by("aanbieder_id", "code")
        .first()
    )
    gemeenten = list(
        Gemeente.objects.filter(postcodegebieden__isnull=False)
        .distinct()
        .order_by("naam")
        .select_related("leerplicht_instantie", "rmc_instantie")
        .prefetch_related("postcodegebieden", "alternatieve_routeringen__instantie")
    )
    if (
        locatie is None
        or not gemeenten
        or not User.objects.filter(
            username=DEMO_MELDER, machtigingen__instelling_id=DEMO_INSTELLING
        ).exists()
    ):
        raise VolumeFout(DEMO_ONTBREEKT)
    behandelaars, volledige_namen = {}, {}
    for naam, gebruiker, voornaam, achternaam in (
        InstantieMachtiging.objects.order_by("instantie__naam", "gebruiker__username")
        .values_list(
            "instantie__naam",
            "gebruiker__username",
            "gebruiker__first_name",
            "gebruiker__last_name",
        )
        .iterator()
    ):
        behandelaars.setdefault(naam, gebruiker)
        volledige_namen[gebruiker] = f"{voornaam} {achternaam}".strip()
    return Bestaand(
        pgns=frozenset(Leerling.objects.values_list("pgn", flat=True).iterator()),
        instellingscodes=frozenset(Instelling.objects.values_list("pk", flat=True)),
        aanbiedercodes=frozenset(Onderwijsaanbieder.objects.values_list("pk", flat=True)),
        locatiecodes=frozenset(Onderwijslocatie.objects.values_list("pk", flat=True)),
        namen=frozenset(
            [
                *Gemeente.objects.values_list("naam", flat=True),
                *UitvoerendeInstantie.objects.values_list("naam", flat=True),
            ]
        ),
        gebruikersnamen=frozenset(User.objects.values_list("username", flat=True).iterator()),
        gemeenten=tuple(
            BestaandeGemeente(
                naam=g.naam,
                gebieden=tuple(sorted((p.van, p.tot) for p in g.postcodegebieden.all())),
                routering=tuple(
                    g.instantie_voor(c).naam
                    for c in (
                        Categorie.LEERPLICHTIG,
                        Categorie.KWALIFICATIEPLICHTIG,
                        Categorie.ACHTTIEN_PLUS,
                    )
                ),
            )
            for g in gemeenten
        ),
        demo_aanbieder=locatie.aanbieder_id,
        demo_locatie=locatie.code,
        demo_postcode=locatie.postcode,
        behandelaars=behandelaars,
        volledige_namen=volledige_namen,
    )


# --- The plan ----------------------------------------------------------------------------------


@dataclasses.dataclass
class PlanGemeente:
    naam: str
    gebieden: list[tuple[int, int]]
    routering: tuple[str, str, str]  # instantie naam per category (see BestaandeGemeente)
    regio: int  # index of the RMC regio (new gemeenten) or -1 (existing)
    nieuw: bool


@dataclasses.dataclass
class PlanInstantie:
    naam: str
    email: str
    wil_email: bool
    behandelaar: str  # username


@dataclasses.dataclass
class PlanGebruiker:
    username: str
    first_name: str
    last_name: str
    rol: str  # "melder" or "behandelaar"
    organisatie: str  # instellingscode or instantie naam


@dataclasses.dataclass
class PlanSchool:
    code: str
    naam: str
    plaats: str
    aanbieder: str
    aanbieder_naam: str
    locaties: list[tuple[str, str, int]]  # code, postcode, huisnummer
    gemeente: int
    melder: str
    contactpersonen: list[tuple[str, str, str, str]]  # naam, functie, e-mail, telefoon
    nieuw: bool


@dataclasses.dataclass(slots=True)
class PlanLeerling:
    pgn: str
    naam: str
    achternaam: str
    geboortedatum: datetime.date
    geslacht: str
    straatnaam: str
    huisnummer: int | None
    huisletter: str
    huisnummertoevoeging: str
    postcode: str
    plaatsnaam: str
    woonland: str
    startkwalificatie: bool
    school: int
    locatie: str
    ingeschreven: datetime.date
    gemeente: int  # -1 abroad


@dataclasses.dataclass
class Plan:
    seed: int
    vandaag: datetime.date
    gemeenten: list[PlanGemeente]
    instanties: list[PlanInstantie]  # new ones only
    gebruikers: list[PlanGebruiker]  # new ones only
    scholen: list[PlanSchool]  # index 0 is the demo's 24GP
    leerlingen: list[PlanLeerling]
    # Per melding, in the order of registration (so numbers follow time):
    # (moment of registration in minutes, leerling, begindatum, einddatum or 0, melddatum,
    # soort, part of a V3-LRV chain), dates as ordinals.
    skeletten: list[tuple]
    behandelaars: dict[str, str]  # instantie naam -> username, existing and new
    volledige_namen: dict[str, str]  # username -> full name, of every behandelaar

    @property
    def aantal_meldingen(self) -> int:
        return len(self.skeletten)


def _woorden(tekst: str, scheiding: str | None = None) -> tuple[str, ...]:
    """A word list written as running text: long lists stay a few lines, not one per word."""
    return tuple(tekst.split(scheiding))


# Names, from common Dutch ones; the pupils' and the staff's.
VOORNAMEN_M = _woorden(
    "Daan Sem Lucas Levi Finn Milan Noah Bram Luuk Thijs Jesse Ruben Tim Lars Max Mees Thomas "
    "Sven Stijn Jayden Mohammed Adam Ayoub Gijs Jelle Rick Niels Timo Wouter Kevin Youssef Bas "
    "Hidde Jens Koen Pieter Joris Dirk Hamza Omar"
)
VOORNAMEN_V = _woorden(
    "Emma Julia Mila Tess Sophie Zoë Sara Nora Yara Eva Lotte Noor Liv Saar Anna Fenna Lieke "
    "Roos Isa Fleur Sanne Femke Iris Lisa Maud Britt Esmee Jasmijn Amira Fatima Nina Evi Hanna "
    "Romy Floor Elif Ilse Marit Vera Demi"
)
ACHTERNAMEN = _woorden(
    "de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|"
    "Mulder|de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|"
    "de Graaf|van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|van den Heuvel|"
    "van der Veen|van den Broek|de Bruijn|de Bruin|van der Heijden|Schouten|van Beek|Willems|"
    "van Vliet|van de Ven|Hoekstra|Maas|Verhoeven|Koster|van Dam|van der Wal|Prins|Blom|Huisman|"
    "Peeters|de Lange|Kuijpers|van Wijk|Postma|Kuipers|Veenstra|Kramer|van den Brink|Scholten|"
    "van Wijngaarden|Post|Martens|Vink|de Ruiter|Timmermans|Groen|Gerritsen|Jonker|van Loon|"
    "Boer|van der Velde|Willemsen|Yilmaz|El Amrani|Bouzid|Kaya|Öztürk|Nguyen|Pinas|Autar|"
    "Wijnands|Hermans|Evers|van Dongen|Sanders|Koning|van Rijn|Bosman|'t Hart|Bulut|Haddou",
    "|",
)
STRATEN = _woorden(
    "Dorpsstraat|Kerkstraat|Schoolstraat|Molenweg|Stationsweg|Julianastraat|Beatrixstraat|"
    "Wilhelminastraat|Kastanjelaan|Eikenlaan|Lindelaan|Burgemeester de Withstraat|Hoofdstraat|"
    "Marktplein|Nieuwstraat|Sportlaan|Parkweg|Prinses Irenestraat|Oranjestraat|Vondelstraat|"
    "Rembrandtlaan|Van Goghstraat|Zuiderdiep|Noorderweg|Industrieweg|Havenstraat|Singel|"
    "Akkerstraat|Berkenlaan|Meidoornstraat|Tulpstraat|Rozenstraat|Populierenlaan|Dijkweg",
    "|",
)
PLAATS_VOOR = _woorden(
    "Aal Beek Berg Bos Broek Dal Dijk Eik Elst Gaast Geld Haar Heer Hol Hoog Hout Kamp Kerk Laar "
    "Lin Maas Meer Mol Nieuw Noord Oost Ouder Rijn Roo Schoon Steen Ter Veen Vliet Vogel Wes "
    "Wolder Zand Zee Zuid"
)
PLAATS_NA = _woorden(
    "dam dijk hoven wijk horst veen broek berg dorp loo kerk huizen ingen um sel zijl wolde burg "
    "recht drecht gouw hout mond haven stede"
)
SCHOOLSOORTEN = (
    "Scholengemeenschap",
    "College",
    "Lyceum",
    "Onderwijsgroep",
    "Praktijkschool",
    "Vakcollege",
    "ROC",
    "Kindcentrum",
)
SCHOOLNAMEN = _woorden(
    "De Regenboog|Het Baken|De Wingerd|Erasmus|Comenius|Vincent van Gogh|De Horizon|Het Kompas|"
    "De Brug|Het Noorderlicht|De Ontdekking|Spinoza|Anne Frank|De Waterlelie|Het Palet|"
    "De Vuurtoren|Jan Ligthart|Maerlant|Rietveld|De Akker|Het Lichtpunt|De Sterrenwacht",
    "|",
)
FUNCTIES_SCHOOL = ("Verzuimcoördinator", "Mentor", "Zorgcoördinator", "Teamleider", "Decaan")
RELATIES = ("Moeder", "Vader", "Verzorger", "Voogd", "Oma", "Opa")
REDENEN = (
    "Spijbelt met vrienden",
    "Onbekend, leerling reageert niet op berichten",
    "Problemen thuis",
    "Schoolmoeheid",
    "Werkt overdag",
    "Structureel te laat",
    "Conflict met medeleerlingen",
    "Psychische klachten, niet als ziek gemeld",
    "Zorgt voor een familielid",
    "Verstoord dag-nachtritme",
)
REDENEN_LUXE = (
    "Vakantie buiten de schoolvakanties",
    "Eerder op vakantie vertrokken",
    "Later terug van vakantie",
    "Familiebezoek in het buitenland",
)
TOELICHTINGEN = (
    "Meerdere keren gebeld, geen reactie van de ouders.",
    "Leerling geeft aan geen zin te hebben in school.",
    "Eerder besproken met de leerplichtambtenaar.",
    "Ouders zijn uitgenodigd voor een gesprek.",
)
GEEN_ACTIE = (
    "Ter informatie; school heeft het zelf opgepakt.",
    "Leerling is inmiddels weer op school.",
    "Alleen ter registratie.",
)
TOELICHTING_ACTIES = (
    "Huisbezoek door de mentor.",
    "Overleg met de jeugdarts gepland.",
    "Afspraken vastgelegd in het ondersteuningsplan.",
)
TERUGKOPPELINGEN = (
    "Gesprek gevoerd met leerling en ouders; leerling is weer op school.",
    "Waarschuwing gegeven, afspraken gemaakt over aanwezigheid.",
    "Doorverwezen naar het wijkteam.",
    "Proces-verbaal opgemaakt.",
    "Leerling heeft een nieuwe opleiding gevonden.",
)
KENNISGEVING = (
    "Bekend bij het wijkteam, daar loopt al een traject.",
    "School pakt dit zelf op; wij volgen het.",
)
LETTERPAREN = tuple(a + b for a in string.ascii_uppercase for b in string.ascii_uppercase)
POSTCODE_LETTERS = tuple(
    a + b
    for a in string.ascii_uppercase
    for b in string.ascii_uppercase
    if a + b not in ("SA", "SD", "SS")  # refused by python-stdnum (and the PTT)
)


class Toeval:
    """A seeded stream of draws, fast enough for millions of rows: random.Random's own
    randint, choice and choices cost about a microsecond each in Python, these build on its
    C `random()` alone. Deterministic for a seed, as random.Random is."""

    def __init__(self, seed: str):
        self._rng = random.Random(seed)
        self.random = self._rng.random

    def getal(self, laag: int, hoog: int) -> int:
        """From `laag` up to and including `hoog`."""
        return laag + int(self.random() * (hoog - laag + 1))

    def kies(self, reeks):
        return reeks[int(self.random() * len(reeks))]

    def gewogen(self, keuzes: "Gewogen"):
        return keuzes.waarden[bisect.bisect_right(keuzes.grenzen, self.random() * keuzes.totaal)]

    def steekproef(self, populatie, k: int) -> list:
        return self._rng.sample(populatie, k)

    def schud(self, lijst: list) -> None:
        self._rng.shuffle(lijst)

    def lognormaal(self, sigma: float) -> float:
        return self._rng.lognormvariate(0, sigma)

    def exponentieel(self) -> float:
        return self._rng.expovariate(1.0)

    def indexen(self, grenzen: list[float], k: int) -> list[int]:
        """`k` indexes drawn with the weights whose running totals are `grenzen`."""
        return self._rng.choices(range(len(grenzen)), cum_weights=grenzen, k=k)


class Gewogen:
    """Values with weights, for `Toeval.gewogen`."""

    def __init__(self, paren):
        paren = list(paren)
        self.waarden = tuple(w for w, _ in paren)
        self.grenzen = list(itertools.accumulate(g for _, g in paren))
        self.totaal = self.grenzen[-1]


def _naam(t: Toeval, geslacht: str) -> tuple[str, str]:
    lijst = VOORNAMEN_M if geslacht == "M" else VOORNAMEN_V if geslacht == "V" else None
    return t.kies(lijst or t.kies((VOORNAMEN_M, VOORNAMEN_V))), t.kies(ACHTERNAMEN)


def _slug(tekst: str) -> str:
    return "".join(c for c in tekst.lower() if c in string.ascii_lowercase) or "x"


def _telefoon(t: Toeval) -> str:
    """10 digits, as `formaten.valideer_telefoon` wants: a mobile or a landline number."""
    if t.random() < 0.5:
        return f"06 {t.getal(10_000_000, 99_999_999)}"
    return f"0{t.getal(10, 99)} {t.getal(100, 999)} {t.getal(1000, 9999)}"


def _bsn(basis: int) -> str | None:
    """The BSN with these first 8 digits (the eleven-test), or None when none exists."""
    cijfers = f"{basis:08d}"
    rest = sum((9 - i) * int(c) for i, c in enumerate(cijfers)) % 11
    return None if rest == 10 else f"{cijfers}{rest}"


def _leeftijd(geboren: datetime.date, datum: datetime.date) -> int:
    """As `Leerling.leeftijd_op`."""
    jaren = datum.year - geboren.year
    if (datum.month, datum.day) < (geboren.month, geboren.day):
        jaren -= 1
    return jaren


def _routering_index(leeftijd: int) -> int:
    """Index into a routering: leerplichtig (< 16), kwalificatieplichtig (< 18), 18+, as
    `Leerling.categorie_op`."""
    return 0 if leeftijd < 16 else 1 if leeftijd < 18 else 2


def _vrije_postcodes(bezet: list[tuple[int, int]]) -> list[tuple[int, int]]:
    vrij, volgende = [], 1000
    for van, tot in sorted(bezet):
        if van > volgende:
            vrij.append((volgende, van - 1))
        volgende = max(volgende, tot + 1)
    if volgende <= 9999:
        vrij.append((volgende, 9999))
    return vrij


def _verdeel_postcodes(
    vrij: list[tuple[int, int]], gewichten: list[float]
) -> list[list[tuple[int, int]]]:
    """Share the free postcode ranges out in order, each gemeente a contiguous run (split where
    an existing gemeente lies in between), sized by weight, at least one postcode each."""
    codes = [c for van, tot in vrij for c in range(van, tot + 1)]
    totaal, opgeteld, begin, verdeling = sum(gewichten), 0.0, 0, []
    for i, gewicht in enumerate(gewichten):
        opgeteld += gewicht
        eind = max(round(len(codes) * opgeteld / totaal), begin + 1)
        eind = min(eind, len(codes) - (len(gewichten) - 1 - i))
        gebieden: list[tuple[int, int]] = []
        for code in codes[begin:eind]:
            if gebieden and gebieden[-1][1] == code - 1:
                gebieden[-1] = (gebieden[-1][0], code)
            else:
                gebieden.append((code, code))
        verdeling.append(gebieden)
        begin = eind
    return verdeling


class _Postcodes:
    """Random full postcodes (1234AB) inside a gemeente's ranges."""

    def __init__(self, gebieden):
        self.gebieden = gebieden
        self.grenzen = list(itertools.accumulate(tot - van + 1 for van, tot in gebieden))

    def kies(self, t: Toeval) -> str:
        n = int(t.random() * self.grenzen[-1])
        i = bisect.bisect_right(self.grenzen, n)
        cijfers = self.gebieden[i][0] + n - (self.grenzen[i - 1] if i else 0)
        return f"{cijfers}{t.kies(POSTCODE_LETTERS)}"


def _vrije_codes(aantal: int, bezet, maak) -> list[str]:
    """The first `aantal` codes `maak(0)`, `maak(1)`, ... that are not taken."""
    codes, i = [], 0
    while len(codes) < aantal:
        code = maak(i)
        if code is None:
            raise VolumeFout("Er zijn niet genoeg vrije codes voor zoveel instellingen.")
        if code not in bezet:
            codes.append(code)
        i += 1
    return codes


def schaal(leerlingen: int) -> tuple[int, int, int]:
    """Gemeenten, RMC regio's and instellingen for this many leerlingen: the Dutch numbers
    (about 340 gemeenten, 40 regio's, a school per 500 pupils) at 500,000, fewer below."""
    gemeenten = max(3, min(340, round(leerlingen / 1470)))
    regios = max(1, min(40, round(gemeenten / 8.5)))
    scholen = max(3, min(20_000, leerlingen // 500))
    return gemeenten, regios, scholen


def maak_plan(
    *, leerlingen: int, meldingen: int, seed: int, vandaag: datetime.date, bestaand: Bestaand
) -> Plan:
    """Everything to load, as plain data: a pure function of its arguments."""
    if leerlingen < 1 or meldingen < 0:
        raise VolumeFout("Het aantal leerlingen is minstens 1, het aantal meldingen minstens 0.")
    t = Toeval(f"laad_volume:{seed}:registers")
    n_gemeenten, n_regios, n_scholen = schaal(leerlingen)

    # Gemeenten: new names, sized unevenly as the Dutch ones are; a regio is a run of
    # neighbouring gemeenten (by postcode), named after its first.
    kandidaten = [v + n for v in PLAATS_VOOR for n in PLAATS_NA]
    t.schud(kandidaten)
    namen = [
        n
        for n in kandidaten
        if not {n, f"Gemeente {n}", f"RMC regio {n}"} & bestaand.namen
        and not {f"lpa-{_slug(n)}", f"rmc-{_slug(n)}"} & bestaand.gebruikersnamen
    ][:n_gemeenten]
    if len(namen) < n_gemeenten:
        raise VolumeFout("Er zijn niet genoeg vrije gemeentenamen.")
    gewichten = [t.lognormaal(1.0) for _ in namen]
    vrij = _vrije_postcodes([g for b in bestaand.gemeenten for g in b.gebieden])
    if sum(tot - van + 1 for van, tot in vrij) < n_gemeenten:
        raise VolumeFout("Er zijn niet genoeg vrije postcodes voor nieuwe gemeenten.")
    gemeenten = [
        PlanGemeente(b.naam, list(b.gebieden), b.routering, -1, False) for b in bestaand.gemeenten
    ]
    eerste_nieuwe = len(gemeenten)
    instanties: list[PlanInstantie] = []
    gebruikers: list[PlanGebruiker] = []
    behandelaars = dict(bestaand.behandelaars)

    def instantie(naam: str, soort: str, plaats: str) -> str:
        """A new uitvoerende instantie with its behandelaar (user `soort`-`plaats`)."""
        voornaam, achternaam = _naam(t, t.kies("MV"))
        username = f"{soort}-{_slug(plaats)}"
        email = f"{'rmc' if soort == 'rmc' else 'leerplicht'}@{_slug(plaats)}.{DOMEIN}"
        instanties.append(PlanInstantie(naam, email, t.random() < 0.5, username))
        gebruikers.append(PlanGebruiker(username, voornaam, achternaam, "behandelaar", naam))
        behandelaars[naam] = username
        return naam

    # Gemeente i is in regio i * n_regios // len(namen); a regio is named after its first.
    eerste = [namen[-(-r * len(namen) // n_regios)] for r in range(n_regios)]
    rmc = [instantie(f"RMC regio {plaats}", "rmc", plaats) for plaats in eerste]
    verdeling = _verdeel_postcodes(vrij, gewichten)
    for i, (naam, gebieden) in enumerate(zip(namen, verdeling, strict=True)):
        regio = i * n_regios // len(namen)
        leerplicht = instantie(f"Gemeente {naam}", "lpa", naam)
        gemeenten.append(
            PlanGemeente(naam, gebieden, (leerplicht, leerplicht, rmc[regio]), regio, True)
        )
    # An existing instantie nobody works for yet gets a behandelaar too (B needs one).
    for g in gemeenten[:eerste_nieuwe]:
        for naam in g.routering:
            if naam not in behandelaars:
                username = f"behandelaar-{_slug(naam)}"
                while username in bestaand.gebruikersnamen or any(
                    u.username == username for u in gebruikers
                ):
                    username += "x"
                voornaam, achternaam = _naam(t, t.kies("MV"))
                gebruikers.append(
                    PlanGebruiker(username, voornaam, achternaam, "behandelaar", naam)
                )
                behandelaars[naam] = username
    postcodes = [_Postcodes(g.gebieden) for g in gemeenten]
    nieuwe_gemeente = Gewogen(zip(range(eerste_nieuwe, len(gemeenten)), gewichten, strict=True))

    # Instellingen: the demo's 24GP first, then new ones, in new gemeenten. 24GP's pupils
    # live in the existing gemeente of its locatie (Groningen in the demo).
    demo_cijfers = int(bestaand.demo_postcode[:4])
    demo_gemeente = next(
        (
            i
            for i, g in enumerate(gemeenten[:eerste_nieuwe])
            if any(van <= demo_cijfers <= tot for van, tot in g.gebieden)
        ),
        0,
    )
    scholen = [
        PlanSchool(
            DEMO_INSTELLING,
            "",
            "",
            bestaand.demo_aanbieder,
            "",
            [(bestaand.demo_locatie, bestaand.demo_postcode, 1)],
            demo_gemeente,
            DEMO_MELDER,
            [
                ("K. Smit", "Verzuimcoördinator", "verzuim@24gp.example.nl", "050 599 1234"),
                ("P. Mentor", "Mentor", "mentor@24gp.example.nl", ""),
            ],
            False,
        )
    ]
    alle_codes = [f"{c:02d}{letters}" for c in range(100) for letters in LETTERPAREN]
    t.schud(alle_codes)
    codes = _vrije_codes(
        n_scholen,
        bestaand.instellingscodes,
        lambda i: alle_codes[i] if i < len(alle_codes) else None,
    )
    n_locaties = [t.kies((1, 1, 1, 2, 2, 3)) for _ in codes]
    # Codes from 300A000/300X000 on: the demo's are 100..., the test factories' 200...
    aanbieders = _vrije_codes(
        n_scholen,
        bestaand.aanbiedercodes,
        lambda i: f"{300 + i // 1000:03d}A{i % 1000:03d}" if i < 700_000 else None,
    )
    locatiecodes = iter(
        _vrije_codes(
            sum(n_locaties),
            bestaand.locatiecodes,
            lambda i: f"{300 + i // 1000:03d}X{i % 1000:03d}" if i < 700_000 else None,
        )
    )
    for code, aanbieder, aantal_locaties in zip(codes, aanbieders, n_locaties, strict=True):
        g = t.gewogen(nieuwe_gemeente)
        plaats = gemeenten[g].naam
        eigen = t.kies(SCHOOLNAMEN)
        domein = f"{code.lower()}.{DOMEIN}"
        contactpersonen = []
        for functie in t.steekproef(FUNCTIES_SCHOOL, 2):
            voornaam, achternaam = _naam(t, t.kies("MV"))
            contactpersonen.append(
                (
                    f"{voornaam[0]}. {achternaam}",
                    functie,
                    f"{_slug(voornaam)}.{_slug(achternaam)}@{domein}",
                    _telefoon(t) if t.random() < 0.7 else "",
                )
            )
        melder = f"melder-{code.lower()}"
        voornaam, achternaam = _naam(t, t.kies("MV"))
        gebruikers.append(PlanGebruiker(melder, voornaam, achternaam, "melder", code))
        scholen.append(
            PlanSchool(
                code,
                f"{t.kies(SCHOOLSOORTEN)} {eigen}",
                plaats,
                aanbieder,
                f"Stichting {eigen} {plaats}",
                [
                    (next(locatiecodes), postcodes[g].kies(t), t.getal(1, 150))
                    for _ in range(aantal_locaties)
                ],
                g,
                melder,
                contactpersonen,
                True,
            )
        )
    al_genomen = bestaand.gebruikersnamen & {u.username for u in gebruikers}
    if al_genomen:
        raise VolumeFout(f"Deze gebruikersnamen bestaan al: {', '.join(sorted(al_genomen))}.")

    plan_leerlingen = _maak_leerlingen(
        Toeval(f"laad_volume:{seed}:leerlingen"),
        leerlingen,
        vandaag,
        bestaand,
        gemeenten,
        scholen,
        postcodes,
    )
    skeletten = _maak_skeletten(
        Toeval(f"laad_volume:{seed}:perioden"), meldingen, vandaag, plan_leerlingen
    )
    volledige_namen = dict(bestaand.volledige_namen)
    volledige_namen.update((u.username, f"{u.first_name} {u.last_name}") for u in gebruikers)
    return Plan(
        seed,
        vandaag,
        gemeenten,
        instanties,
        gebruikers,
        scholen,
        plan_leerlingen,
        skeletten,
        behandelaars,
        volledige_namen,
    )


# The pupils' ages on the reference day: 5 to 22, most of them 12 to 17.
LEEFTIJDEN = Gewogen((j, 3 if 12 <= j < 18 else 2 if j >= 18 else 1) for j in range(5, 23))
GESLACHTEN = Gewogen((("M", 49), ("V", 49), ("O", 2)))


def _maak_leerlingen(
    t: Toeval, aantal, vandaag, bestaand, gemeenten, scholen, postcodes
) -> list[PlanLeerling]:
    """Pupils of 5 to 22 with a valid, new BSN; 1% (at least 1,000, at most half) at 24GP,
    aged 12 to 22 and living in the existing gemeenten; the others at a new school, living in
    its gemeente or elsewhere in its RMC regio. A few live abroad (no routing, no meldingen)."""
    n_demo = min(max(1000, aantal // 100), aantal // 2)
    nieuwe_school = Gewogen((i, t.lognormaal(0.6)) for i in range(1, len(scholen)))
    per_regio: dict[int, list[int]] = {}
    for i, g in enumerate(gemeenten):
        if g.nieuw:
            per_regio.setdefault(g.regio, []).append(i)
    bestaande = [i for i, g in enumerate(gemeenten) if not g.nieuw]
    gezien: set[str] = set()
    # August 1st, five school years back: everyone was enrolled before the four years of
    # meldingen began (or from their 4th birthday, when that is later).
    schooljaar = datetime.date(vandaag.year - 5, 8, 1)
    resultaat = []
    for i in range(aantal):
        while True:
            # 40000000-98999999: away from the demo (99999...), the test factories (12...)
            # and the bench scripts (31... to 34...).
            pgn = _bsn(t.getal(40_000_000, 98_999_999))
            if pgn is not None and pgn not in bestaand.pgns and pgn not in gezien:
                gezien.add(pgn)
                break
        if i < n_demo:
            school, leeftijd = 0, t.getal(12, 22)
            gemeente = scholen[0].gemeente if t.random() < 0.85 else t.kies(bestaande)
        else:
            school, leeftijd = t.gewogen(nieuwe_school), t.gewogen(LEEFTIJDEN)
            gemeente = scholen[school].gemeente
            if t.random() < 0.15:
                gemeente = t.kies(per_regio[gemeenten[gemeente].regio])
        # A birthday that makes the pupil `leeftijd` on the reference day.
        geboren = jaren_voor(vandaag, leeftijd + 1) + datetime.timedelta(days=t.getal(1, 365))
        if _leeftijd(geboren, vandaag) != leeftijd:
            geboren = jaren_voor(vandaag, leeftijd) - datetime.timedelta(days=1)
        geslacht = t.gewogen(GESLACHTEN)
        voornaam, achternaam = _naam(t, geslacht)
        locatie = t.kies(scholen[school].locaties)[0]
        ingeschreven = max(schooljaar, jaren_voor(geboren, -4))
        adres = ("", None, "", "", "", "")
        woonland, startkwalificatie = "Nederland", False
        if t.random() < 0.003:
            woonland, gemeente = t.kies(("België", "Duitsland")), -1
        else:
            adres = (
                t.kies(STRATEN),
                t.getal(1, 250),
                t.kies("ABCD") if t.random() < 0.05 else "",
                t.kies(("bis", "1", "2", "hs")) if t.random() < 0.03 else "",
                postcodes[gemeente].kies(t),
                gemeenten[gemeente].naam,
            )
            startkwalificatie = leeftijd >= 18 and t.random() < 0.1
        resultaat.append(
            PlanLeerling(
                pgn,
                f"{voornaam} {achternaam}",
                achternaam,
                geboren,
                geslacht,
                *adres,
                woonland,
                startkwalificatie,
                school,
                locatie,
                ingeschreven,
                gemeente,
            )
        )
    return resultaat


def _venster(leerling: PlanLeerling, vandaag: datetime.date) -> tuple[int, int]:
    """The days (ordinals, inclusive) on which this pupil's verzuim can begin and be reported:
    enrolled and 5 or older, younger than 23 on the melddatum (`regels.MAX_LEEFTIJD`), within
    the last four years, up to yesterday. Empty (begin > eind) for who gets no meldingen:
    abroad or with a startkwalificatie (`regels.registreren_blokkade`)."""
    if leerling.gemeente < 0 or leerling.startkwalificatie:
        return 1, 0
    begin = max(
        vandaag.toordinal() - DAGEN_TERUG,
        leerling.ingeschreven.toordinal(),
        jaren_voor(leerling.geboortedatum, -5).toordinal() + 1,
    )
    eind = min(
        vandaag.toordinal() - 1,
        jaren_voor(leerling.geboortedatum, -regels.MAX_LEEFTIJD).toordinal() - 2,
    )
    return begin, eind


# The soorten by age on the begindatum (`regels.beschikbare_soorten`; LRV only after V3, see
# `_maak_skeletten`), with how often. Plain strings, not the enum: they go into COPY as they are.
SOORTEN_JONG = Gewogen((("V3", 50), ("O", 35), ("L", 15)))
SOORTEN_OUD = Gewogen((("V4", 35), ("RMC", 25), ("O", 30), ("L", 10)))
# Days of verzuim, lowest and highest, per soort (V3/V4: till the 16 hours were reached; RMC
# and LRV at least 28 days, `regels.LRV_RMC_DAGEN`).
DUUR = {
    "V3": (5, 28),
    "V4": (5, 28),
    "LRV": (29, 120),
    "RMC": (regels.LRV_RMC_DAGEN, 120),
    "O": (1, 14),
    "L": (2, 14),
}


def _maak_skeletten(t: Toeval, aantal, vandaag, leerlingen) -> list[tuple]:
    """The verzuimperiodes: which pupil, when, which soort. Pupils get meldingen by a skewed
    propensity (40% none, the others exponential) times the length of their window, so melddata
    spread evenly over the four years. A pupil's periods never overlap (the exclusion
    constraint `melding_geen_overlap`); only the last may stay open."""
    if not aantal:
        return []
    vensters = [_venster(leerling, vandaag) for leerling in leerlingen]
    gewichten = [
        0.0 if b > e or t.random() < 0.4 else (e - b + 1) * t.exponentieel() for b, e in vensters
    ]
    # At most one melding per 10 days of a pupil's window.
    ruimte = [(e - b + 1) // 10 if w else 0 for (b, e), w in zip(vensters, gewichten, strict=True)]
    if aantal > sum(ruimte):
        raise VolumeFout(
            TE_VEEL_MELDINGEN.format(
                meldingen=aantal, leerlingen=len(leerlingen), ruimte=sum(ruimte)
            )
        )
    grenzen = list(itertools.accumulate(gewichten))
    aantallen = Counter(t.indexen(grenzen, aantal))
    over = 0
    for i, n in aantallen.items():
        if n > ruimte[i]:
            over += n - ruimte[i]
            aantallen[i] = ruimte[i]
    while over:
        i = t.indexen(grenzen, 1)[0]
        if aantallen[i] < ruimte[i]:
            aantallen[i] += 1
            over -= 1

    skeletten = []
    r = t.random
    datum = datetime.date.fromordinal
    for i in sorted(aantallen):
        k = aantallen[i]
        if not k:
            continue
        geboren = leerlingen[i].geboortedatum
        a, b = vensters[i]
        starts = sorted(t.steekproef(range(a, b + 1), k))
        lrv_volgt = False
        for j, s in enumerate(starts):
            laatste = j == k - 1
            grens = b + 1 if laatste else starts[j + 1]  # the period ends before this day
            jong = _leeftijd(geboren, datum(s)) < 18
            if lrv_volgt:
                soort = "LRV" if jong else "O"
            else:
                soort = t.gewogen(SOORTEN_JONG if jong else SOORTEN_OUD)
            lrv_volgt = keten = False
            laag, hoog = DUUR[soort]
            if grens - s < laag and soort in ("RMC", "LRV"):
                soort, (laag, hoog) = "O", DUUR["O"]
            # LRV from day 29: the 28 days before are one V3 melding (`regels.lrv_niet_gedekt`).
            if (
                soort == "V3"
                and not laatste
                and grens - s >= 28
                and r() < 0.12
                and _leeftijd(geboren, datum(s + 28)) < 18
            ):
                duur, keten, lrv_volgt = 28, True, True
                starts[j + 1] = s + 28
            else:
                duur = min(laag + int(r() * (hoog - laag + 1)), grens - s)
            eind = s + duur - 1
            meld = 0
            if laatste and soort in ("LRV", "RMC", "O") and r() < (0.05 if soort == "O" else 0.3):
                # Open-ended; RMC without einddatum only after 28 days (`regels.controleer_soort`).
                vroegst = s + (regels.LRV_RMC_DAGEN if soort == "RMC" else 1)
                if vroegst <= b:
                    meld, eind = min(b, vroegst + int(r() * 15)), 0
            if eind:
                vertraging = 0 if keten else min(int(r() * 4), int(r() * 11))
                meld = min(b, eind + vertraging)
            moment = meld * 1440 + 7 * 60 + int(r() * 600)
            skeletten.append((moment, i, s, eind, meld, soort, keten))
    skeletten.sort()
    return skeletten


# --- The rows ----------------------------------------------------------------------------------

# The columns written, in this order (the values of `melding_rijen` follow it).
MELDING_VELDEN = _woorden(
    "id nummer leerling instelling melddatum status wet uitvoerende_instantie leerling_email "
    "leerling_telefoon afwijkend_adres straatnaam huisnummer huisletter huisnummertoevoeging "
    "postcode aanduiding_locatie plaatsnaam begindatum einddatum soort vermoedelijke_reden "
    "toelichting actie_gewenst toelichting_actie_gewenst met_prioriteit aanbieder locatie "
    "contactpersoon_naam contactpersoon_functie contactpersoon_email contactpersoon_telefoon "
    "alle_lessen_gemist ondernomen_acties toelichting_acties stuur_email_naar_melder "
    "reden_intrekken toelichting_intrekken ingetrokken_op ingetrokken_door in_behandeling_door "
    "in_behandeling_op geopend_op geregistreerd_door geregistreerd_op versie gewijzigd_op"
)
LEERLING_VELDEN = _woorden(
    "id pgn naam geboortedatum geslacht straatnaam huisnummer huisletter huisnummertoevoeging "
    "postcode plaatsnaam woonland startkwalificatie"
)
INSCHRIJVING_VELDEN = _woorden(
    "leerling instelling aanbieder locatie begindatum einddatum hoofdinschrijving"
)
TERUGKOPPELING_VELDEN = _woorden(
    "melding naam functie email telefoon datum instantienaam toelichting reden_afgesloten"
)
VERZUIMDAG_VELDEN = _woorden("melding datum hele_dag lesuren toelichting")
CONTACTPERSOON_VELDEN = _woorden("melding volgnummer naam relatie email telefoon")
WIJZIGING_VELDEN = _woorden("melding gebruiker tijdstip blok velden")

UTC = datetime.UTC
_DAG_1 = datetime.datetime(1, 1, 1, tzinfo=UTC)


def _tijdstip(minuten: int) -> datetime.datetime:
    """Minutes since day 1 (`date.toordinal() * 1440`) as an aware moment. Moments fall in UTC
    working hours (7:00-20:00), so their local date (Europe/Amsterdam) is the same day."""
    return _DAG_1 + datetime.timedelta(minutes=minuten - 1440)


@dataclasses.dataclass
class Sleutels:
    """How the plan's references become column values: by default the references themselves
    (for `vingerafdruk`); `laad_volume` passes the database ids."""

    leerling: Callable[[int], object] = lambda i: i
    instantie: Callable[[str], object] = lambda naam: naam
    gebruiker: Callable[[str], object] = lambda naam: naam
    melding: Callable[[int], object] = lambda i: i
    nummer: Callable[[int], object] = lambda i: i


@dataclasses.dataclass
class Kinderen:
    """The rows that hang off the meldingen, collected while the meldingen are written."""

    terugkoppelingen: list = dataclasses.field(default_factory=list)
    verzuimdagen: list = dataclasses.field(default_factory=list)
    contactpersonen: list = dataclasses.field(default_factory=list)
    wijzigingen: list = dataclasses.field(default_factory=list)


# Status codes as plain strings (the enum's attribute lookups cost at millions of rows).
R, B, G, K, I = (s.value for s in Status)  # noqa: E741 (the codes as the database stores them)
# The status by how long ago (days) the melding was made: recent ones are mostly open, old ones
# final.
# (R, B, G, K, I) made less than 14 days ago, less than 60, less than 240, longer ago.
STATUS_RECENT = Gewogen(zip((R, B, G, K, I), (60, 25, 3, 5, 7), strict=True))
STATUS_WEKEN = Gewogen(zip((R, B, G, K, I), (30, 35, 15, 10, 10), strict=True))
STATUS_MAANDEN = Gewogen(zip((R, B, G, K, I), (10, 20, 42, 18, 10), strict=True))
STATUS_OUD = Gewogen(zip((R, B, G, K, I), (3, 5, 60, 22, 10), strict=True))
REDENEN_INTREKKEN = Gewogen(zip(RedenIntrekken.values, (20, 15, 50, 15), strict=True))
REDENEN_AFGESLOTEN = tuple(RedenAfgesloten.values)
ANDERS = OndernomenActie.ANDERS.value
# The ondernomen acties: one (40%), two (40%) or three (20%), in the form's order.
ACTIES = Gewogen(
    (list(combinatie), {1: 40, 2: 40, 3: 20}[n] / math.comb(len(OndernomenActie), n))
    for n in (1, 2, 3)
    for combinatie in itertools.combinations(OndernomenActie.values, n)
)


def melding_rijen(plan: Plan, sleutels: Sleutels, kinderen: Kinderen) -> Iterator[tuple]:
    """The meldingen as rows of MELDING_VELDEN, in order of registration; the rows that hang
    off them go into `kinderen`. Deterministic: its own stream of draws, in this order.

    Statuses follow behandeling/services.py: B and G were taken in behandeling (who, when), G
    has a terugkoppeling with a reden afgesloten, K came from R or B (with a toelichting of the
    behandelaar when the school asked for action), I has a reden (and with Anders a
    toelichting), who and when. Each melding that moved on has one history entry, its latest
    step. Nothing is anonymised; versie is 1."""
    t = Toeval(f"laad_volume:{plan.seed}:meldingen")
    r, kies, getal = t.random, t.kies, t.getal
    vandaag = plan.vandaag.toordinal()
    # The last moment anything happened: yesterday, 20:00 UTC (21:00 or 22:00 local time).
    laatst = (vandaag - 1) * 1440 + 20 * 60
    # Per gemeente/school, resolved once.
    instanties = [tuple(sleutels.instantie(n) for n in g.routering) for g in plan.gemeenten]
    behandelaar_naam = {n: plan.behandelaars[n] for g in plan.gemeenten for n in g.routering}
    behandelaar = {naam: sleutels.gebruiker(u) for naam, u in behandelaar_naam.items()}
    melder = [sleutels.gebruiker(s.melder) for s in plan.scholen]
    datum = datetime.date.fromordinal
    e_mails: dict[int, str] = {}

    def na(moment: int, minimaal: int, maximaal: int) -> int:
        """A moment in working hours `minimaal` to `maximaal` minutes after `moment`, at the
        latest `laatst`."""
        m = moment + minimaal + int(r() * (maximaal - minimaal))
        dag, minuut = divmod(m, 1440)
        if not 7 * 60 <= minuut <= 17 * 60:
            m = (dag + (minuut > 17 * 60)) * 1440 + 7 * 60 + int(r() * 120)
        return max(moment, min(m, laatst))

    for n, (moment, li, begin, eind, meld, soort, keten) in enumerate(plan.skeletten):
        leerling = plan.leerlingen[li]
        school = plan.scholen[leerling.school]
        leeftijd = _leeftijd(leerling.geboortedatum, datum(begin))
        categorie = _routering_index(leeftijd)
        instantie_naam = plan.gemeenten[leerling.gemeente].routering[categorie]
        melding = sleutels.melding(n)

        actie_gewenst = r() < 0.85
        ouderdom = vandaag - meld
        status = t.gewogen(
            STATUS_RECENT
            if ouderdom < 14
            else STATUS_WEKEN
            if ouderdom < 60
            else STATUS_MAANDEN
            if ouderdom < 240
            else STATUS_OUD
        )
        if keten and status == I:
            status = G  # the V3 under an LRV stays (`regels.lrv_niet_gedekt`)
        if not actie_gewenst and status == G and r() < 0.7:
            status = K  # ter kennisgeving is meant for meldingen without actie gewenst

        # What the instantie and the school did, in order (behandeling/services.py).
        geopend = in_behandeling = terugkoppeling = einde = 0
        via_behandeling = status in (B, G) or (status in (K, I) and r() < 0.35)
        if status != R or (ouderdom > 5 and r() < 0.7):
            geopend = na(moment, 10, 3 * 1440)
        if via_behandeling:
            in_behandeling = na(geopend, 5, 7 * 1440)
            if status == G or (status in (B, K) and r() < 0.3):
                terugkoppeling = na(in_behandeling, 60, 30 * 1440)
        if status in (G, K, I):
            einde = na(terugkoppeling or in_behandeling or geopend or moment, 30, 45 * 1440)
        gewijzigd = max(moment, in_behandeling, terugkoppeling, einde)

        reden_afgesloten = kies(REDENEN_AFGESLOTEN) if status == G else ""
        reden_intrekken = toelichting_intrekken = ""
        if status == I:
            reden_intrekken = t.gewogen(REDENEN_INTREKKEN)
            if reden_intrekken == RedenIntrekken.ANDERS:
                toelichting_intrekken = "Leerling bleek met verlof; verkeerd geregistreerd."
        acties = t.gewogen(ACTIES)
        contact = kies(school.contactpersonen)
        alle_lessen = not (eind and soort in ("V3", "V4", "O") and r() < 0.1)
        if r() < 0.3:
            if li not in e_mails:
                e_mails[li] = (
                    f"{_slug(leerling.naam.split()[0])}.{_slug(leerling.achternaam)}"
                    "@mail.example.nl"
                )
            leerling_email = e_mails[li]
        else:
            leerling_email = ""

        yield (
            melding,
            sleutels.nummer(n),
            sleutels.leerling(li),
            school.code,
            datum(meld),
            status,
            Wet.LEERPLICHTWET.value if leeftijd < 18 else Wet.RMC.value,
            instanties[leerling.gemeente][categorie],
            leerling_email,
            _telefoon(t) if r() < 0.3 else "",
            "",  # afwijkend adres: none, so every address field stays empty
            "",
            None,
            "",
            "",
            "",
            "",
            "",
            datum(begin),
            datum(eind) if eind else None,
            soort,
            kies(REDENEN_LUXE if soort == "L" else REDENEN),
            kies(TOELICHTINGEN) if r() < 0.3 else "",
            actie_gewenst,
            "" if actie_gewenst else kies(GEEN_ACTIE),
            actie_gewenst and r() < 0.1,
            school.aanbieder,
            leerling.locatie,
            *contact,
            alle_lessen,
            acties,
            kies(TOELICHTING_ACTIES) if ANDERS in acties or r() < 0.15 else "",
            r() < 0.2,
            reden_intrekken,
            toelichting_intrekken,
            _tijdstip(einde) if status == I else None,
            melder[leerling.school] if status == I else None,
            behandelaar[instantie_naam] if in_behandeling else None,
            _tijdstip(in_behandeling) if in_behandeling else None,
            _tijdstip(geopend) if geopend else None,
            melder[leerling.school],
            _tijdstip(moment),
            1,
            _tijdstip(gewijzigd),
        )

        # Off the melding: terugkoppeling, verzuimdagen, contactpersonen, the latest step.
        if terugkoppeling:
            kinderen.terugkoppelingen.append(
                (
                    melding,
                    plan.volledige_namen.get(behandelaar_naam[instantie_naam]) or "Behandelaar",
                    "RMC-consulent" if leeftijd >= 18 else "Leerplichtambtenaar",
                    f"{behandelaar_naam[instantie_naam]}@{DOMEIN}",
                    _telefoon(t) if r() < 0.5 else "",
                    datum(terugkoppeling // 1440),
                    instantie_naam,
                    kies(TERUGKOPPELINGEN),
                    reden_afgesloten,
                )
            )
        if not alle_lessen:
            dagen = sorted(t.steekproef(range(begin, eind + 1), min(eind - begin + 1, 5)))
            for dag in dagen[: getal(1, len(dagen))]:
                hele_dag = r() < 0.5
                kinderen.verzuimdagen.append(
                    (
                        melding,
                        datum(dag),
                        hele_dag,
                        [] if hele_dag else sorted(t.steekproef(range(1, 9), getal(1, 4))),
                        "Te laat en daarna weggegaan" if r() < 0.1 else "",
                    )
                )
        if r() < 0.25:
            for volgnummer in range(1, 2 + (r() < 0.33)):
                voornaam = kies(kies((VOORNAMEN_M, VOORNAMEN_V)))
                kinderen.contactpersonen.append(
                    (
                        melding,
                        volgnummer,
                        f"{voornaam} {leerling.achternaam}",
                        kies(RELATIES),
                        f"{_slug(voornaam)}@mail.example.nl" if r() < 0.5 else "",
                        _telefoon(t) if r() < 0.7 else "",
                    )
                )
        if status != R:
            vorige = B if via_behandeling else R
            if status == B:
                blok, velden = "In behandeling genomen", [_w("status", R, B)]
            elif status == G:
                blok = "Afgesloten"
                velden = [
                    _w("status", B, G),
                    _w("terugkoppeling.reden_afgesloten", "", reden_afgesloten),
                ]
            elif status == K:
                blok, velden = "Ter kennisgeving aangenomen", [_w("status", vorige, K)]
                if actie_gewenst:  # the behandelaar says why (`behandeling.regels`)
                    velden.append(_w("toelichting_instantie", "", kies(KENNISGEVING)))
            else:
                blok = "Intrekken"
                velden = [_w("status", vorige, I), _w("reden_intrekken", "", reden_intrekken)]
            kinderen.wijzigingen.append(
                (
                    melding,
                    melder[leerling.school] if status == I else behandelaar[instantie_naam],
                    _tijdstip(einde or in_behandeling),
                    blok,
                    velden,
                )
            )


def _w(veld: str, oud: str, nieuw: str) -> dict:
    """A changed field as MeldingWijziging.velden holds it."""
    return {"veld": veld, "oud": oud, "nieuw": nieuw}


def leerling_rijen(plan: Plan, sleutels: Sleutels) -> Iterator[tuple]:
    for i, leerling in enumerate(plan.leerlingen):
        yield (
            sleutels.leerling(i),
            leerling.pgn,
            leerling.naam,
            leerling.geboortedatum,
            leerling.geslacht,
            leerling.straatnaam,
            leerling.huisnummer,
            leerling.huisletter,
            leerling.huisnummertoevoeging,
            leerling.postcode,
            leerling.plaatsnaam,
            leerling.woonland,
            leerling.startkwalificatie,
        )


def inschrijving_rijen(plan: Plan, sleutels: Sleutels) -> Iterator[tuple]:
    """One hoofdinschrijving per pupil, open-ended, at its school's aanbieder and a locatie of
    that aanbieder."""
    for i, leerling in enumerate(plan.leerlingen):
        school = plan.scholen[leerling.school]
        yield (
            sleutels.leerling(i),
            school.code,
            school.aanbieder,
            leerling.locatie,
            leerling.ingeschreven,
            None,
            True,
        )


def vingerafdruk(plan: Plan) -> str:
    """A digest of every row the plan makes (references instead of ids and meldingnummers):
    equal for equal input."""
    h = hashlib.sha256()
    h.update(repr((plan.gemeenten, plan.instanties, plan.gebruikers, plan.scholen)).encode())
    sleutels, kinderen = Sleutels(), Kinderen()
    for rijen in (
        leerling_rijen(plan, sleutels),
        inschrijving_rijen(plan, sleutels),
        melding_rijen(plan, sleutels, kinderen),
    ):
        for rij in rijen:
            h.update(repr(rij).encode())
    h.update(repr(dataclasses.astuple(kinderen)).encode())
    return h.hexdigest()


# --- Loading -----------------------------------------------------------------------------------


@dataclasses.dataclass
class Resultaat:
    leerlingen: int
    meldingen: int
    gemeenten: int
    regios: int
    instellingen: int
    seconden: float
    vandaag: datetime.date
    indexen_later: bool


def _reserveer(cursor, sequence: str, aantal: int) -> list[int]:
    """`aantal` values of the sequence, ascending: ours alone, whatever runs at the same time
    (which may take values in between)."""
    cursor.execute(
        "SELECT nextval(%s::regclass) FROM generate_series(1, %s::integer)", [sequence, aantal]
    )
    return sorted(r[0] for r in cursor.fetchall())


def _id_sequence(cursor, model) -> str:
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
    return cursor.fetchone()[0]


def _tabel(model) -> sql.Identifier:
    return sql.Identifier(model._meta.db_table)


def _copy(cursor, model, velden: tuple[str, ...], rijen) -> None:
    """COPY the rows (values in the order of the field names `velden`) into the model's table."""
    kolommen = sql.SQL(", ").join(sql.Identifier(model._meta.get_field(v).column) for v in velden)
    opdracht = sql.SQL("COPY {} ({}) FROM STDIN").format(_tabel(model), kolommen)
    with cursor.copy(opdracht) as copy:
        for rij in rijen:
            copy.write_row(rij)


# The tables COPY fills: large at national scale.
GROTE_TABELLEN = (
    Leerling,
    Inschrijving,
    Melding,
    Terugkoppeling,
    Verzuimdag,
    ContactpersoonLeerling,
    MeldingWijziging,
)


@contextlib.contextmanager
def _indexen_later(cursor, modellen):
    """Drop the indexes, foreign keys, unique and exclusion constraints of these tables, and
    build them again, exactly as the catalog defines them, once the block is done: building an
    index over 2 million rows at once is many times cheaper than keeping twenty of them up to
    date row by row, and Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so every row
    would queue a check per key until COMMIT. Every constraint is checked again when it is
    added back, over all rows, so the guarantee stays. The primary keys (which other tables'
    foreign keys need) and the CHECK constraints stay. All of it happens in the caller's
    transaction: when anything fails, the rollback brings the schema back as well; until then
    the tables are locked for others."""
    tabellen = [m._meta.db_table for m in modellen]
    # Constraints that other tables' rows queued checks for earlier in this transaction
    # would make ALTER TABLE refuse ("pending trigger events"): check them now.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype
        FROM pg_constraint
        WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u', 'x')
        ORDER BY contype = 'f', conrelid::regclass::text, conname
        """,
        [tabellen],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """
        SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid)
        FROM pg_index i
        WHERE indrelid = ANY(%s::regclass[]) AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid
            AND c.conrelid = i.indrelid
        )
        ORDER BY 1
        """,
        [tabellen],
    )
    indexen = cursor.fetchall()
    # Foreign keys first (last in the list): a unique constraint cannot go while one uses it.
    for tabel, naam, _, _ in reversed(constraints):
        cursor.execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                sql.SQL(tabel), sql.Identifier(naam)
            )
        )
    for index, _ in indexen:
        cursor.execute(sql.SQL("DROP INDEX {}").format(sql.SQL(index)))
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    yield len(constraints) + len(indexen)
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for _, definitie in indexen:
        cursor.execute(definitie)
    for tabel, naam, definitie, _ in constraints:
        cursor.execute(
            sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                sql.SQL(tabel), sql.Identifier(naam), sql.SQL(definitie)
            )
        )


def _registers(plan: Plan) -> tuple[dict[str, int], dict[str, int]]:
    """The registers and users, through the ORM (a few thousand rows at most). Returns the ids
    of the instanties and of the users by name."""
    nieuwe_scholen = [s for s in plan.scholen if s.nieuw]
    Instelling.objects.bulk_create(
        Instelling(instellingscode=s.code, naam=s.naam, plaats=s.plaats) for s in nieuwe_scholen
    )
    Onderwijsaanbieder.objects.bulk_create(
        Onderwijsaanbieder(code=s.aanbieder, naam=s.aanbieder_naam, instelling_id=s.code)
        for s in nieuwe_scholen
    )
    Onderwijslocatie.objects.bulk_create(
        Onderwijslocatie(code=code, postcode=postcode, huisnummer=nr, aanbieder_id=s.aanbieder)
        for s in nieuwe_scholen
        for code, postcode, nr in s.locaties
    )
    UitvoerendeInstantie.objects.bulk_create(
        UitvoerendeInstantie(naam=i.naam, email=i.email, wil_email=i.wil_email)
        for i in plan.instanties
    )
    instanties = dict(
        UitvoerendeInstantie.objects.filter(
            naam__in={n for g in plan.gemeenten for n in g.routering}
        ).values_list("naam", "pk")
    )
    nieuwe_gemeenten = [g for g in plan.gemeenten if g.nieuw]
    gemeenten = Gemeente.objects.bulk_create(
        Gemeente(
            naam=g.naam,
            leerplicht_instantie_id=instanties[g.routering[0]],
            rmc_instantie_id=instanties[g.routering[2]],
        )
        for g in nieuwe_gemeenten
    )
    PostcodeGebied.objects.bulk_create(
        PostcodeGebied(gemeente=gemeente, van=van, tot=tot)
        for gemeente, g in zip(gemeenten, nieuwe_gemeenten, strict=True)
        for van, tot in g.gebieden
    )
    User = get_user_model()
    nieuw = User.objects.bulk_create(
        User(
            username=u.username,
            first_name=u.first_name,
            last_name=u.last_name,
            email=f"{u.username}@{DOMEIN}",
            password=GEEN_WACHTWOORD,
            date_joined=datetime.datetime.combine(plan.vandaag, datetime.time(), tzinfo=UTC),
        )
        for u in plan.gebruikers
    )
    rollen = {"melder": rol_verzuimloketmelder(), "behandelaar": rol_behandelaar()}
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=gebruiker.pk, group_id=rollen[u.rol].pk)
        for gebruiker, u in zip(nieuw, plan.gebruikers, strict=True)
    )
    Machtiging.objects.bulk_create(
        Machtiging(gebruiker=gebruiker, instelling_id=u.organisatie)
        for gebruiker, u in zip(nieuw, plan.gebruikers, strict=True)
        if u.rol == "melder"
    )
    InstantieMachtiging.objects.bulk_create(
        InstantieMachtiging(gebruiker=gebruiker, instantie_id=instanties[u.organisatie])
        for gebruiker, u in zip(nieuw, plan.gebruikers, strict=True)
        if u.rol == "behandelaar"
    )
    gebruikers = dict(
        User.objects.filter(
            username__in={*plan.behandelaars.values(), *(s.melder for s in plan.scholen)}
        ).values_list("username", "pk")
    )
    return instanties, gebruikers


# From this many meldingen on, and when they at least double the table, the indexes are
# built afterwards (`_indexen_later`); below it they are kept up to date row by row.
INDEXEN_LATER_VANAF = 100_000


@transaction.atomic
def laad_volume(
    *,
    leerlingen: int,
    meldingen: int,
    seed: int = 1,
    vandaag: datetime.date | None = None,
    indexen_later: bool | None = None,
    voortgang: Callable[[str], None] = lambda tekst: None,
) -> Resultaat:
    """Load a volume set on top of the demo, in one transaction; VolumeFout (a Dutch message)
    when refused: no demo, a set already loaded, more meldingen than fit. `vandaag` is the
    reference day every date derives from (today by default). `indexen_later`: drop and
    rebuild the indexes and constraints of the big tables (None: when that pays)."""
    start = time.monotonic()
    vandaag = vandaag or vandaag_nu()

    def meld(tekst: str) -> None:
        voortgang(f"{tekst} ({time.monotonic() - start:.1f} s)")

    bestaand = lees_bestaand()
    plan = maak_plan(
        leerlingen=leerlingen, meldingen=meldingen, seed=seed, vandaag=vandaag, bestaand=bestaand
    )
    nieuwe_gemeenten = sum(g.nieuw for g in plan.gemeenten)
    regios = len({g.regio for g in plan.gemeenten if g.nieuw})
    meld(
        f"Plan: {leerlingen} leerlingen, {plan.aantal_meldingen} meldingen, "
        f"{nieuwe_gemeenten} gemeenten in {regios} RMC-regio's, "
        f"{len(plan.scholen) - 1} instellingen"
    )
    instanties, gebruikers = _registers(plan)
    meld("Registers en gebruikers aangemaakt")

    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own cursor, for COPY
        if indexen_later is None:
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(_tabel(Melding)))
            indexen_later = plan.aantal_meldingen >= max(INDEXEN_LATER_VANAF, cursor.fetchone()[0])
        with _indexen_later(cursor, GROTE_TABELLEN) if indexen_later else _geen() as aantal:
            if indexen_later:
                meld(f"{aantal} indexen en constraints van de grote tabellen even weggehaald")
            leerling_ids = _reserveer(cursor, _id_sequence(cursor, Leerling), leerlingen)
            sleutels = Sleutels(
                leerling=leerling_ids.__getitem__,
                instantie=instanties.__getitem__,
                gebruiker=gebruikers.__getitem__,
            )
            _copy(cursor, Leerling, LEERLING_VELDEN, leerling_rijen(plan, sleutels))
            _copy(cursor, Inschrijving, INSCHRIJVING_VELDEN, inschrijving_rijen(plan, sleutels))
            meld(f"{leerlingen} leerlingen met hun inschrijving geladen")

            melding_ids = _reserveer(cursor, _id_sequence(cursor, Melding), plan.aantal_meldingen)
            nummers = _reserveer(cursor, MELDINGNUMMER_SEQUENCE, plan.aantal_meldingen)
            sleutels.melding = melding_ids.__getitem__
            sleutels.nummer = nummers.__getitem__
            kinderen = Kinderen()
            _copy(cursor, Melding, MELDING_VELDEN, melding_rijen(plan, sleutels, kinderen))
            meld(f"{plan.aantal_meldingen} meldingen geladen")
            _copy(cursor, Terugkoppeling, TERUGKOPPELING_VELDEN, kinderen.terugkoppelingen)
            _copy(cursor, Verzuimdag, VERZUIMDAG_VELDEN, kinderen.verzuimdagen)
            _copy(cursor, ContactpersoonLeerling, CONTACTPERSOON_VELDEN, kinderen.contactpersonen)
            _copy(
                cursor,
                MeldingWijziging,
                WIJZIGING_VELDEN,
                ((m, g, t, b, Jsonb(v)) for m, g, t, b, v in kinderen.wijzigingen),
            )
            meld(
                f"{len(kinderen.terugkoppelingen)} terugkoppelingen, "
                f"{len(kinderen.verzuimdagen)} verzuimdagen, "
                f"{len(kinderen.contactpersonen)} contactpersonen en "
                f"{len(kinderen.wijzigingen)} wijzigingen geladen"
            )
            del kinderen
        if indexen_later:
            meld("Indexen en constraints opnieuw opgebouwd en gecontroleerd")
        # Fresh statistics, so the planner knows the tables' new size straight away.
        for model in (*GROTE_TABELLEN, Instelling, Onderwijslocatie, Gemeente, PostcodeGebied):
            cursor.execute(sql.SQL("ANALYZE {}").format(_tabel(model)))
        meld("ANALYZE klaar")
    return Resultaat(
        leerlingen=leerlingen,
        meldingen=plan.aantal_meldingen,
        gemeenten=nieuwe_gemeenten,
        regios=regios,
        instellingen=len(plan.scholen) - 1,
        seconden=time.monotonic() - start,
        vandaag=vandaag,
        indexen_later=indexen_later,
    )


@contextlib.contextmanager
def _geen():
    yield 0
