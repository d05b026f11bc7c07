"""The API's endpoints (docs/api.md). Thin: each reads through the selectors a browser user of
the same organisation reads through, validates with the browser's forms (`vertaling`) and
changes through the same services; what differs is JSON in and out.

Scoping, in one place (`KoppelvlakView`): a koppeling acts for one organisation, found on
`request.auth`. An endpoint is for instellingen, for uitvoerende instanties, or for both
(`voor`); a koppeling of the other kind gets 403. Within it, a melding or leerling that its
organisation may not see is a 404, exactly as in the browser.

Every call that touched a pupil's data is written to the inzagelog (koppeling, method, path,
status, leerling, melding); every call at all is in the request log with the koppeling's id.
"""

import base64
import datetime
import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from behandeling import selectors as behandeling_selectors
from behandeling import services as behandeling_services
from behandeling.forms import (
    AfsluitenForm,
    DoorsturenForm,
    KennisgevingForm,
    TerugkoppelingForm,
    VersieForm,
)
from leerlingen.autorisatie import INSTANTIE, INSTELLING
from leerlingen.forms import ZoekLeerlingForm
from leerlingen.models import Leerling, UitvoerendeInstantie
from leerlingen.services import koppelvlak_inzagen_vastleggen
from meldingen import regels, selectors, services, workflow
from meldingen.blokken import BLOKKEN, BlokContext, alle_service_argumenten
from meldingen.forms import IntrekkenForm
from meldingen.models import Melding, Status, Verzuimsoort
from verzuimloket import onderweg
from verzuimloket.datums import vandaag
from verzuimloket.forms import VerzuimloketForm

from . import serializers as s
from .fouten import (
    Conflict,
    Ongeldig,
    VersieVereist,
    VersieVerouderd,
    geen_toegang,
)
from .selectors import meldingen_feed
from .services import idempotentie_claimen
from .vertaling import (
    Fout,
    TypeFout,
    actie_data,
    actie_fouten,
    form_fouten,
    formulier_data,
    json_velden,
    service_fouten,
)

NIET_VOOR = {
    INSTELLING: "Dit deel van de API is voor onderwijsinstellingen; deze koppeling is van een "
    "uitvoerende instantie.",
    INSTANTIE: "Dit deel van de API is voor uitvoerende instanties; deze koppeling is van een "
    "onderwijsinstelling.",
}
EEN_BLOK = "Wijzig één blok per verzoek: leerling, verzuim, lesuren of acties."
IF_MATCH_NODIG = (
    'Geef de versie mee waarop uw wijziging is gebaseerd: If-Match: "<versie>" (de ETag van '
    "de melding)."
)
IDEMPOTENCY_KEY_ONGELDIG = "Een Idempotency-Key bestaat uit 1 tot 255 zichtbare tekens."
ZICHTBAAR = re.compile(r"[\x21-\x7e]{1,255}")


def soort_van(koppeling) -> str:
    return INSTELLING if koppeling.instelling_id else INSTANTIE


class KoppelvlakView(APIView):
    """Base of every endpoint: the kind of organisation it is for, and the inzagelog."""

    voor: str | None = None  # INSTELLING, INSTANTIE, or None: both

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        # The API authenticates each call itself; never a session (leerlingen.autorisatie).
        view.verzuimloket_koppelvlak = True
        return view

    def initial(self, request, *args, **kwargs):
        self.aangeraakt: list[dict] = []
        super().initial(request, *args, **kwargs)
        if self.voor is not None and soort_van(request.auth) != self.voor:
            raise geen_toegang(NIET_VOOR[self.voor])

    @property
    def koppeling(self):
        return self.request.auth

    def raakt(self, *, leerling_id=None, meldingnummer=None, pgn: str = "") -> None:
        """This call showed or changed this pupil's data (for the inzagelog)."""
        self.aangeraakt.append(
            {"leerling_id": leerling_id, "meldingnummer": meldingnummer, "pgn": pgn}
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        aangeraakt = getattr(self, "aangeraakt", [])
        if aangeraakt and request.auth is not None:
            # The entry goes out, and the JSON is written while PostgreSQL commits it
            # (verzuimloket/onderweg.py); the answer leaves only once it is committed.
            with onderweg.blok():
                koppelvlak_inzagen_vastleggen(
                    koppeling=request.auth,
                    detail=f"{request.method} {request.path} {response.status_code}",
                    aangeraakt=aangeraakt,
                )
                if hasattr(response, "render"):
                    response.render()
        return response

    # --- shared steps ------------------------------------------------------------------------

    def json_object(self) -> dict:
        if not isinstance(self.request.data, dict):
            raise Ongeldig([Fout("", "Stuur een JSON-object.", "type")])
        return self.request.data

    def melding(self, nummer: int, *, details: bool = True) -> Melding:
        """The melding with this number that the koppeling's organisation may see, or 404."""
        koppeling = self.koppeling
        if koppeling.instelling_id:
            melding = selectors.melding_van_instelling(
                koppeling.instelling, nummer, voor_detail=details
            )
        else:
            melding = behandeling_selectors.melding_van_instantie(
                koppeling.instantie, nummer, details=details
            )
        self.raakt(leerling_id=melding.leerling_id, meldingnummer=melding.nummer)
        return melding

    def melding_response(self, melding: Melding, status_code=status.HTTP_200_OK, **headers):
        vers = self.melding(melding.nummer)
        response = Response(s.Melding(vers).data, status=status_code, headers=headers)
        response["ETag"] = f'"{vers.versie}"'
        return response


def if_match(request) -> int | None:
    """The versie in If-Match ("3", W/"3" is not a strong match and counts as stale); None
    when the header is missing. A value that names no versie can match nothing (412)."""
    waarde = request.headers.get("If-Match")
    if waarde is None:
        return None
    match = re.fullmatch(r'\s*"([0-9]{1,9})"\s*', waarde)
    if match is None:
        raise VersieVerouderd(services.GELIJKTIJDIG_GEWIJZIGD)
    return int(match[1])


def controleer_versie(request, melding: Melding, *, verplicht: bool) -> int:
    """The versie to change: If-Match's (412 when stale), or without it the current one
    (428 where it is required)."""
    versie = if_match(request)
    if versie is None:
        if verplicht:
            raise VersieVereist(IF_MATCH_NODIG)
        return melding.versie
    if versie != melding.versie:
        raise VersieVerouderd(services.GELIJKTIJDIG_GEWIJZIGD)
    return versie


def _weigering(exc: ValidationError, *, met_if_match: bool):
    """A service's refusal as the API's answer: a concurrent change 412 (409 without
    If-Match), a status that does not allow it 409, anything else 400."""
    code = getattr(exc, "code", None)
    if code == "gelijktijdig":
        return (VersieVerouderd if met_if_match else Conflict)(services.GELIJKTIJDIG_GEWIJZIGD)
    if code in ("status", "ongeldige_overgang", "geanonimiseerd"):
        return Conflict(" ".join(exc.messages))
    return Ongeldig(service_fouten(exc))


# --- Leerling ------------------------------------------------------------------------------


class LeerlingZoekenView(KoppelvlakView):
    """Zoek leerling: the PGN in the body, not in the URL (a BSN does not belong in access
    logs)."""

    voor = INSTELLING

    @extend_schema(
        operation_id="leerlingZoeken",
        summary="Zoek een leerling op persoonsgebonden nummer (Leerling overzicht)",
        request=s.LeerlingZoeken,
        responses={200: s.Leerling},
        tags=["School"],
    )
    def post(self, request):
        try:
            data = actie_data(self.json_object(), {"pgn": "pgn"}, ZoekLeerlingForm)
        except TypeFout as fout:
            raise Ongeldig(fout.fouten) from None
        instelling = self.koppeling.instelling
        form = ZoekLeerlingForm(data, instelling=instelling)
        gevonden = form.is_valid()
        if form.gezocht:  # someone looked for this person, found or not
            self.raakt(leerling_id=form.leerling.pk if form.leerling else None, pgn=form.gezocht)
        if not gevonden:
            raise Ongeldig(actie_fouten(form, {"pgn": "pgn"}))
        leerling = form.leerling
        op = vandaag()
        blokkade = regels.registreren_blokkade(leerling, instelling, op)
        soorten = [] if blokkade else regels.beschikbare_soorten(leerling, op)
        meldingen = [
            {
                "nummer": m.nummer,
                "soort": m.soort,
                "status": m.status,
                "begindatum": m.begindatum,
                "einddatum": m.einddatum,
                "instelling_id": m.instelling_id,
                "instantie_naam": m.instantie_naam,
                "eigen": m.instelling_id == instelling.pk,
            }
            for m in selectors.meldingen_van_leerling(leerling)
        ]
        overzicht = {
            **{veld: getattr(leerling, veld) for veld in s.Leerling.VELDEN},
            "blokkade": blokkade,
            "toegestaneSoorten": [soort.value for soort in soorten],
            "meldingen": meldingen,
        }
        return Response(s.Leerling(overzicht).data)


# --- Meldingen: list and register ------------------------------------------------------------


class LijstForm(VerzuimloketForm):
    """The list's query parameters."""

    status = forms.MultipleChoiceField(
        required=False,
        choices=Status.choices,
        error_messages={"invalid_choice": "Onbekende status: %(value)s."},
    )
    soort = forms.ChoiceField(
        required=False,
        choices=[("", ""), *Verzuimsoort.choices],
        error_messages={"invalid_choice": "Onbekende verzuimsoort: %(value)s."},
    )
    gewijzigdSinds = forms.DateTimeField(  # noqa: N815 (the query parameter's name)
        required=False,
        error_messages={
            "invalid": "Geef een tijdstip met tijdzone, zoals 2026-03-16T10:00:00+01:00."
        },
    )
    cursor = forms.CharField(required=False, max_length=200)
    aantal = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100,
        error_messages={
            "invalid": "Geef een aantal van 1 tot en met 100.",
            "min_value": "Geef een aantal van 1 tot en met 100.",
            "max_value": "Geef een aantal van 1 tot en met 100.",
        },
    )

    def clean_gewijzigdSinds(self):  # noqa: N802
        waarde = self.cleaned_data["gewijzigdSinds"]
        tekst = self.data.get("gewijzigdSinds", "")
        if waarde is None:
            return None
        if not re.search(r"(Z|[+-][0-9]{2}:?[0-9]{2})$", tekst.strip()):
            raise ValidationError(self.fields["gewijzigdSinds"].error_messages["invalid"])
        try:
            # PostgreSQL takes offsets up to 15:59 only, Python more: hand it UTC.
            waarde = waarde.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError(self.fields["gewijzigdSinds"].error_messages["invalid"]) from None
        return max(waarde, BEGIN + datetime.timedelta(microseconds=1))

    def clean_cursor(self):
        tekst = self.cleaned_data["cursor"]
        if not tekst:
            return None
        try:
            return lees_cursor(tekst)
        except ValueError:
            raise ValidationError(
                "Deze cursor is onbekend; gebruik de waarde van volgende."
            ) from None


BEGIN = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def maak_cursor(tijdstip: datetime.datetime, nummer: int) -> str:
    tekst = f"{tijdstip.astimezone(datetime.UTC).isoformat()}|{nummer}"
    return base64.urlsafe_b64encode(tekst.encode()).decode().rstrip("=")


def lees_cursor(cursor: str) -> tuple[datetime.datetime, int]:
    try:
        tekst = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        tijd, nummer = tekst.split("|")
        tijdstip = datetime.datetime.fromisoformat(tijd)
        if tijdstip.tzinfo is None:
            raise ValueError(tekst)
        return tijdstip.astimezone(datetime.UTC), int(nummer)
    except (ValueError, UnicodeDecodeError, OverflowError) as exc:
        raise ValueError(cursor) from exc


LIJST_PARAMETERS = [
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        many=True,
        enum=Status.values,
        description="Alleen meldingen met deze status (herhaal voor meer).",
    ),
    OpenApiParameter(
        "soort", OpenApiTypes.STR, enum=Verzuimsoort.values, description="Alleen deze soort."
    ),
    OpenApiParameter(
        "gewijzigdSinds",
        OpenApiTypes.DATETIME,
        description="Alleen meldingen die op of na dit tijdstip (met tijdzone) zijn gewijzigd.",
    ),
    OpenApiParameter(
        "cursor",
        OpenApiTypes.STR,
        description="Verder na dit punt: de waarde volgende van het vorige antwoord.",
    ),
    OpenApiParameter(
        "aantal", OpenApiTypes.INT, description="Hoeveel meldingen per pagina (1-100, 50)."
    ),
]


class MeldingenView(KoppelvlakView):
    """GET: the organisation's meldingen in the order they changed (a school's own, an
    instantie's routed to it): the feed. POST (school): register a melding."""

    @extend_schema(
        operation_id="meldingenLijst",
        summary="Meldingen van de organisatie, in de volgorde waarin ze zijn gewijzigd",
        parameters=LIJST_PARAMETERS,
        responses={200: s.Meldingen},
        tags=["School", "Uitvoerende instantie"],
    )
    def get(self, request):
        form = LijstForm(request.query_params)
        if not form.is_valid():
            raise Ongeldig(
                [
                    Fout("", tekst, fout.code or "invalid", naam=veld)
                    for veld, lijst in form.errors.as_data().items()
                    for fout in lijst
                    for tekst in fout.messages
                ]
            )
        data = form.cleaned_data
        koppeling = self.koppeling
        positie = data["cursor"]
        if data["gewijzigdSinds"] is not None:
            positie = positie or (data["gewijzigdSinds"] - datetime.timedelta(microseconds=1), 0)
        aantal = data["aantal"] or 50
        rijen = meldingen_feed(
            instelling=koppeling.instelling if koppeling.instelling_id else None,
            instantie=koppeling.instantie if koppeling.instelling_id is None else None,
            statussen=data["status"],
            soort=data["soort"],
            sinds=data["gewijzigdSinds"],
            na=data["cursor"],
            aantal=aantal + 1,
        )
        meer = len(rijen) > aantal
        rijen = rijen[:aantal]
        if rijen:
            volgende = maak_cursor(rijen[-1].gewijzigd_op, rijen[-1].nummer)
        else:
            volgende = maak_cursor(*(positie or (BEGIN, 0)))
        for melding in rijen:
            self.raakt(leerling_id=melding.leerling_id, meldingnummer=melding.nummer)
        return Response(s.meldingen_antwoord(rijen, volgende=volgende, meer=meer))

    @extend_schema(
        operation_id="meldingRegistreren",
        summary="Registreer een melding, met alle blokken in één keer",
        request=s.MeldingAanvraag,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Een herhaald verzoek met dezelfde sleutel (en inhoud) geeft de "
                "eerder geregistreerde melding terug, nooit een tweede.",
            )
        ],
        responses={201: s.Melding},
        tags=["School"],
    )
    def post(self, request):
        if soort_van(self.koppeling) != INSTELLING:
            raise geen_toegang(NIET_VOOR[INSTELLING])
        sleutel = request.headers.get("Idempotency-Key")
        if sleutel is not None and not ZICHTBAAR.fullmatch(sleutel):
            raise Ongeldig(
                [Fout("", IDEMPOTENCY_KEY_ONGELDIG, "idempotency_key", naam="Idempotency-Key")]
            )
        inhoud = self.json_object()
        with transaction.atomic():
            # The key first: a retry must get the first answer, not the overlap message the
            # melding it made would now cause.
            aanvraag = None
            if sleutel is not None:
                try:
                    aanvraag = idempotentie_claimen(
                        koppeling=self.koppeling,
                        sleutel=sleutel,
                        inhoud=json.dumps(inhoud, sort_keys=True).encode(),
                    )
                except ValidationError as exc:
                    raise Conflict(exc.messages[0]) from None
                if aanvraag.melding_id is not None:
                    return self._aangemaakt(aanvraag.melding, herhaald=True)
            # Refused below: the transaction rolls back, the key with it (it may be used again).
            leerling = self._leerling(inhoud)
            self.raakt(leerling_id=leerling.pk)
            argumenten = self._valideer(inhoud, leerling)
            try:
                melding = services.melding_registreren(
                    leerling=leerling,
                    instelling=self.koppeling.instelling,
                    gebruiker=self.koppeling.gebruiker,
                    **argumenten,
                )
            except ValidationError as exc:
                raise Ongeldig(service_fouten(exc)) from None
            if aanvraag is not None:
                aanvraag.melding = melding
                aanvraag.save(update_fields=["melding"])
        return self._aangemaakt(melding)

    def _aangemaakt(self, melding: Melding, *, herhaald: bool = False):
        headers = {"Location": reverse("koppelvlak:melding", args=[melding.nummer])}
        if herhaald:
            headers["Idempotent-Replayed"] = "true"
        return self.melding_response(melding, status.HTTP_201_CREATED, **headers)

    def _leerling(self, inhoud: dict) -> Leerling:
        try:
            data = actie_data({"pgn": inhoud.get("pgn")}, {"pgn": "pgn"}, ZoekLeerlingForm)
        except TypeFout as fout:
            raise Ongeldig(fout.fouten) from None
        form = ZoekLeerlingForm(data, instelling=self.koppeling.instelling)
        if not form.is_valid():
            if form.gezocht:
                self.raakt(pgn=form.gezocht)
            raise Ongeldig(actie_fouten(form, {"pgn": "pgn"}))
        return form.leerling

    def _valideer(self, inhoud: dict, leerling: Leerling) -> dict:
        """Every block through its form, as the wizard's steps: all messages at once."""
        onbekend = set(inhoud) - {"pgn", "stuurEmailNaarMelder", *BLOKKEN}
        fouten = [
            Fout(f"/{sleutel}", "Dit veld bestaat niet.", "unknown") for sleutel in sorted(onbekend)
        ]
        melden = inhoud.get("stuurEmailNaarMelder", False)
        if not isinstance(melden, bool):
            fouten.append(Fout("/stuurEmailNaarMelder", "Vul true of false in.", "type"))
        op = vandaag()
        context = BlokContext(leerling=leerling, instelling=self.koppeling.instelling, op=op)
        forms_ = {}
        for sleutel, blok in BLOKKEN.items():
            if sleutel not in inhoud and sleutel != "leerling":
                fouten.append(Fout(f"/{sleutel}", f"Vul blok {blok.titel} in.", "required"))
                continue
            try:
                data = formulier_data(blok, inhoud.get(sleutel, {}), pointer=f"/{sleutel}")
            except TypeFout as fout:
                fouten += fout.fouten
                continue
            if sleutel == "lesuren" and "verzuim" in forms_:
                begindatum, einddatum = forms_["verzuim"].periode()
                context = BlokContext(
                    leerling=leerling,
                    instelling=self.koppeling.instelling,
                    op=op,
                    begindatum=begindatum,
                    einddatum=einddatum,
                )
            form = blok.form(data, context=context)
            if not form.is_valid():
                fouten += form_fouten(blok, form, pointer=f"/{sleutel}")
            forms_[sleutel] = form
        if fouten:
            raise Ongeldig(fouten)
        argumenten = alle_service_argumenten(forms_)  # as the wizard's done()
        argumenten["gegevens"]["stuur_email_naar_melder"] = melden
        return {**argumenten, "op": op}


# --- One melding ---------------------------------------------------------------------------


class MeldingView(KoppelvlakView):
    @extend_schema(
        operation_id="meldingLezen",
        summary="Een melding, met alle blokken, de behandeling en de terugkoppeling",
        responses={200: s.Melding},
        tags=["School", "Uitvoerende instantie"],
    )
    def get(self, request, nummer):
        melding = self.melding(nummer)
        if self.koppeling.instantie_id:
            # As a behandelaar's first look: it is no longer Nieuw in the werkvoorraad.
            behandeling_services.melding_openen(melding=melding)
        response = Response(s.Melding(melding).data)
        response["ETag"] = f'"{melding.versie}"'
        return response

    @extend_schema(
        operation_id="meldingWijzigen",
        summary="Wijzig één blok van een melding (JSON merge patch, met If-Match)",
        request={
            "application/merge-patch+json": s.MeldingWijziging,
            "application/json": s.MeldingWijziging,
        },
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description='De ETag van de melding waarop de wijziging is gebaseerd: "<versie>".',
            )
        ],
        responses={200: s.Melding},
        tags=["School"],
    )
    def patch(self, request, nummer):
        if soort_van(self.koppeling) != INSTELLING:
            raise geen_toegang(NIET_VOOR[INSTELLING])
        melding = self.melding(nummer)
        versie = controleer_versie(request, melding, verplicht=True)
        inhoud = self.json_object()
        if len(inhoud) != 1 or next(iter(inhoud)) not in BLOKKEN:
            raise Ongeldig([Fout("", EEN_BLOK, "blok")])
        if not workflow.mag_wijzigen(melding):
            raise Conflict(workflow.NIET_WIJZIGBAAR.format(status=melding.get_status_display()))
        sleutel, wijziging = next(iter(inhoud.items()))
        blok = BLOKKEN[sleutel]
        if not isinstance(wijziging, dict):
            raise Ongeldig([Fout(f"/{sleutel}", "Vul een object in.", "type")])
        # Merge patch: what is left out keeps its value.
        opgeslagen = s.Melding(melding).data[sleutel]
        samen = {k: v for k, v in opgeslagen.items() if k in json_velden(blok)}
        samen.update(wijziging)
        try:
            data = formulier_data(blok, samen, pointer=f"/{sleutel}")
        except TypeFout as fout:
            raise Ongeldig(fout.fouten) from None
        instelling = self.koppeling.instelling
        form = blok.form(
            data,
            context=BlokContext.van_melding(melding, instelling=instelling, op=vandaag()),
            initial=blok.initial(melding),
        )
        if not form.is_valid():
            raise Ongeldig(form_fouten(blok, form, pointer=f"/{sleutel}"))
        try:
            with transaction.atomic():
                services.melding_wijzigen(
                    melding=melding,
                    gebruiker=self.koppeling.gebruiker,
                    versie=versie,
                    blok=sleutel,
                    **blok.service_argumenten(form.cleaned_data),
                )
        except ValidationError as exc:
            raise _weigering(exc, met_if_match=True) from None
        return self.melding_response(melding)


def _if_match_parameter(verplicht=False):
    return OpenApiParameter(
        "If-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=verplicht,
        description='Optioneel: de ETag ("<versie>") van de melding waarop dit is gebaseerd; '
        "412 als de melding intussen is gewijzigd.",
    )


class ActieView(KoppelvlakView):
    """An action on one melding: a small form (the browser's), then a service."""

    form_class: type
    namen: dict[str, str] = {}

    def form_kwargs(self, melding) -> dict:
        return {}

    def uitvoeren(self, melding, cleaned_data, versie):
        raise NotImplementedError

    def actie(self, request, nummer):
        melding = self.melding(nummer, details=False)
        blokkade = self.blokkade(melding)
        if blokkade:
            raise Conflict(blokkade)
        versie = controleer_versie(request, melding, verplicht=False)
        try:
            data = actie_data(self.json_object(), self.namen, self.form_class)
        except TypeFout as fout:
            raise Ongeldig(fout.fouten) from None
        if "versie" in self.form_class.base_fields:
            data["versie"] = str(versie)
        form = self.form_class(data, **self.form_kwargs(melding))
        if not form.is_valid():
            raise Ongeldig(actie_fouten(form, self.namen))
        try:
            with transaction.atomic():
                self.uitvoeren(melding, form.cleaned_data, versie)
        except ValidationError as exc:
            raise _weigering(exc, met_if_match="If-Match" in request.headers) from None
        return self.melding_response(melding)

    def blokkade(self, melding) -> str | None:
        return None


class IntrekkingView(ActieView):
    voor = INSTELLING
    form_class = IntrekkenForm
    namen = {"reden": "reden_intrekken", "toelichting": "toelichting_intrekken"}

    def blokkade(self, melding):
        return regels.intrekken_blokkade(melding, vandaag())

    def uitvoeren(self, melding, data, versie):
        services.melding_intrekken(
            melding=melding,
            gebruiker=self.koppeling.gebruiker,
            reden=data["reden_intrekken"],
            toelichting=data["toelichting_intrekken"],
        )

    @extend_schema(
        operation_id="meldingIntrekken",
        summary="Trek een melding in (reden; bij anders een toelichting; tot een jaar na de "
        "begindatum)",
        request=s.IntrekkingAanvraag,
        parameters=[_if_match_parameter()],
        responses={200: s.Melding},
        tags=["School"],
    )
    def post(self, request, nummer):
        return self.actie(request, nummer)


class BehandelingView(ActieView):
    voor = INSTANTIE
    form_class = VersieForm

    def uitvoeren(self, melding, data, versie):
        behandeling_services.in_behandeling_nemen(
            melding=melding, gebruiker=self.koppeling.gebruiker, versie=versie
        )

    @extend_schema(
        operation_id="meldingInBehandelingNemen",
        summary="Neem een melding in behandeling (Geregistreerd → In behandeling)",
        request=s.Leeg,
        parameters=[_if_match_parameter()],
        responses={200: s.Melding},
        tags=["Uitvoerende instantie"],
    )
    def post(self, request, nummer):
        return self.actie(request, nummer)


class TerugkoppelingView(ActieView):
    voor = INSTANTIE
    form_class = TerugkoppelingForm
    namen = {v: v for v in ("naam", "functie", "email", "telefoon", "datum", "toelichting")}

    def form_kwargs(self, melding):
        return {"op": vandaag()}

    def uitvoeren(self, melding, data, versie):
        behandeling_services.terugkoppeling_geven(
            melding=melding,
            gebruiker=self.koppeling.gebruiker,
            versie=versie,
            **{veld: data[veld] for veld in self.namen.values()},
        )

    @extend_schema(
        operation_id="terugkoppelingGeven",
        summary="Geef of wijzig de terugkoppeling (terwijl de melding in behandeling is)",
        request=s.Terugkoppeling,
        parameters=[_if_match_parameter()],
        responses={200: s.Melding},
        tags=["Uitvoerende instantie"],
    )
    def put(self, request, nummer):
        return self.actie(request, nummer)


class AfsluitingView(ActieView):
    voor = INSTANTIE
    form_class = AfsluitenForm
    namen = {"redenAfgesloten": "reden_afgesloten"}

    def uitvoeren(self, melding, data, versie):
        behandeling_services.melding_afsluiten(
            melding=melding,
            gebruiker=self.koppeling.gebruiker,
            versie=versie,
            reden=data["reden_afgesloten"],
        )

    @extend_schema(
        operation_id="meldingAfsluiten",
        summary="Sluit een melding af met een reden (na de terugkoppeling)",
        request=s.AfsluitingAanvraag,
        parameters=[_if_match_parameter()],
        responses={200: s.Melding},
        tags=["Uitvoerende instantie"],
    )
    def post(self, request, nummer):
        return self.actie(request, nummer)


class KennisgevingView(ActieView):
    voor = INSTANTIE
    form_class = KennisgevingForm
    namen = {"toelichting": "toelichting"}

    def form_kwargs(self, melding):
        return {"melding": melding}

    def uitvoeren(self, melding, data, versie):
        behandeling_services.ter_kennisgeving_aannemen(
            melding=melding,
            gebruiker=self.koppeling.gebruiker,
            versie=versie,
            toelichting=data["toelichting"],
        )

    @extend_schema(
        operation_id="meldingTerKennisgevingAannemen",
        summary="Neem een melding ter kennisgeving aan",
        request=s.KennisgevingAanvraag,
        parameters=[_if_match_parameter()],
        responses={200: s.Melding},
        tags=["Uitvoerende instantie"],
    )
    def post(self, request, nummer):
        return self.actie(request, nummer)


class DoorsturingView(ActieView):
    voor = INSTANTIE
    form_class = DoorsturenForm
    namen = {"instantie": "instantie", "reden": "reden"}

    def form_kwargs(self, melding):
        return {"melding": melding}

    def uitvoeren(self, melding, data, versie):
        behandeling_services.doorsturen(
            melding=melding,
            gebruiker=self.koppeling.gebruiker,
            versie=versie,
            instantie=data["instantie"],
            reden=data["reden"],
        )

    def melding_response(self, melding, status_code=status.HTTP_200_OK, **headers):
        # Sent on, it is no longer this instantie's to see.
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        operation_id="meldingDoorsturen",
        summary="Stuur een melding door naar een andere uitvoerende instantie",
        request=s.DoorsturingAanvraag,
        parameters=[_if_match_parameter()],
        responses={204: None},
        tags=["Uitvoerende instantie"],
    )
    def post(self, request, nummer):
        return self.actie(request, nummer)


class InstantiesView(KoppelvlakView):
    @extend_schema(
        operation_id="uitvoerendeInstantiesLijst",
        summary="De uitvoerende instanties (voor doorsturen)",
        responses={200: s.Instantie(many=True)},
        tags=["Uitvoerende instantie"],
    )
    def get(self, request):
        return Response(s.Instantie(UitvoerendeInstantie.objects.order_by("naam"), many=True).data)
