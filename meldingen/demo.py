"""The whole demo (`manage.py laad_demo`, also used by the tests): the registers and users of
`leerlingen.demo`, and historic demo meldingen.

The meldingen are created as stored records, not through the registering service, because their
dates lie where registering today would refuse them (a begindatum 14 months ago). They still
satisfy every database constraint."""

import contextlib
import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from leerlingen.demo import Demo, laad_registers

from .models import (
    Melding,
    OndernomenActie,
    RedenAfgesloten,
    RedenIntrekken,
    Status,
    Terugkoppeling,
    Verzuimsoort,
)
from .regels import uitvoerende_instantie_voor, wet_voor


@transaction.atomic
def laad_demo(vandaag: datetime.date) -> Demo:
    """Registers, users and meldingen for `vandaag`; idempotent."""
    demo = laad_registers(vandaag)
    laad_demo_meldingen(demo)
    return demo


def laad_demo_meldingen(demo: Demo) -> None:
    dag = datetime.timedelta(days=1)
    t = demo.vandaag
    for pgn, code, soort, begin, eind, melddatum, status in [
        (
            "999999989",
            "24GP",
            Verzuimsoort.LUXE,
            t - 60 * dag,
            t - 58 * dag,
            t - 55 * dag,
            Status.GEREGISTREERD,
        ),
        (
            "999999989",
            "24GP",
            Verzuimsoort.OVERIG,
            t - 150 * dag,
            t - 148 * dag,
            t - 147 * dag,
            Status.AFGESLOTEN,
        ),
        (
            "999990081",
            "00BB",
            Verzuimsoort.OVERIG,
            t - 30 * dag,
            t - 28 * dag,
            t - 27 * dag,
            Status.GEREGISTREERD,
        ),
        (
            "999990093",
            "24GP",
            Verzuimsoort.V3,
            t - 425 * dag,
            t - 415 * dag,
            t - 413 * dag,
            Status.GEREGISTREERD,
        ),
        # For the uitvoerende instanties: a melding in every status, at each of them.
        # (Months back, so trying the school side today meets none of them.)
        ("999990019", "24GP", Verzuimsoort.RMC, t - 200 * dag, t - 170 * dag, t - 169 * dag, "R"),
        ("999990007", "24GP", Verzuimsoort.V3, t - 100 * dag, t - 95 * dag, t - 94 * dag, "B"),
        ("999990032", "24GP", Verzuimsoort.OVERIG, t - 90 * dag, t - 89 * dag, t - 88 * dag, "K"),
        ("999990068", "24GP", Verzuimsoort.LUXE, t - 150 * dag, t - 145 * dag, t - 144 * dag, "I"),
    ]:
        leerling = demo.leerlingen[pgn]
        instelling = demo.instellingen[code]
        inschrijving = leerling.inschrijvingen.get(instelling=instelling)
        # The demo melding is the first of its pupil, instelling and soort: meldingen users
        # registered later for the same pupil are left alone (and do not make this fail).
        demo_melding = (
            Melding.objects.filter(leerling=leerling, instelling=instelling, soort=soort)
            .order_by("nummer")
            .only("pk", "status")
            .first()
        )
        velden = {
            "leerling": leerling,
            "instelling": instelling,
            "soort": soort,
            "begindatum": begin,
            "einddatum": eind,
            "melddatum": melddatum,
            "status": status,
            "wet": wet_voor(leerling, begin),
            "uitvoerende_instantie": uitvoerende_instantie_voor(leerling, begin),
            "vermoedelijke_reden": "Vakantie buiten de schoolvakanties"
            if soort == Verzuimsoort.LUXE
            else "Onbekend, leerling reageert niet op berichten",
            "actie_gewenst": True,
            "aanbieder": inschrijving.aanbieder,
            "locatie": inschrijving.locatie,
            "contactpersoon_naam": "K. Smit",
            "contactpersoon_functie": "Verzuimcoördinator",
            "contactpersoon_email": f"verzuim@{code.lower()}.example.nl",
            "ondernomen_acties": [OndernomenActie.BRIEF],
            "geregistreerd_door": demo.gebruikers["melder" if code == "24GP" else "melder-zuid"],
        }
        if demo_melding is None:
            melding = Melding.objects.create(**velden, **_behandeling(status, demo, t))
        else:
            # Whatever users did with it since (intrekken, behandelen) stays; only the story's
            # dates move with the day.
            del velden["status"]
            # On a later day the moved demo period could overlap a melding registered since:
            # then the demo melding stays where it is rather than failing `make run`.
            with contextlib.suppress(IntegrityError), transaction.atomic():
                Melding.objects.filter(pk=demo_melding.pk).update(**velden)
            melding = Melding.objects.get(pk=demo_melding.pk)
        if status == Status.AFGESLOTEN:
            Terugkoppeling.objects.update_or_create(
                melding=melding,
                defaults={
                    "naam": "J. de Boer",
                    "functie": "Leerplichtambtenaar",
                    "email": "j.deboer@groningen.example.nl",
                    "telefoon": "050 599 8888",
                    "datum": t - 120 * dag,
                    "instantienaam": melding.uitvoerende_instantie.naam,
                    "toelichting": "Gesprek gevoerd met leerling en ouders; leerling is weer "
                    "op school.",
                    "reden_afgesloten": RedenAfgesloten.HERVAT,
                },
            )


def _behandeling(status: str, demo, t: datetime.date) -> dict:
    """What the demo story's status says happened: opened by the instantie, taken in
    behandeling, withdrawn."""
    if status == Status.GEREGISTREERD:
        return {}
    moment = timezone.make_aware(datetime.datetime.combine(t, datetime.time(9)))
    velden = {"geopend_op": moment}
    if status == Status.IN_BEHANDELING:
        velden |= {
            "in_behandeling_door": demo.gebruikers["lpa-groningen"],
            "in_behandeling_op": moment,
        }
    if status == Status.INGETROKKEN:
        velden |= {
            "reden_intrekken": RedenIntrekken.TEN_ONRECHTE,
            "ingetrokken_op": moment,
            "ingetrokken_door": demo.gebruikers["melder"],
        }
    return velden
