"""factory_boy factories for the registers, users and meldingen.

The demo data (`leerlingen.demo.laad_demo`) builds the manual's story; these factories build
anything else a test needs. Every factory produces rows that satisfy the database constraints.
"""

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model

from leerlingen.autorisatie import rol_behandelaar, rol_verzuimloketmelder
from leerlingen.models import (
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
from meldingen.models import Melding, OndernomenActie, Status, Verzuimsoort, Wet


def _bsns():
    """Valid BSNs (11-proof), starting well away from the demo numbers."""
    for basis in itertools.count(12000000):
        cijfers = [int(c) for c in f"{basis:08d}"]
        rest = sum(c * (9 - i) for i, c in enumerate(cijfers)) % 11
        if rest < 10:
            yield f"{basis:08d}{rest}"


_bsn = _bsns()


def _letters(n: int) -> str:
    return chr(ord("A") + (n // 26) % 26) + chr(ord("A") + n % 26)


class InstellingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instelling
        django_get_or_create = ("instellingscode",)

    instellingscode = factory.Sequence(lambda n: f"{10 + n % 90:02d}{_letters(n // 90)}")
    naam = factory.Sequence(lambda n: f"School {n}")
    plaats = "Groningen"


class OnderwijsaanbiederFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Onderwijsaanbieder

    code = factory.Sequence(lambda n: f"{200 + n // 1000:03d}A{n % 1000:03d}")
    naam = factory.Sequence(lambda n: f"Aanbieder {n}")
    instelling = factory.SubFactory(InstellingFactory)


class OnderwijslocatieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Onderwijslocatie

    code = factory.Sequence(lambda n: f"{200 + n // 1000:03d}X{n % 1000:03d}")
    postcode = "9712HN"
    huisnummer = 1
    aanbieder = factory.SubFactory(OnderwijsaanbiederFactory)


class UitvoerendeInstantieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UitvoerendeInstantie

    naam = factory.Sequence(lambda n: f"Gemeente {n}")
    email = factory.Sequence(lambda n: f"leerplicht{n}@example.nl")
    wil_email = True


class GemeenteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gemeente

    naam = factory.Sequence(lambda n: f"Gemeente {n}")
    leerplicht_instantie = factory.SubFactory(UitvoerendeInstantieFactory)
    rmc_instantie = factory.SubFactory(UitvoerendeInstantieFactory)


class PostcodeGebiedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostcodeGebied

    gemeente = factory.SubFactory(GemeenteFactory)
    van = 9711
    tot = 9747


class LeerlingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Leerling

    pgn = factory.LazyFunction(lambda: next(_bsn))
    naam = factory.Faker("name", locale="nl_NL")
    geboortedatum = datetime.date(2010, 6, 1)
    geslacht = "V"
    straatnaam = "Oude Boteringestraat"
    huisnummer = 10
    postcode = "9712HN"
    plaatsnaam = "Groningen"


class InschrijvingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inschrijving

    leerling = factory.SubFactory(LeerlingFactory)
    instelling = factory.SubFactory(InstellingFactory)
    aanbieder = factory.SubFactory(
        OnderwijsaanbiederFactory, instelling=factory.SelfAttribute("..instelling")
    )
    locatie = factory.SubFactory(
        OnderwijslocatieFactory, aanbieder=factory.SelfAttribute("..aanbieder")
    )
    begindatum = datetime.date(2022, 8, 1)
    einddatum = None
    hoofdinschrijving = True


class GebruikerFactory(factory.django.DjangoModelFactory):
    """A user; `melder=True` gives the school's role, `machtigingen=[instelling, ...]` its
    machtigingen; `behandelaar=True` and `instanties=[instantie, ...]` the same for an
    uitvoerende instantie."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    password = factory.django.Password("verzuimloket-test")

    @factory.post_generation
    def melder(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(rol_verzuimloketmelder())

    @factory.post_generation
    def machtigingen(self, create, extracted, **kwargs):
        for instelling in extracted or []:
            Machtiging.objects.get_or_create(gebruiker=self, instelling=instelling)

    @factory.post_generation
    def behandelaar(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(rol_behandelaar())

    @factory.post_generation
    def instanties(self, create, extracted, **kwargs):
        for instantie in extracted or []:
            InstantieMachtiging.objects.get_or_create(gebruiker=self, instantie=instantie)


class MeldingFactory(factory.django.DjangoModelFactory):
    """A stored melding, as the register holds it (not through the registering service)."""

    class Meta:
        model = Melding

    leerling = factory.SubFactory(LeerlingFactory)
    instelling = factory.SubFactory(InstellingFactory)
    melddatum = factory.LazyAttribute(lambda o: o.einddatum or o.begindatum)
    status = Status.GEREGISTREERD
    wet = Wet.LEERPLICHTWET
    uitvoerende_instantie = factory.SubFactory(UitvoerendeInstantieFactory)
    begindatum = datetime.date(2026, 2, 2)
    einddatum = datetime.date(2026, 2, 4)
    soort = Verzuimsoort.OVERIG
    vermoedelijke_reden = "Spijbelen"
    actie_gewenst = True
    aanbieder = factory.SubFactory(
        OnderwijsaanbiederFactory, instelling=factory.SelfAttribute("..instelling")
    )
    locatie = factory.SubFactory(
        OnderwijslocatieFactory, aanbieder=factory.SelfAttribute("..aanbieder")
    )
    contactpersoon_naam = "K. Smit"
    contactpersoon_email = "k.smit@school.example.nl"
    ondernomen_acties = factory.LazyFunction(lambda: [OndernomenActie.BRIEF])
