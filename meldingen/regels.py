"""The rules that need today's date or other rows, in one place (docs/regels.md lists them all).

Forms call these to put a message next to the field; the services call them again inside the
transaction, so no path around the forms (admin, shell, API) can break them. Each checker returns
a dict of field name -> list of messages (`Fouten`, empty when all is well); `NIET_VELD` is the
key of a message that belongs to no field. Rules one row can hold are database constraints
(`models.py`); which status allows what is `workflow.py`.
"""

import datetime
import functools
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import connection
from django.db.models import Prefetch, Q

from leerlingen.models import (
    AlternatieveRoutering,
    Gemeente,
    Inschrijving,
    Instelling,
    Leerling,
    Onderwijsaanbieder,
    Onderwijslocatie,
)
from verzuimloket import vaste_sql
from verzuimloket.datums import een_jaar_voor

from . import limieten, workflow
from .models import Melding, RedenIntrekken, Verzuimsoort, Wet

MAX_LEEFTIJD = 23  # from 23 on, nothing can be registered
LRV_RMC_DAGEN = 28

BLOKKADE_TITEL = "Er kan voor deze leerling geen verzuim worden geregistreerd."
BLOKKADE_REGISTER = (
    "Deze persoon is te oud, heeft een startkwalificatie of woont niet in Nederland. "
    "Raadpleeg de handleiding voor meer informatie."
)
BLOKKADE_NIET_INGESCHREVEN = (
    "Deze leerling staat op dit moment niet bij uw instelling ingeschreven. U kunt alleen "
    "verzuim registreren als de leerling bij uw instelling staat ingeschreven."
)
ALLEEN_HOOFDINSCHRIJVING = "Alleen de instelling met de hoofdinschrijving mag verzuim melden"
NIET_INGESCHREVEN_OP_BEGINDATUM = (
    "De leerling stond op de begindatum niet bij uw instelling ingeschreven."
)
OVERLAP = "De verzuimperiode valt (deels) samen met melding {nummer} voor deze leerling."


Fouten = dict[str, list[str]]
NIET_VELD = NON_FIELD_ERRORS


def _voeg_toe(fouten: Fouten, veld: str, melding: str) -> None:
    fouten.setdefault(veld, []).append(melding)


@dataclass(frozen=True)
class Blokkade:
    titel: str
    tekst: str


def registreren_blokkade(
    leerling: Leerling,
    instelling: Instelling,
    datum: datetime.date,
    *,
    inschrijvingen: list[Inschrijving] | None = None,
) -> Blokkade | None:
    """Why the *Registreer nieuwe melding* button is not offered today, or None.
    `inschrijvingen`: as `inschrijvingen_bij` returns them, when the caller has them."""
    if (
        leerling.leeftijd_op(datum) >= MAX_LEEFTIJD
        or leerling.startkwalificatie
        or not leerling.woont_in_nederland
    ):
        return Blokkade(BLOKKADE_TITEL, BLOKKADE_REGISTER)
    if inschrijving_op(leerling, instelling, datum, inschrijvingen=inschrijvingen) is None:
        return Blokkade(BLOKKADE_TITEL, BLOKKADE_NIET_INGESCHREVEN)
    return None


def overlappende_melding(
    leerling: Leerling,
    begindatum: datetime.date,
    einddatum: datetime.date | None,
    uitgezonderd: Melding | None = None,
) -> Melding | None:
    """A not-withdrawn melding of this pupil whose period meets [begindatum, einddatum]."""
    qs = Melding.objects.filter(leerling=leerling).niet_ingetrokken()
    qs = qs.filter(Q(einddatum__isnull=True) | Q(einddatum__gte=begindatum))
    if einddatum is not None:
        qs = qs.filter(begindatum__lte=einddatum)
    if uitgezonderd is not None and uitgezonderd.pk:
        qs = qs.exclude(pk=uitgezonderd.pk)
    return qs.order_by("begindatum").only("nummer").first()


# Which enrolment counts when several run on one day: the hoofdinschrijving, then the latest.
_INSCHRIJVING_VOLGORDE = ("-hoofdinschrijving", "-begindatum", "pk")


def inschrijvingen_bij(leerling: Leerling, instelling: Instelling) -> list[Inschrijving]:
    """All of the pupil's enrolments at the instelling (a handful), the one that counts first.
    A request that needs the enrolment on several days (the blokkade today, the period's
    begindatum) reads them once and passes them on as `inschrijvingen`."""
    return list(_inschrijvingen(leerling.pk, instelling))


def _inschrijvingen(leerling_pk: int, instelling: Instelling):
    """The pupil's enrolments at the instelling, the one that counts first."""
    return (
        Inschrijving.objects.filter(leerling_id=leerling_pk, instelling=instelling)
        .select_related("aanbieder", "locatie")
        .order_by(*_INSCHRIJVING_VOLGORDE)
    )


def leerling_met_inschrijvingen(
    leerling_pk: int, instelling: Instelling
) -> tuple[Leerling, list[Inschrijving]] | None:
    """The pupil and `inschrijvingen_bij(leerling, instelling)` in one query, or None when the
    pupil has no enrolment at the instelling: then it is not the instelling's to see (the
    same test as `Leerling.objects.zichtbaar_voor`). Pages that show one pupil need both.
    Fixed SQL (verzuimloket.vaste_sql): the ORM spent more CPU compiling this read of every
    Leerling overzicht and wizard step than PostgreSQL spent running it."""
    sql, (leerling_tabel, inschrijving, aanbieder, locatie) = _leerling_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, {"leerling": leerling_pk, "instelling": instelling.pk})
        rij = cursor.fetchone()
    if rij is None or not rij[-1]:
        return None
    leerling = leerling_tabel.instantie(rij)
    inschrijvingen = []
    for delen in rij[-1]:
        (gevonden,) = inschrijving.uit_json([delen["inschrijving"]])
        (gevonden.aanbieder,) = aanbieder.uit_json([delen["aanbieder"]])
        (gevonden.locatie,) = locatie.uit_json([delen["locatie"]])
        gevonden.leerling = leerling  # one Leerling object, as inschrijvingen_bij gives
        inschrijvingen.append(gevonden)
    return leerling, inschrijvingen


@functools.cache
def _leerling_sql():
    tabellen = (
        vaste_sql.Tabel(Leerling, "l"),
        vaste_sql.Tabel(Inschrijving, "i"),
        vaste_sql.Tabel(Onderwijsaanbieder, "a"),
        vaste_sql.Tabel(Onderwijslocatie, "o"),
    )
    leerling, inschrijving, aanbieder, locatie = tabellen
    sql = f"""
        SELECT {leerling.kolommen},
            (SELECT json_agg(json_build_object('inschrijving', {inschrijving.json},
                                               'aanbieder', {aanbieder.json},
                                               'locatie', {locatie.json})
                             ORDER BY {inschrijving.volgorde(_INSCHRIJVING_VOLGORDE)})
               FROM {Inschrijving._meta.db_table} i
               JOIN {Onderwijsaanbieder._meta.db_table} a ON a.code = i.aanbieder_id
               JOIN {Onderwijslocatie._meta.db_table} o ON o.code = i.locatie_id
              WHERE i.leerling_id = l.id AND i.instelling_id = %(instelling)s)
          FROM {Leerling._meta.db_table} l
         WHERE l.id = %(leerling)s
    """
    return sql, tabellen


def inschrijving_op(
    leerling: Leerling,
    instelling: Instelling,
    datum: datetime.date,
    *,
    inschrijvingen: list[Inschrijving] | None = None,
) -> Inschrijving | None:
    """The enrolment at the instelling on `datum` that counts, or None. With `inschrijvingen`
    (`inschrijvingen_bij`'s list) it is picked from those, without a query."""
    if inschrijvingen is None:
        return _inschrijvingen(leerling.pk, instelling).op(datum).first()
    # The same test as `Inschrijving.objects.op(datum)`, on rows already read.
    return next(
        (
            inschrijving
            for inschrijving in inschrijvingen
            if inschrijving.begindatum <= datum
            and (inschrijving.einddatum is None or inschrijving.einddatum >= datum)
        ),
        None,
    )


def controleer_periode(
    *,
    leerling: Leerling,
    instelling: Instelling,
    begindatum: datetime.date,
    einddatum: datetime.date | None,
    op: datetime.date,
    uitgezonderd: Melding | None = None,
    inschrijvingen: list[Inschrijving] | None = None,
    overlap: bool = True,
) -> Fouten:
    """The first *Verder* of step 2 (and every change of dates): dates, enrolment, overlap.
    `overlap=False` leaves the overlap to the caller: `services.melding_registreren` lets the
    exclusion constraint find it and gives the same message (`OVERLAP`)."""
    fouten: Fouten = {}
    if begindatum > op:
        _voeg_toe(fouten, "begindatum", "De begindatum mag niet in de toekomst liggen.")
    elif begindatum < een_jaar_voor(op):
        _voeg_toe(fouten, "begindatum", "De begindatum mag niet meer dan één jaar geleden liggen.")
    if einddatum is not None:
        if einddatum < begindatum:
            _voeg_toe(fouten, "einddatum", "De einddatum mag niet voor de begindatum liggen.")
        elif einddatum > op:
            _voeg_toe(fouten, "einddatum", "De einddatum mag niet in de toekomst liggen.")
    if fouten:
        return fouten

    inschrijving = inschrijving_op(leerling, instelling, begindatum, inschrijvingen=inschrijvingen)
    if inschrijving is None:
        _voeg_toe(fouten, "begindatum", NIET_INGESCHREVEN_OP_BEGINDATUM)
    elif not inschrijving.hoofdinschrijving:
        _voeg_toe(fouten, "begindatum", ALLEEN_HOOFDINSCHRIJVING)
    if fouten or not overlap:
        return fouten

    andere = overlappende_melding(leerling, begindatum, einddatum, uitgezonderd)
    if andere is not None:
        _voeg_toe(fouten, "begindatum", OVERLAP.format(nummer=andere.nummer))
    return fouten


def beschikbare_soorten(leerling: Leerling, begindatum: datetime.date) -> list[Verzuimsoort]:
    """The soorten offered for this pupil on this begindatum (docs/regels.md, Blok Verzuim)."""
    leeftijd = leerling.leeftijd_op(begindatum)
    soorten = []
    if leeftijd < 18:
        soorten += [Verzuimsoort.V3, Verzuimsoort.LRV]
    elif leeftijd < MAX_LEEFTIJD:
        soorten.append(Verzuimsoort.V4)
        if not leerling.startkwalificatie:
            soorten.append(Verzuimsoort.RMC)
    soorten += [Verzuimsoort.OVERIG, Verzuimsoort.LUXE]
    return soorten


# With these soorten the einddatum is required (the day the 16 hours were reached).
EINDDATUM_VERPLICHT_BIJ = (Verzuimsoort.V3, Verzuimsoort.V4)
EINDDATUM_VERPLICHT = (
    "Vul de einddatum in. Bij 16 uren per 4 weken is dat de dag waarop de 16 uur bereikt werd."
)


def einddatum_verplicht(soort: str) -> bool:
    return soort in EINDDATUM_VERPLICHT_BIJ


LRV_NIET_GEDEKT = (
    "Langdurig relatief verzuim kunt u pas melden vanaf dag 29: de 28 dagen voor de begindatum "
    "moeten aaneengesloten gemeld zijn als '16 uren per 4 weken' door uw instelling. Voor "
    "{dag:%d-%m-%Y} is geen melding '16 uren per 4 weken'."
)


def lrv_niet_gedekt(
    *,
    leerling: Leerling,
    instelling: Instelling,
    begindatum: datetime.date,
    uitgezonderd: Melding | None = None,
) -> datetime.date | None:
    """LRV (manual 2.4: "er zijn 28 dagen achter elkaar v3-meldingen gedaan"): the 28 calendar
    days right before the LRV begindatum are covered without a gap by not-withdrawn V3
    meldingen of this pupil from this instelling. Returns the first day not covered, or None."""
    eerste = begindatum - datetime.timedelta(days=LRV_RMC_DAGEN)
    laatste = begindatum - datetime.timedelta(days=1)
    perioden = (
        Melding.objects.filter(
            leerling=leerling,
            instelling=instelling,
            soort=Verzuimsoort.V3,
            begindatum__lte=laatste,
            einddatum__gte=eerste,
        )
        .niet_ingetrokken()
        .exclude(pk=uitgezonderd.pk if uitgezonderd is not None else None)
        .order_by("begindatum")
        .values_list("begindatum", "einddatum")
    )
    dag = eerste  # the first day not known to be covered yet
    for begin, eind in perioden:
        if begin > dag:
            break  # a gap: `dag` is not covered
        dag = max(dag, eind + datetime.timedelta(days=1))
    return dag if dag <= laatste else None


def controleer_soort(
    *,
    leerling: Leerling,
    instelling: Instelling,
    soort: str,
    begindatum: datetime.date,
    einddatum: datetime.date | None,
    op: datetime.date,
    uitgezonderd: Melding | None = None,
) -> Fouten:
    fouten: Fouten = {}
    if soort not in beschikbare_soorten(leerling, begindatum):
        _voeg_toe(fouten, "soort", "Deze verzuimsoort is niet van toepassing op deze leerling.")
        return fouten
    if einddatum_verplicht(soort) and einddatum is None:
        _voeg_toe(fouten, "einddatum", EINDDATUM_VERPLICHT)
    if soort == Verzuimsoort.LRV:
        open_dag = lrv_niet_gedekt(
            leerling=leerling,
            instelling=instelling,
            begindatum=begindatum,
            uitgezonderd=uitgezonderd,
        )
        if open_dag is not None:
            _voeg_toe(fouten, "soort", LRV_NIET_GEDEKT.format(dag=open_dag))
    if soort == Verzuimsoort.RMC:
        if einddatum is None and begindatum + datetime.timedelta(days=LRV_RMC_DAGEN) > op:
            _voeg_toe(
                fouten,
                "soort",
                "RMC verzuim kunt u pas melden na 28 kalenderdagen aaneengesloten verzuim "
                f"(vanaf {begindatum + datetime.timedelta(days=LRV_RMC_DAGEN):%d-%m-%Y}).",
            )
        elif einddatum is not None and (einddatum - begindatum).days + 1 < LRV_RMC_DAGEN:
            _voeg_toe(
                fouten,
                "einddatum",
                "Bij RMC verzuim beslaat de verzuimperiode minstens 28 kalenderdagen.",
            )
    return fouten


def controleer_verzuim(
    *,
    leerling: Leerling,
    instelling: Instelling,
    begindatum: datetime.date,
    einddatum: datetime.date | None,
    soort: str | None,
    op: datetime.date,
    melding: Melding | None = None,
    alleen_periode: bool = False,
    inschrijvingen: list[Inschrijving] | None = None,
    overlap: bool = True,
) -> Fouten:
    """Step 2 (and the Verzuim block's Wijzig): the period first, then the soort.

    `melding` is the stored melding being changed: it does not overlap with itself, and a
    period and soort it already has are not judged again, so a melding that began 13 months
    ago keeps its dates while its Vermoedelijke reden can still be corrected.
    `inschrijvingen` and `overlap` as `controleer_periode` takes them."""
    periode_gewijzigd = melding is None or (melding.begindatum, melding.einddatum) != (
        begindatum,
        einddatum,
    )
    if periode_gewijzigd:
        fouten = controleer_periode(
            leerling=leerling,
            instelling=instelling,
            begindatum=begindatum,
            einddatum=einddatum,
            op=op,
            uitgezonderd=melding,
            inschrijvingen=inschrijvingen,
            overlap=overlap,
        )
        if not fouten and melding is not None and begindatum > melding.melddatum:
            # A change cannot make the absence begin after it was reported.
            fouten = {
                "begindatum": [
                    f"De begindatum mag niet na de melddatum ({melding.melddatum:%d-%m-%Y}) liggen."
                ]
            }
        if fouten or alleen_periode:
            return fouten
    if soort and (periode_gewijzigd or melding.soort != soort):
        return controleer_soort(
            leerling=leerling,
            instelling=instelling,
            soort=soort,
            begindatum=begindatum,
            einddatum=einddatum,
            op=op,
            uitgezonderd=melding,
        )
    return {}


def waarschuwingen(soort: str, begindatum, einddatum) -> list[str]:
    """Not refusals: a V3/V4 period longer than 28 days (holidays can stretch 4 school weeks)."""
    if (
        soort in (Verzuimsoort.V3, Verzuimsoort.V4)
        and einddatum is not None
        and (einddatum - begindatum).days + 1 > LRV_RMC_DAGEN
    ):
        return [
            "Let op: de verzuimperiode is langer dan 28 dagen. Controleer of het om 4 "
            "aaneengesloten schoolweken gaat."
        ]
    return []


def wet_voor(leerling: Leerling, begindatum: datetime.date) -> str:
    return Wet.LEERPLICHTWET if leerling.leeftijd_op(begindatum) < 18 else Wet.RMC


def gemeente_voor_postcode(postcode: str) -> Gemeente | None:
    if not postcode or not postcode[:4].isdigit():
        return None
    cijfers = int(postcode[:4])
    return (
        Gemeente.objects.filter(
            postcodegebieden__van__lte=cijfers, postcodegebieden__tot__gte=cijfers
        )
        .select_related("leerplicht_instantie", "rmc_instantie")
        # The routeringen with their instantie in one query: two in all, whatever is set.
        .prefetch_related(
            Prefetch(
                "alternatieve_routeringen",
                queryset=AlternatieveRoutering.objects.select_related("instantie"),
            )
        )
        .first()
    )


def uitvoerende_instantie_voor(leerling: Leerling, begindatum: datetime.date):
    """Routing: the woongemeente (from the postcode) and the category on the begindatum."""
    gemeente = gemeente_voor_postcode(leerling.postcode)
    if gemeente is None:
        return None
    return gemeente.instantie_voor(leerling.categorie_op(begindatum))


GEEN_INSTANTIE = (
    "Voor de woonplaats van deze leerling is geen uitvoerende instantie bekend. Neem contact op "
    "met DUO."
)


# --- Lesuren (manual 2.5) ------------------------------------------------------------------------

GEEN_VERZUIMDAG = "Voeg minimaal één verzuimdag toe."
GEEN_LESUUR = "Kies minimaal één lesuur."


def lesuren_ontbreken(*, hele_dag: bool, lesuren) -> bool:
    """'Hele dag' Nee needs at least one lesuur, each from 1 to 12."""
    return not hele_dag and (not lesuren or not set(lesuren) <= set(limieten.LESUREN))


def controleer_verzuimdagen(
    *,
    verzuimdagen: list[dict],
    alle_lessen_gemist: bool,
    begindatum: datetime.date,
    einddatum: datetime.date | None,
    op: datetime.date,
) -> Fouten:
    """With 'Alle lessen gemist' Nee at least one verzuimdag, each inside the period (up to
    today when the period is open), each date once, each with its lesuren. The first problem
    is reported, under `verzuimdagen`."""
    if alle_lessen_gemist:
        return {}
    if not verzuimdagen:
        return {"verzuimdagen": [GEEN_VERZUIMDAG]}
    laatste = einddatum or op
    gezien = set()
    for dag in verzuimdagen:
        datum = dag["datum"]
        if not begindatum <= datum <= laatste:
            return {
                "verzuimdagen": [
                    f"De verzuimdag {datum:%d-%m-%Y} ligt niet in de verzuimperiode "
                    f"({begindatum:%d-%m-%Y} tot en met {laatste:%d-%m-%Y})."
                ]
            }
        if datum in gezien:
            return {"verzuimdagen": [f"De verzuimdag {datum:%d-%m-%Y} staat er al in."]}
        gezien.add(datum)
        if lesuren_ontbreken(hele_dag=dag.get("hele_dag", True), lesuren=dag.get("lesuren")):
            return {"verzuimdagen": [f"Kies voor {datum:%d-%m-%Y} minimaal één lesuur."]}
    return {}


# --- Contactpersonen leerling (manual 2.3) --------------------------------------------------------

TE_VEEL_CONTACTPERSONEN = "Er is ruimte voor maximaal vijf contactpersonen."


def controleer_contactpersonen(contactpersonen: list[dict]) -> Fouten:
    if len(contactpersonen) > limieten.MAX_CONTACTPERSONEN:
        return {"contactpersonen": [TE_VEEL_CONTACTPERSONEN]}
    return {}


# --- Intrekken (manual 5) -----------------------------------------------------------------------

AL_INGETROKKEN = "Deze melding is al ingetrokken."
NIET_INTREKBAAR = (
    "Deze melding kan niet worden ingetrokken: een verzuimmelding met een begindatum van meer "
    "dan één jaar geleden mag niet meer ingetrokken worden."
)
KIES_REDEN = "Kies een reden."
TOELICHTING_BIJ_ANDERS = "Geef een toelichting als de reden 'Anders' is."
# With this reden the toelichting is required.
TOELICHTING_VERPLICHT_BIJ_REDEN = RedenIntrekken.ANDERS


def intrekken_blokkade(melding: Melding, op: datetime.date) -> str | None:
    """Why this melding cannot be withdrawn today, or None: it is withdrawn already, or its
    begindatum lies more than one year back (exactly one year ago is still allowed)."""
    if not workflow.mag_intrekken(melding):
        return AL_INGETROKKEN
    if melding.begindatum < een_jaar_voor(op):
        return NIET_INTREKBAAR
    return None


def mag_intrekken(melding: Melding, op: datetime.date) -> bool:
    return intrekken_blokkade(melding, op) is None


def controleer_reden_intrekken(reden: str, toelichting: str) -> Fouten:
    """A reason from the list; with 'Anders' a toelichting; the toelichting at most 300."""
    fouten: Fouten = {}
    if reden not in RedenIntrekken.values:
        _voeg_toe(fouten, "reden_intrekken", KIES_REDEN)
    if reden == TOELICHTING_VERPLICHT_BIJ_REDEN and not toelichting:
        _voeg_toe(fouten, "toelichting_intrekken", TOELICHTING_BIJ_ANDERS)
    if len(toelichting) > limieten.MAX_TOELICHTING_INTREKKEN:
        _voeg_toe(
            fouten,
            "toelichting_intrekken",
            f"Maximaal {limieten.MAX_TOELICHTING_INTREKKEN} karakters.",
        )
    return fouten


def controleer_intrekken(
    *, melding: Melding, reden: str, toelichting: str, op: datetime.date
) -> Fouten:
    blokkade = intrekken_blokkade(melding, op)
    if blokkade is not None:
        return {NIET_VELD: [blokkade]}
    return controleer_reden_intrekken(reden, toelichting)
