"""Domain operations on meldingen: registreren, wijzigen, intrekken, status, anonimiseren.

The wizard, the Wijzig pages, the admin and the shell all go through these keyword-only
functions. Each runs in one transaction (anonimiseren in short batches, each its own),
re-checks every rule (`regels.py`, `workflow.py`) against the data as it is now, and raises
`django.core.exceptions.ValidationError` with an error dict keyed by form field names when
something is not allowed, so a form can show the message next to the field
(`verzuimloket.forms.fouten_tonen`). The database constraints stay the last line of defence.
"""

import copy
import datetime
import logging
import time
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from leerlingen.models import Inschrijving, Instelling, Inzage, Leerling
from verzuimloket.datums import twee_jaar_voor, vandaag

from . import regels, tasks, workflow
from .blokken import BLOKKEN
from .models import (
    GEANONIMISEERD,
    GEANONIMISEERD_EMAIL,
    ContactpersoonLeerling,
    Melding,
    MeldingWijziging,
    OndernomenActie,
    RedenIntrekken,
    Status,
    Terugkoppeling,
    Verzuimdag,
)

GELIJKTIJDIG_GEWIJZIGD = (
    "Deze melding is intussen door iemand anders gewijzigd. Uw wijziging is niet opgeslagen. "
    "Bekijk de melding opnieuw en voer uw wijziging dan nog eens in."
)
BUITEN_PERIODE = (
    "De gespecificeerde lesuren vallen dan buiten de verzuimperiode. Pas eerst de lesuren aan."
)


def _fouten_of_niets(fouten: regels.Fouten) -> None:
    if fouten:
        raise ValidationError({veld: list(meldingen) for veld, meldingen in fouten.items()})


def _controleer_verzuim(
    *,
    melding: Melding,
    op: datetime.date,
    oud: Melding | None = None,
    inschrijvingen: list[Inschrijving] | None = None,
    overlap: bool = True,
) -> None:
    """Step 2's rules (`regels.controleer_verzuim`); `oud` is the stored melding when changing;
    `inschrijvingen` and `overlap` as `regels.controleer_periode` takes them."""
    _fouten_of_niets(
        regels.controleer_verzuim(
            leerling=melding.leerling,
            instelling=melding.instelling,
            begindatum=melding.begindatum,
            einddatum=melding.einddatum,
            soort=melding.soort,
            op=op,
            melding=oud,
            inschrijvingen=inschrijvingen,
            overlap=overlap,
        )
    )


def _valideer_melding(melding: Melding) -> None:
    """`full_clean` of the melding's own fields and `clean()`, without queries that guard
    nothing more than the database does already:
    - no existence query for a foreign key whose object was read from the database in this
      request (the pupil, the instelling, the routed instantie, the user, the form's aanbieder
      and locatie); an id alone is still looked up, and the foreign keys stay the last line;
    - no unique check: `nummer` comes from the sequence and `concept` never changes once set
      (`melding_registreren` checks a new one against the others itself);
    - no constraints: the database checks them on save, `_overlap_als_fout` names them."""
    opgehaald = [
        veld.name
        for veld in Melding._meta.concrete_fields
        if veld.many_to_one
        and veld.is_cached(melding)
        and (obj := veld.get_cached_value(melding)) is not None
        and not obj._state.adding
    ]
    melding.full_clean(
        exclude=["nummer", *opgehaald], validate_unique=False, validate_constraints=False
    )


def _overlap_als_fout(exc: IntegrityError, melding: Melding) -> ValidationError:
    """The database refused the melding: the exclusion constraint as `regels.OVERLAP` names it
    (when registering this is the service's overlap check, after the form's; when changing,
    another transaction made the period overlap between our check and our save), any other
    constraint by its own message."""
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


def _bewaar_contactpersonen(
    melding: Melding, contactpersonen: Iterable[dict], *, nieuw: bool = False
) -> None:
    """Replace the melding's contactpersonen (a `nieuw` melding has none to delete)."""
    if not nieuw:
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


def _bewaar_verzuimdagen(
    melding: Melding, verzuimdagen: Iterable[dict], *, nieuw: bool = False
) -> None:
    """Replace the melding's verzuimdagen (a `nieuw` melding has none to delete)."""
    if not nieuw:
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


def _controleer_contactpersonen(contactpersonen: list[dict]) -> None:
    _fouten_of_niets(regels.controleer_contactpersonen(contactpersonen))
    for cp in contactpersonen:
        # The fields only: each constraint is held here already, without a query per row
        # (Django checks a CheckConstraint with a SELECT): the naam one is the field's own
        # "not blank", at most five is `regels.controleer_contactpersonen`, and the volgnummers
        # are numbered 1..n by `_bewaar_contactpersonen`.
        ContactpersoonLeerling(melding_id=0, volgnummer=1, **cp).full_clean(
            exclude=["melding", "volgnummer"], validate_constraints=False
        )


def _controleer_verzuimdagen(*, melding: Melding, verzuimdagen: list[dict], op) -> None:
    _fouten_of_niets(
        regels.controleer_verzuimdagen(
            verzuimdagen=verzuimdagen,
            alle_lessen_gemist=melding.alle_lessen_gemist,
            begindatum=melding.begindatum,
            einddatum=melding.einddatum,
            op=op,
        )
    )


class _NietOpgeslagen(Exception):
    """The database refused the new melding's INSERT. Raised out of the transaction, so it is
    rolled back before `_overlap_als_fout` looks the other melding up: no savepoint needed."""

    def __init__(self, fout: IntegrityError, melding: Melding):
        super().__init__(str(fout))
        self.fout = fout
        self.melding = melding


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
    inschrijvingen: list[Inschrijving] | None = None,
) -> Melding:
    """Register a melding (manual 2.3-2.7) in one transaction, with its contactpersonen and
    verzuimdagen, and queue the e-mails. `gegevens` holds Melding field values (the `velden`
    of `blokken.BLOKKEN`, and `stuur_email_naar_melder`). Raises ValidationError (error dict)
    when any rule refuses it.

    `concept` is an idempotency key (the wizard's draft id): the same key a second time
    returns the melding already registered with it, and sends nothing again.
    `inschrijvingen`: the pupil's enrolments at the instelling as `regels.inschrijvingen_bij`
    returns them, when the caller read them in this request already (the wizard); read here
    otherwise.

    Every rule is checked against the data as it is now, after the pupil's lock; the overlap
    with another melding by the exclusion constraint on INSERT (the forms have given the
    message already; this is the check that holds under concurrency), with the same message."""
    try:
        return _registreren(
            leerling=leerling,
            instelling=instelling,
            gebruiker=gebruiker,
            gegevens=gegevens,
            contactpersonen=list(contactpersonen),
            verzuimdagen=list(verzuimdagen),
            op=op or vandaag(),
            concept=concept,
            inschrijvingen=inschrijvingen,
        )
    except _NietOpgeslagen as exc:
        raise _overlap_als_fout(exc.fout, exc.melding) from exc.fout


@transaction.atomic
def _registreren(
    *,
    leerling: Leerling,
    instelling: Instelling,
    gebruiker,
    gegevens: dict,
    contactpersonen: list[dict],
    verzuimdagen: list[dict],
    op: datetime.date,
    concept,
    inschrijvingen: list[Inschrijving] | None,
) -> Melding:
    _vergrendel_leerling(leerling)
    if concept is not None:
        # Checked after the lock: a concurrent request with this key has committed by now.
        # Also the unique check of `concept` (full_clean skips it): another pupil's or
        # instelling's melding with this key is refused as full_clean would.
        bestaand = Melding.objects.filter(concept=concept).first()
        if bestaand is not None:
            if (bestaand.leerling_id, bestaand.instelling_id) == (leerling.pk, instelling.pk):
                return bestaand
            raise ValidationError(
                {"concept": Melding().unique_error_message(Melding, ("concept",))}
            )

    if inschrijvingen is None:
        inschrijvingen = regels.inschrijvingen_bij(leerling, instelling)
    blokkade = regels.registreren_blokkade(leerling, instelling, op, inschrijvingen=inschrijvingen)
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
    # The overlap: the exclusion constraint on INSERT below (see melding_registreren).
    _controleer_verzuim(melding=melding, op=op, inschrijvingen=inschrijvingen, overlap=False)
    melding.wet = regels.wet_voor(leerling, melding.begindatum)
    instantie = regels.uitvoerende_instantie_voor(leerling, melding.begindatum)
    if instantie is None:
        raise ValidationError(regels.GEEN_INSTANTIE)
    melding.uitvoerende_instantie = instantie
    _controleer_verzuimdagen(melding=melding, verzuimdagen=verzuimdagen, op=op)
    _controleer_contactpersonen(contactpersonen)
    _valideer_melding(melding)
    try:
        melding.save()
    except IntegrityError as exc:
        raise _NietOpgeslagen(exc, melding) from exc
    _bewaar_contactpersonen(melding, contactpersonen, nieuw=True)
    _bewaar_verzuimdagen(melding, verzuimdagen, nieuw=True)

    tasks.meld_registratie(melding)
    return melding


# --- The change history --------------------------------------------------------------------
# A MeldingWijziging keeps, per changed field, the stored value before and after: codes, keys,
# ISO dates and rows as JSON. `presenters.historie` turns them into what a page shows.


def _historiewaarde(melding: Melding, veld: str):
    waarde = getattr(melding, Melding._meta.get_field(veld).attname)
    return waarde.isoformat() if isinstance(waarde, datetime.date) else waarde


def _contactpersoon_rij(rij) -> dict:
    return {veld: _lees(rij, veld) or "" for veld in ("naam", "relatie", "email", "telefoon")}


def _verzuimdag_rij(rij) -> dict:
    hele_dag = _lees(rij, "hele_dag", True)
    return {
        "datum": _lees(rij, "datum").isoformat(),
        "hele_dag": hele_dag,
        "lesuren": [] if hele_dag else sorted(_lees(rij, "lesuren") or []),
        "toelichting": _lees(rij, "toelichting") or "",
    }


def _lees(rij, veld: str, standaard=None):
    return rij.get(veld, standaard) if isinstance(rij, dict) else getattr(rij, veld, standaard)


def _wijziging(veld: str, oud, nieuw) -> dict:
    return {"veld": veld, "oud": oud, "nieuw": nieuw}


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
    """Change one block of a melding (manual 4; `blok` is a key of `blokken.BLOKKEN`).
    `versie` is the version the user saw; a newer version in the database means someone else
    saved first, and nothing is overwritten. Every change is recorded as a MeldingWijziging
    (who, when, which fields from what to what)."""
    op = op or vandaag()
    velden = BLOKKEN[blok].velden
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
    if not workflow.mag_wijzigen(huidig):
        raise ValidationError(workflow.NIET_WIJZIGBAAR.format(status=huidig.get_status_display()))

    oud = {veld: _historiewaarde(huidig, veld) for veld in velden}
    opgeslagen = copy.copy(huidig)
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
    opgeslagen_dagen = (
        list(huidig.verzuimdagen.all())
        if blok in ("verzuim", "lesuren") or verzuimdagen is not None
        else []
    )
    if blok in ("verzuim", "lesuren"):
        # A new period, or Alle lessen gemist Nee, must still hold the verzuimdagen.
        fouten = regels.controleer_verzuimdagen(
            verzuimdagen=verzuimdagen
            if verzuimdagen is not None
            else [
                {"datum": d.datum, "hele_dag": d.hele_dag, "lesuren": d.lesuren}
                for d in opgeslagen_dagen
            ],
            alle_lessen_gemist=huidig.alle_lessen_gemist,
            begindatum=huidig.begindatum,
            einddatum=huidig.einddatum,
            op=op,
        )
        if fouten and blok == "verzuim":
            fouten = {"einddatum": [BUITEN_PERIODE]}
        _fouten_of_niets(fouten)
    if contactpersonen is not None:
        _controleer_contactpersonen(contactpersonen)
    _valideer_melding(huidig)

    wijzigingen = [
        _wijziging(veld, oud[veld], _historiewaarde(huidig, veld))
        for veld in velden
        if oud[veld] != _historiewaarde(huidig, veld)
    ]
    if contactpersonen is not None:
        oude_rijen = [_contactpersoon_rij(c) for c in huidig.contactpersonen.all()]
        nieuwe_rijen = [_contactpersoon_rij(c) for c in contactpersonen]
        if oude_rijen != nieuwe_rijen:
            wijzigingen.append(_wijziging("contactpersonen", oude_rijen, nieuwe_rijen))
    if verzuimdagen is not None:
        nieuwe_dagen = (
            []
            if huidig.alle_lessen_gemist
            else sorted((_verzuimdag_rij(d) for d in verzuimdagen), key=lambda d: d["datum"])
        )
        oude_dagen = [_verzuimdag_rij(d) for d in opgeslagen_dagen]
        if oude_dagen != nieuwe_dagen:
            wijzigingen.append(_wijziging("verzuimdagen", oude_dagen, nieuwe_dagen))

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
        melding=huidig, gebruiker=gebruiker, blok=BLOKKEN[blok].titel, velden=wijzigingen
    )
    tasks.meld_wijziging(huidig)
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
    op = op or vandaag()
    huidig = Melding.objects.select_for_update().get(pk=melding.pk)
    toelichting = (toelichting or "").strip()
    _fouten_of_niets(
        regels.controleer_intrekken(melding=huidig, reden=reden, toelichting=toelichting, op=op)
    )
    oude_status = huidig.status
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
            _wijziging("status", oude_status, Status.INGETROKKEN),
            _wijziging("reden_intrekken", "", reden),
        ],
    )
    tasks.meld_intrekking(huidig)
    return huidig


# How many meldingen one transaction anonymises. Each batch commits on its own, so its row
# locks, its WAL and a replica's lag stay small even in the first run at national scale (all
# meldingen older than two years at once); a day's work (about 1,500) is one batch.
ANONIMISEREN_PER_BATCH = 5000

logger = logging.getLogger(__name__)


def _leeg(veld: str):
    """The empty value of a Melding field: NULL where the column allows it, else ''."""
    return None if Melding._meta.get_field(veld).null else ""


def _placeholder_als(conditie: Q) -> Case:
    """GEANONIMISEERD where a constraint demands text (`conditie`), else ''."""
    return Case(When(conditie, then=Value(GEANONIMISEERD)), default=Value(""))


def _te_anonimiseren(grens: datetime.date, vanaf: datetime.date | None):
    """The meldingen not yet anonymised whose later of melddatum and einddatum (`bewaard`;
    GREATEST skips a NULL einddatum, so an open period counts from its melddatum) lies before
    `grens`, and not before `vanaf`, oldest first. The expression, the condition and the order
    are those of the index `melding_anonimiseren`, so the database reads only these rows: in
    the index's order because the planner, which cannot estimate how few rows are due, would
    otherwise scan the whole table for a LIMIT it expects to fill quickly."""
    meldingen = Melding.objects.annotate(bewaard=Greatest("melddatum", "einddatum")).filter(
        geanonimiseerd_op__isnull=True, bewaard__lt=grens
    )
    if vanaf is not None:
        meldingen = meldingen.filter(bewaard__gte=vanaf)
    return meldingen.order_by("bewaard")


def _batch_anonimiseren(
    *, grens: datetime.date, vanaf: datetime.date | None, per_batch: int
) -> tuple[int, datetime.date | None]:
    """One transaction: lock up to `per_batch` due meldingen from `vanaf` on and anonymise
    exactly those and what hangs off them. SKIP LOCKED passes over a melding someone is
    changing right now (and the rows a concurrent run took), so neither waits for nor deadlocks
    with the other; a melding passed over is due again the next run. Returns how many it
    anonymised and the `bewaard` of the last one, where the next batch starts."""
    with transaction.atomic():
        rijen = list(
            _te_anonimiseren(grens, vanaf)
            .select_for_update(skip_locked=True)
            .values_list("pk", "nummer", "bewaard")[:per_batch]
        )
        if not rijen:
            return 0, vanaf
        ids = [pk for pk, _, _ in rijen]
        nu = timezone.now()
        Melding.objects.filter(pk__in=ids).update(
            geanonimiseerd_op=nu,
            gewijzigd_op=nu,
            versie=F("versie") + 1,
            leerling=None,
            **{veld: _leeg(veld) for veld in BLOKKEN["leerling"].velden},
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
        van_deze = {"melding_id__in": ids}
        ContactpersoonLeerling.objects.filter(**van_deze).delete()
        Verzuimdag.objects.filter(**van_deze).exclude(toelichting="").update(toelichting="")
        Terugkoppeling.objects.filter(**van_deze).update(
            naam=GEANONIMISEERD, functie="", email="", telefoon="", toelichting=""
        )
        MeldingWijziging.objects.filter(**van_deze).update(velden=[])
        # Through the index `inzage_meldingnummer`: the log is the biggest table.
        Inzage.objects.filter(meldingnummer__in=[nummer for _, nummer, _ in rijen]).update(
            meldingnummer=None
        )
    return len(rijen), rijen[-1][2]


def meldingen_anonimiseren(*, op: datetime.date | None = None) -> int:
    """Anonymise the meldingen whose retention ended (docs/regels.md, Bewaren): those whose later
    of melddatum and einddatum lies more than two years before `op` (today when None; exactly
    two years ago is kept one more day). Idempotent; returns how many were anonymised now.

    Every personal field is cleared: the link to the leerling, every field of block Leerling
    (the pupil's contact data and afwijkend adres), all free text (placeholders where a
    constraint needs a value), the school's contactpersoon, the contactpersonen leerling
    (deleted), the toelichting of the verzuimdagen, the behandelaar's data in the
    terugkoppeling, the old and new values in the change history, and the melding in the
    inzagelog (which still names the leerling). What
    statistics need stays: nummer, soort, status, wet, dates, instelling, aanbieder, locatie,
    uitvoerende instantie, actie gewenst, ondernomen acties (codes) and reden intrekken.

    The due meldingen come from the partial index `melding_anonimiseren`, so a day's run reads
    that day's rows only. They are done oldest first in batches of ANONIMISEREN_PER_BATCH, each
    its own short transaction of set-based statements on exactly that batch's ids, until none
    are left; not one transaction for the whole run, so call it outside `transaction.atomic`.
    Each batch starts at the date where the previous one stopped: the index still holds the
    rows done earlier in the run until VACUUM removes them, and reading past them batch after
    batch would make a large first run quadratic. A run that stops halfway keeps the batches
    it committed and leaves the rest to the next run. `versie` is raised so a change someone
    had open is refused rather than written back."""
    grens = twee_jaar_voor(op or vandaag())
    totaal = 0
    vanaf = None
    while True:
        begin = time.monotonic()
        aantal, vanaf = _batch_anonimiseren(
            grens=grens, vanaf=vanaf, per_batch=ANONIMISEREN_PER_BATCH
        )
        if not aantal:
            return totaal
        totaal += aantal
        # Per batch, for whoever follows a long first run (LOG_LEVEL=DEBUG) and for
        # bench/anonimiseren.py, which reports the longest transaction.
        seconden = time.monotonic() - begin
        logger.debug(
            "%d meldingen geanonimiseerd in %.3f s",
            aantal,
            seconden,
            extra={"aantal": aantal, "seconden": seconden},
        )
