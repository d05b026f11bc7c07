"""Domain operations on meldingen: registreren, wijzigen, intrekken, anonimiseren.

The wizard, the block-change views, the admin and the shell all go through these functions.
Each runs in one transaction, re-checks every rule (see `regels.py`) against the data as it is
now, and raises `django.core.exceptions.ValidationError` with an error dict keyed by form field
names when something is not allowed, so a form can show the message next to the field. The
database constraints stay the last line of defence.
"""

import copy
import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from leerlingen.models import Instelling, Leerling

from . import regels, tasks, workflow
from .models import (
    GEANONIMISEERD,
    GEANONIMISEERD_EMAIL,
    ContactpersoonLeerling,
    Inzage,
    Melding,
    MeldingWijziging,
    OndernomenActie,
    RedenIntrekken,
    Status,
    Terugkoppeling,
    Verzuimdag,
)

# The fields each step/block of the manual owns; the wizard and the Wijzig pages share them.
LEERLING_VELDEN = [
    "leerling_email",
    "leerling_telefoon",
    "afwijkend_adres",
    "straatnaam",
    "huisnummer",
    "huisletter",
    "huisnummertoevoeging",
    "postcode",
    "aanduiding_locatie",
    "plaatsnaam",
]
VERZUIM_VELDEN = [
    "begindatum",
    "einddatum",
    "soort",
    "vermoedelijke_reden",
    "toelichting",
    "actie_gewenst",
    "toelichting_actie_gewenst",
    "met_prioriteit",
    "aanbieder",
    "locatie",
    "contactpersoon_naam",
    "contactpersoon_functie",
    "contactpersoon_email",
    "contactpersoon_telefoon",
]
LESUREN_VELDEN = ["alle_lessen_gemist"]
ACTIES_VELDEN = ["ondernomen_acties", "toelichting_acties"]
BLOKKEN = {
    "leerling": ("Leerling", LEERLING_VELDEN),
    "verzuim": ("Verzuim", VERZUIM_VELDEN),
    "lesuren": ("Lesuren", LESUREN_VELDEN),
    "acties": ("Acties door school", ACTIES_VELDEN),
}

GELIJKTIJDIG_GEWIJZIGD = (
    "Deze melding is intussen door iemand anders gewijzigd. Uw wijziging is niet opgeslagen. "
    "Bekijk de melding opnieuw en voer uw wijziging dan nog eens in."
)
NIET_WIJZIGBAAR = "Een melding met status {status} kan niet meer worden gewijzigd."
NIET_INTREKBAAR = (
    "Deze melding kan niet worden ingetrokken: een verzuimmelding met een begindatum van meer "
    "dan één jaar geleden mag niet meer ingetrokken worden."
)


def _fouten_of_niets(fouten: dict[str, list[str]]) -> None:
    if fouten:
        raise ValidationError({veld: list(meldingen) for veld, meldingen in fouten.items()})


def _controleer_verzuim(*, melding: Melding, op: datetime.date, oud: Melding | None = None) -> None:
    """Step 2's rules (`regels.controleer_verzuim`); `oud` is the stored melding when changing."""
    _fouten_of_niets(
        regels.controleer_verzuim(
            leerling=melding.leerling,
            instelling=melding.instelling,
            begindatum=melding.begindatum,
            einddatum=melding.einddatum,
            soort=melding.soort,
            op=op,
            melding=oud,
        )
    )
    _fouten_of_niets(
        regels.controleer_onderwijsinstelling(
            instelling=melding.instelling,
            aanbieder=melding.aanbieder if melding.aanbieder_id else None,
            locatie=melding.locatie if melding.locatie_id else None,
        )
    )


def controleer_verzuimdagen(
    *,
    verzuimdagen: list[dict],
    alle_lessen_gemist: bool,
    begindatum: datetime.date,
    einddatum: datetime.date | None,
    op: datetime.date,
) -> None:
    """Lesuren rules (domain.md): with 'Alle lessen gemist' Nee at least one day, each inside
    the period (up to today when open), each once; 'Hele dag' Nee needs lesuren 1 to 12."""
    if alle_lessen_gemist:
        return
    if not verzuimdagen:
        raise ValidationError({"verzuimdagen": "Voeg minimaal één verzuimdag toe."})
    laatste = einddatum or op
    gezien = set()
    for dag in verzuimdagen:
        datum = dag["datum"]
        if not begindatum <= datum <= laatste:
            raise ValidationError(
                {
                    "verzuimdagen": f"De verzuimdag {datum:%d-%m-%Y} ligt niet in de "
                    f"verzuimperiode ({begindatum:%d-%m-%Y} tot en met {laatste:%d-%m-%Y})."
                }
            )
        if datum in gezien:
            raise ValidationError(
                {"verzuimdagen": f"De verzuimdag {datum:%d-%m-%Y} staat er al in."}
            )
        gezien.add(datum)
        if not dag.get("hele_dag", True):
            lesuren = list(dag.get("lesuren") or [])
            if not lesuren or not set(lesuren) <= set(range(1, 13)):
                raise ValidationError(
                    {"verzuimdagen": f"Kies voor {datum:%d-%m-%Y} minimaal één lesuur."}
                )


def _overlap_als_fout(exc: IntegrityError, melding: Melding) -> ValidationError:
    """Another transaction made the period overlap between our check and our insert."""
    if "melding_geen_overlap" in str(exc):
        andere = regels.overlappende_melding(
            melding.leerling, melding.begindatum, melding.einddatum, melding
        )
        nummer = andere.nummer if andere else "(onbekend)"
        return ValidationError({"begindatum": regels.OVERLAP.format(nummer=nummer)})
    # Name the rule, not the row (the database's message quotes every value, BSN included).
    for constraint in Melding._meta.constraints:
        if constraint.name in str(exc) and constraint.violation_error_message:
            return ValidationError(str(constraint.violation_error_message), code=constraint.name)
    return ValidationError("De melding kon niet worden opgeslagen.")


def _vergrendel_leerling(leerling: Leerling) -> None:
    # Serialises registrations and date changes for one pupil, so the overlap check and the
    # write see the same world.
    Leerling.objects.select_for_update().filter(pk=leerling.pk).first()


def _bewaar_contactpersonen(melding: Melding, contactpersonen: Iterable[dict]) -> None:
    melding.contactpersonen.all().delete()
    ContactpersoonLeerling.objects.bulk_create(
        ContactpersoonLeerling(
            melding=melding,
            volgnummer=volgnummer,
            naam=cp["naam"],
            relatie=cp.get("relatie", ""),
            email=cp.get("email", ""),
            telefoon=cp.get("telefoon", ""),
        )
        for volgnummer, cp in enumerate(contactpersonen, start=1)
    )


def _bewaar_verzuimdagen(melding: Melding, verzuimdagen: Iterable[dict]) -> None:
    melding.verzuimdagen.all().delete()
    if melding.alle_lessen_gemist:
        return
    Verzuimdag.objects.bulk_create(
        Verzuimdag(
            melding=melding,
            datum=dag["datum"],
            hele_dag=dag.get("hele_dag", True),
            lesuren=[] if dag.get("hele_dag", True) else sorted(dag.get("lesuren") or []),
            toelichting=dag.get("toelichting", ""),
        )
        for dag in sorted(verzuimdagen, key=lambda d: d["datum"])
    )


def _contactpersonen_controleren(contactpersonen: list[dict]) -> None:
    if len(contactpersonen) > 5:
        raise ValidationError(
            {"contactpersonen": "Er is ruimte voor maximaal vijf contactpersonen."}
        )
    for cp in contactpersonen:
        ContactpersoonLeerling(melding_id=0, volgnummer=1, **cp).full_clean(
            exclude=["melding", "volgnummer"]
        )


@transaction.atomic
def melding_registreren(
    *,
    leerling: Leerling,
    instelling: Instelling,
    gebruiker,
    gegevens: dict,
    contactpersonen: list[dict] = (),
    verzuimdagen: list[dict] = (),
    op: datetime.date | None = None,
    concept: uuid.UUID | str | None = None,
) -> Melding:
    """Register a melding (manual 2.3-2.7) in one transaction, with its contactpersonen and
    verzuimdagen, and queue the e-mails. `gegevens` holds Melding field values (see the
    *_VELDEN lists). Raises ValidationError (error dict) when any rule refuses it.

    `concept` is an idempotency key (the wizard's draft id): the same key a second time
    returns the melding already registered with it, and sends nothing again."""
    op = op or regels.vandaag()
    contactpersonen = list(contactpersonen)
    verzuimdagen = list(verzuimdagen)
    _vergrendel_leerling(leerling)
    if concept is not None:
        # Checked after the lock: a concurrent request with this key has committed by now.
        bestaand = Melding.objects.filter(
            concept=concept, leerling=leerling, instelling=instelling
        ).first()
        if bestaand is not None:
            return bestaand

    blokkade = regels.registreren_blokkade(leerling, instelling, op)
    if blokkade is not None:
        raise ValidationError(blokkade.tekst)

    melding = Melding(
        leerling=leerling,
        instelling=instelling,
        melddatum=op,
        status=Status.GEREGISTREERD,
        geregistreerd_door=gebruiker,
        concept=concept,
        **gegevens,
    )
    _controleer_verzuim(melding=melding, op=op)
    melding.wet = regels.wet_voor(leerling, melding.begindatum)
    instantie = regels.uitvoerende_instantie_voor(leerling, melding.begindatum)
    if instantie is None:
        raise ValidationError(regels.GEEN_INSTANTIE)
    melding.uitvoerende_instantie = instantie
    controleer_verzuimdagen(
        verzuimdagen=verzuimdagen,
        alle_lessen_gemist=melding.alle_lessen_gemist,
        begindatum=melding.begindatum,
        einddatum=melding.einddatum,
        op=op,
    )
    _contactpersonen_controleren(contactpersonen)
    melding.full_clean(exclude=["nummer"], validate_constraints=False)
    try:
        with transaction.atomic():
            melding.save()
    except IntegrityError as exc:
        raise _overlap_als_fout(exc, melding) from exc
    _bewaar_contactpersonen(melding, contactpersonen)
    _bewaar_verzuimdagen(melding, verzuimdagen)

    tasks.meld_registratie(melding)
    return melding


def _toon(waarde) -> str:
    if waarde is None or waarde == "":
        return ""
    if isinstance(waarde, bool):
        return "Ja" if waarde else "Nee"
    if isinstance(waarde, datetime.date):
        return f"{waarde:%d-%m-%Y}"
    if isinstance(waarde, list):
        return ", ".join(
            OndernomenActie(w).label if w in OndernomenActie.values else str(w) for w in waarde
        )
    return str(waarde)


def _veldwaarde(melding: Melding, veld: str) -> str:
    field = Melding._meta.get_field(veld)
    if field.choices and not isinstance(getattr(melding, veld), list):
        return getattr(melding, f"get_{veld}_display")()
    if field.is_relation:
        return str(getattr(melding, f"{field.attname}") or "")
    return _toon(getattr(melding, veld))


def _beschrijf_rijen(rijen: list[dict]) -> str:
    return "; ".join(", ".join(_toon(v) for v in rij.values() if _toon(v)) for rij in rijen)


@transaction.atomic
def melding_wijzigen(
    *,
    melding: Melding,
    gebruiker,
    versie: int,
    blok: str,
    gegevens: dict,
    contactpersonen: list[dict] | None = None,
    verzuimdagen: list[dict] | None = None,
    op: datetime.date | None = None,
) -> Melding:
    """Change one block of a melding (manual 4). `versie` is the version the user saw; a newer
    version in the database means someone else saved first, and nothing is overwritten.
    Every change is recorded as a MeldingWijziging (who, when, which fields from what to what)."""
    op = op or regels.vandaag()
    titel, velden = BLOKKEN[blok]
    onbekend = set(gegevens) - set(velden)
    if onbekend:
        raise ValueError(f"Velden horen niet bij blok {blok}: {sorted(onbekend)}")
    _vergrendel_leerling(melding.leerling)
    huidig = (
        # Only the melding's row: the leerling is locked above, and since an anonymised
        # melding has none the leerling join is an outer one, which FOR UPDATE refuses.
        Melding.objects.select_for_update(of=("self",))
        .select_related("leerling", "instelling")
        .get(pk=melding.pk)
    )
    if huidig.versie != versie:
        raise ValidationError(GELIJKTIJDIG_GEWIJZIGD, code="gelijktijdig")
    if not regels.mag_wijzigen(huidig):
        raise ValidationError(NIET_WIJZIGBAAR.format(status=huidig.get_status_display()))

    oud = {veld: _veldwaarde(huidig, veld) for veld in velden}
    opgeslagen = copy.copy(huidig)
    oude_rijen = None
    for veld, waarde in gegevens.items():
        setattr(huidig, veld, waarde)

    if blok == "verzuim":
        _controleer_verzuim(melding=huidig, op=op, oud=opgeslagen)
        huidig.wet = regels.wet_voor(huidig.leerling, huidig.begindatum)
        if huidig.begindatum != opgeslagen.begindatum:
            # The category on the begindatum decides the routing (leerplichtig,
            # kwalificatieplichtig, 18+); a new begindatum can cross a birthday.
            instantie = regels.uitvoerende_instantie_voor(huidig.leerling, huidig.begindatum)
            if instantie is None:
                raise ValidationError(regels.GEEN_INSTANTIE)
            huidig.uitvoerende_instantie = instantie
    if blok in ("verzuim", "lesuren"):
        dagen = (
            verzuimdagen
            if verzuimdagen is not None
            else list(huidig.verzuimdagen.values("datum", "hele_dag", "lesuren", "toelichting"))
        )
        try:
            controleer_verzuimdagen(
                verzuimdagen=dagen,
                alle_lessen_gemist=huidig.alle_lessen_gemist,
                begindatum=huidig.begindatum,
                einddatum=huidig.einddatum,
                op=op,
            )
        except ValidationError as exc:
            if blok == "verzuim":
                raise ValidationError(
                    {
                        "einddatum": "De gespecificeerde lesuren vallen dan buiten de "
                        "verzuimperiode. Pas eerst de lesuren aan."
                    }
                ) from exc
            raise
    if contactpersonen is not None:
        _contactpersonen_controleren(contactpersonen)
    huidig.full_clean(exclude=["nummer"], validate_constraints=False)

    nieuw = {veld: _veldwaarde(huidig, veld) for veld in velden}
    wijzigingen = [
        {
            "veld": Melding._meta.get_field(veld).verbose_name.capitalize(),
            "oud": oud[veld],
            "nieuw": nieuw[veld],
        }
        for veld in velden
        if oud[veld] != nieuw[veld]
    ]
    if contactpersonen is not None:
        oude_rijen = _beschrijf_rijen(
            list(huidig.contactpersonen.values("naam", "relatie", "email", "telefoon"))
        )
        nieuwe_rijen = _beschrijf_rijen(contactpersonen)
        if oude_rijen != nieuwe_rijen:
            wijzigingen.append(
                {"veld": "Contactpersonen", "oud": oude_rijen, "nieuw": nieuwe_rijen}
            )
    if verzuimdagen is not None:
        oude_dagen = _beschrijf_rijen(
            list(huidig.verzuimdagen.values("datum", "lesuren", "toelichting"))
        )
        nieuwe_dagen = _beschrijf_rijen(
            [
                {
                    "datum": d["datum"],
                    "lesuren": d.get("lesuren") or [],
                    "toelichting": d.get("toelichting", ""),
                }
                for d in sorted(verzuimdagen, key=lambda d: d["datum"])
            ]
            if not huidig.alle_lessen_gemist
            else []
        )
        if oude_dagen != nieuwe_dagen:
            wijzigingen.append({"veld": "Verzuimdagen", "oud": oude_dagen, "nieuw": nieuwe_dagen})

    if not wijzigingen:
        return huidig
    huidig.versie += 1
    try:
        with transaction.atomic():
            huidig.save()
    except IntegrityError as exc:
        raise _overlap_als_fout(exc, huidig) from exc
    if contactpersonen is not None:
        _bewaar_contactpersonen(huidig, contactpersonen)
    if verzuimdagen is not None or (blok == "lesuren" and huidig.alle_lessen_gemist):
        _bewaar_verzuimdagen(huidig, verzuimdagen or [])
    MeldingWijziging.objects.create(
        melding=huidig, gebruiker=gebruiker, blok=titel, velden=wijzigingen
    )
    return huidig


ONGELDIGE_OVERGANG = "De status kan niet van {van} naar {naar} gaan."


@transaction.atomic
def status_wijzigen(*, melding: Melding, gebruiker, status: str) -> Melding:
    """The gemeente's status change (In behandeling, Afgesloten, Ter kennisgeving aangenomen),
    checked against the lifecycle in `workflow.py` and the row as it is now; Ingetrokken goes
    through `melding_intrekken`, which asks for a reason."""
    huidig = Melding.objects.select_for_update(of=("self",)).get(pk=melding.pk)
    if huidig.status == status:
        return huidig
    if status == Status.INGETROKKEN or not workflow.mag_overgaan(huidig.status, status):
        raise ValidationError(
            ONGELDIGE_OVERGANG.format(van=huidig.get_status_display(), naar=Status(status).label),
            code="ongeldige_overgang",
        )
    oud = huidig.get_status_display()
    huidig.status = status
    huidig.versie += 1
    huidig.save(update_fields=["status", "versie"])
    MeldingWijziging.objects.create(
        melding=huidig,
        gebruiker=gebruiker,
        blok="Status",
        velden=[{"veld": "Status", "oud": oud, "nieuw": huidig.get_status_display()}],
    )
    return huidig


@transaction.atomic
def melding_intrekken(
    *,
    melding: Melding,
    gebruiker,
    reden: str,
    toelichting: str = "",
    op: datetime.date | None = None,
) -> Melding:
    """Withdraw a melding (manual 5): never deleted, status Ingetrokken with reason, who and
    when; the period no longer blocks others; the instantie is told by e-mail if it wants."""
    op = op or regels.vandaag()
    huidig = Melding.objects.select_for_update().get(pk=melding.pk)
    if huidig.status == Status.INGETROKKEN:
        raise ValidationError("Deze melding is al ingetrokken.")
    if not regels.mag_intrekken(huidig, op):
        raise ValidationError(NIET_INTREKBAAR)
    if reden not in RedenIntrekken.values:
        raise ValidationError({"reden_intrekken": "Kies een reden."})
    toelichting = (toelichting or "").strip()
    if reden == RedenIntrekken.ANDERS and not toelichting:
        raise ValidationError(
            {"toelichting_intrekken": "Geef een toelichting als de reden 'Anders' is."}
        )
    if len(toelichting) > 300:
        raise ValidationError({"toelichting_intrekken": "Maximaal 300 karakters."})
    oude_status = huidig.get_status_display()
    huidig.status = Status.INGETROKKEN
    huidig.reden_intrekken = reden
    huidig.toelichting_intrekken = toelichting
    huidig.ingetrokken_op = timezone.now()
    huidig.ingetrokken_door = gebruiker
    huidig.versie += 1
    huidig.save()
    MeldingWijziging.objects.create(
        melding=huidig,
        gebruiker=gebruiker,
        blok="Intrekken",
        velden=[
            {"veld": "Status", "oud": oude_status, "nieuw": "Ingetrokken"},
            {
                "veld": "Reden melding intrekken",
                "oud": "",
                "nieuw": huidig.get_reden_intrekken_display(),
            },
        ],
    )
    tasks.meld_intrekking(huidig)
    return huidig


def _placeholder_als(conditie: Q) -> Case:
    """GEANONIMISEERD where a constraint demands text (`conditie`), else ''."""
    return Case(When(conditie, then=Value(GEANONIMISEERD)), default=Value(""))


@transaction.atomic
def meldingen_anonimiseren(*, op: datetime.date | None = None) -> int:
    """Anonymise the meldingen whose retention ended (domain.md, Privacy): those whose later
    of melddatum and einddatum lies more than two years before `op` (today when None; exactly
    two years ago is kept one more day). Idempotent; returns how many were anonymised now.

    Every personal field is cleared: the link to the leerling, the pupil's contact data and
    afwijkend adres, all free text (placeholders where a constraint needs a value), the
    school's contactpersoon, the contactpersonen leerling (deleted), the toelichting of the
    verzuimdagen, the behandelaar's data in the terugkoppeling, the old and new values in the
    change history, and the melding in the inzagelog (which still names the leerling). What
    statistics need stays: nummer, soort, status, wet, dates, instelling, aanbieder, locatie,
    uitvoerende instantie, actie gewenst, ondernomen acties (codes) and reden intrekken.
    One transaction of set-based UPDATEs and a DELETE, so 100,000 meldingen stay cheap;
    `versie` is raised so a change someone had open is refused rather than written back."""
    grens = regels.twee_jaar_voor(op or regels.vandaag())
    nu = timezone.now()
    aantal = (
        Melding.objects.filter(geanonimiseerd_op__isnull=True, melddatum__lt=grens)
        .filter(Q(einddatum__isnull=True) | Q(einddatum__lt=grens))
        .update(
            geanonimiseerd_op=nu,
            versie=F("versie") + 1,
            leerling=None,
            leerling_email="",
            leerling_telefoon="",
            afwijkend_adres="",
            straatnaam="",
            huisnummer=None,
            huisletter="",
            huisnummertoevoeging="",
            postcode="",
            aanduiding_locatie="",
            plaatsnaam="",
            vermoedelijke_reden=GEANONIMISEERD,
            toelichting="",
            toelichting_actie_gewenst=_placeholder_als(Q(actie_gewenst=False)),
            contactpersoon_naam=GEANONIMISEERD,
            contactpersoon_functie="",
            contactpersoon_email=GEANONIMISEERD_EMAIL,
            contactpersoon_telefoon="",
            toelichting_acties=_placeholder_als(
                Q(ondernomen_acties__contains=[OndernomenActie.ANDERS])
            ),
            toelichting_intrekken=_placeholder_als(Q(reden_intrekken=RedenIntrekken.ANDERS)),
        )
    )
    if not aantal:
        return 0
    # The rows this run anonymised carry exactly `nu`.
    van_nu = {"melding__geanonimiseerd_op": nu}
    ContactpersoonLeerling.objects.filter(**van_nu).delete()
    Verzuimdag.objects.filter(**van_nu).exclude(toelichting="").update(toelichting="")
    Terugkoppeling.objects.filter(**van_nu).update(
        naam=GEANONIMISEERD, functie="", email="", telefoon="", toelichting=""
    )
    MeldingWijziging.objects.filter(**van_nu).update(velden=[])
    Inzage.objects.filter(**van_nu).update(melding=None)
    return aantal
