"""Who may use the verzuimloket, and for which organisation.

Two kinds of users, each with a role and machtigingen the beheerder grants in the admin:
- a school's *verzuimloketmelder*, acting for an instelling (`Machtiging`);
- an uitvoerende instantie's *behandelaar* (leerplichtambtenaar, RMC-consulent), acting for an
  instantie (`InstantieMachtiging`).
One user may hold both. After login the user acts for one chosen organisation (*Kies
organisatie*; with a single one there is no choice), shown in the header with *Wissel*.

`OrganisatieMiddleware` runs for every view, so a new view is scoped without anyone having to
remember a decorator: a view is a school view unless marked `@voor_behandelaar`; it runs only for
a logged-in user who acts for an organisation of that kind, found on `request.instelling` or
`request.instantie`. Views read their data through that attribute only. Views that must work
otherwise say so explicitly: `@openbaar` (login, health checks) and
`@zonder_gekozen_organisatie` (the choice itself). The Django admin has its own staff check.
"""

import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.shortcuts import render

from verzuimloket.vaste_sql import Tabel

from .models import InstantieMachtiging, Instelling, Machtiging, UitvoerendeInstantie

SESSIE_SLEUTEL = "organisatie"
ROL_PERMISSIE = "leerlingen.verzuimloketmelder"
BEHANDELAAR_PERMISSIE = "leerlingen.behandelaar"

INSTELLING = "instelling"
INSTANTIE = "instantie"

GEEN_ROL = "U heeft de rol 'verzuimloketmelder' of 'behandelaar' niet."
GEEN_MACHTIGING = "U bent voor geen enkele instellingscode of uitvoerende instantie gemachtigd."
NIET_VOOR_U = {
    INSTELLING: "Deze pagina is voor onderwijsinstellingen; u bent voor geen enkele "
    "instellingscode gemachtigd.",
    INSTANTIE: "Deze pagina is voor uitvoerende instanties; u bent voor geen enkele uitvoerende "
    "instantie gemachtigd.",
}


@dataclass(frozen=True)
class Organisatie:
    """An instelling or an uitvoerende instantie the user may act for."""

    soort: str
    object: Instelling | UitvoerendeInstantie

    @property
    def sleutel(self) -> str:
        return f"{self.soort}:{self.object.pk}"

    @property
    def naam(self) -> str:
        """'24GP – Scholengemeenschap De Grote Markt', or the instantie's name."""
        return str(self.object) if self.soort == INSTELLING else self.object.naam


def openbaar(view):
    """Mark a view as reachable without login (login page, health check)."""
    view.verzuimloket_openbaar = True
    return view


def zonder_gekozen_organisatie(view):
    """Mark a view that needs a role and a machtiging, but no chosen organisation yet."""
    view.verzuimloket_zonder_keuze = True
    return view


def voor_behandelaar(view):
    """Mark a view of the uitvoerende instantie: it runs for a chosen instantie only."""
    view.verzuimloket_voor = INSTANTIE
    return view


def geen_toegang(request, reden: str):
    return render(request, "geen_toegang.html", {"reden": reden}, status=403)


def machtigingen_van(gebruiker) -> list[Instelling]:
    """The instellingen a verzuimloketmelder may act for (none without the role)."""
    return organisaties_van(gebruiker)[0]


def instantie_machtigingen_van(gebruiker) -> list[UitvoerendeInstantie]:
    """The uitvoerende instanties a behandelaar may act for (none without the role)."""
    return organisaties_van(gebruiker)[1]


def _organisaties_sql(gebruiker: str) -> str:
    """What every request needs to know of its user (see organisaties_van) as one JSON array of
    rows, for the user whose row is `gebruiker` (an alias of the user table in the query around
    it). Plain SQL: building this union with the ORM cost more CPU than the rest of a small
    page. Parameters: the two role codenames."""
    gebruiker_model = get_user_model()
    permissies = Permission._meta.db_table
    direct = gebruiker_model.user_permissions.through._meta.db_table
    groepen = gebruiker_model.groups.through._meta.db_table

    def rol(parameter: str) -> str:
        return f"""EXISTS (
            SELECT 1 FROM {permissies} p
            JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id
            WHERE ct.app_label = 'leerlingen' AND p.codename = {parameter} AND (
                p.id IN (SELECT permission_id FROM {direct} WHERE user_id = {gebruiker}.id)
                OR p.id IN (SELECT gp.permission_id
                            FROM {Group.permissions.through._meta.db_table} gp
                            JOIN {groepen} ug ON ug.group_id = gp.group_id
                            WHERE ug.user_id = {gebruiker}.id)))"""

    rij = "json_build_array(o.soort, o.code, o.naam, o.adres, o.id, o.mail)"
    return f"""(SELECT COALESCE(json_agg({rij}), '[]') FROM (
        SELECT 'i' AS soort, i.instellingscode AS code, i.naam, i.plaats AS adres, 0 AS id,
               false AS mail
        FROM {Machtiging._meta.db_table} m
        JOIN {Instelling._meta.db_table} i ON i.instellingscode = m.instelling_id
        WHERE m.gebruiker_id = {gebruiker}.id AND {gebruiker}.is_active
          AND ({gebruiker}.is_superuser OR {rol("%s")})
        UNION ALL
        SELECT 'u', '', u.naam, u.email, u.id, u.wil_email
        FROM {InstantieMachtiging._meta.db_table} m
        JOIN {UitvoerendeInstantie._meta.db_table} u ON u.id = m.instantie_id
        WHERE m.gebruiker_id = {gebruiker}.id AND {gebruiker}.is_active
          AND ({gebruiker}.is_superuser OR {rol("%s")})) o)"""


ROLLEN = ["verzuimloketmelder", "behandelaar"]


class GebruikerBackend(ModelBackend):
    """Django's ModelBackend, but loading the logged-in user of a request reads the user's
    organisations in the same query (a JSON column): the user and its organisations are
    needed by every page, so that is one round trip fewer on every page. The query is fixed
    SQL (verzuimloket/vaste_sql.py): the ORM spent 0.35 ms of CPU compiling it on every
    request, more than PostgreSQL needs to run it."""

    def get_user(self, user_id):
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        tabel, sql = _gebruiker_sql()
        with connection.cursor() as cursor:
            cursor.execute(sql, [*ROLLEN, pk])
            rij = cursor.fetchone()
        if rij is None:
            return None
        gebruiker = tabel.instantie(rij)
        gebruiker.organisaties_rijen = rij[tabel.aantal]
        return gebruiker if self.user_can_authenticate(gebruiker) else None


@functools.cache
def _gebruiker_sql() -> tuple[Tabel, str]:
    """The user table of GebruikerBackend's query, and the query: every column of the user,
    then its organisations. Parameters: the two role codenames, the user's id."""
    model = get_user_model()
    tabel = Tabel(model, "g")
    naam = connection.ops.quote_name(model._meta.db_table)
    return tabel, (
        f"SELECT {tabel.kolommen}, {_organisaties_sql('g')} FROM {naam} g "
        f'WHERE g."{model._meta.pk.column}" = %s'
    )


def organisaties_van(gebruiker) -> tuple[list[Instelling], list[UitvoerendeInstantie]]:
    """The instellingen and uitvoerende instanties the user may act for, each kind only with its
    role, in one query, or none when the user came from GebruikerBackend, which read them
    with the user. The role counts as Django's ModelBackend counts a permission: given directly
    or through a group; an active superuser has every role, an inactive user none. Model
    instances with every field loaded, ordered as the choice screen shows them."""
    if not gebruiker.is_active:
        return [], []
    rijen = getattr(gebruiker, "organisaties_rijen", None)
    if rijen is None:
        tabel = connection.ops.quote_name(get_user_model()._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {_organisaties_sql('g')} FROM {tabel} g WHERE g.id = %s",
                [*ROLLEN, gebruiker.pk],
            )
            rij = cursor.fetchone()
        rijen = rij[0] if rij else []
    instellingen = sorted(
        (Instelling(instellingscode=r[1], naam=r[2], plaats=r[3]) for r in rijen if r[0] == "i"),
        key=lambda i: i.pk,
    )
    instanties = sorted(
        (
            UitvoerendeInstantie(pk=r[4], naam=r[2], email=r[3], wil_email=r[5])
            for r in rijen
            if r[0] == "u"
        ),
        key=lambda u: (u.naam, u.pk),
    )
    for organisatie in (*instellingen, *instanties):
        organisatie._state.adding, organisatie._state.db = False, "default"
    return instellingen, instanties


def kies_organisatie(request, organisatie: Organisatie) -> None:
    request.session[SESSIE_SLEUTEL] = organisatie.sleutel
    _zet(request, organisatie)


def _zet(request, organisatie: Organisatie) -> None:
    request.organisatie = organisatie
    request.instelling = organisatie.object if organisatie.soort == INSTELLING else None
    request.instantie = organisatie.object if organisatie.soort == INSTANTIE else None


class OrganisatieMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisatie = None
        request.instelling = None
        request.instantie = None
        request.machtigingen = []
        request.instantie_machtigingen = []
        request.organisaties = []
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and match.app_name == "admin":
            return None
        if getattr(view_func, "verzuimloket_openbaar", False):
            return None
        if getattr(view_func, "verzuimloket_koppelvlak", False):
            return None  # the API: each call authenticates with a koppeling's key (koppelvlak/)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        gebruiker = request.user
        request.machtigingen, request.instantie_machtigingen = organisaties_van(gebruiker)
        request.organisaties = [
            *(Organisatie(INSTELLING, i) for i in request.machtigingen),
            *(Organisatie(INSTANTIE, i) for i in request.instantie_machtigingen),
        ]
        if not request.organisaties:
            # Only now ask which of the two is missing: the role or a machtiging.
            if not (gebruiker.has_perm(ROL_PERMISSIE) or gebruiker.has_perm(BEHANDELAAR_PERMISSIE)):
                return geen_toegang(request, GEEN_ROL)
            return geen_toegang(request, GEEN_MACHTIGING)

        gekozen = request.session.get(SESSIE_SLEUTEL)
        organisatie = next((o for o in request.organisaties if o.sleutel == gekozen), None)
        if organisatie is None and len(request.organisaties) == 1:
            # The manual: with one machtiging the choice screen is not shown.
            organisatie = request.organisaties[0]
            request.session[SESSIE_SLEUTEL] = organisatie.sleutel
        if organisatie is not None:
            _zet(request, organisatie)
        if getattr(view_func, "verzuimloket_zonder_keuze", False):
            return None

        nodig = getattr(view_func, "verzuimloket_voor", INSTELLING)
        if not any(o.soort == nodig for o in request.organisaties):
            return geen_toegang(request, NIET_VOOR_U[nodig])
        if organisatie is None or organisatie.soort != nodig:
            # Acting for another organisation (or none yet): choose, then come back here.
            return redirect_to_login(request.get_full_path(), "kies_instelling", "next")
        return None


def _rol(naam: str, codename: str):
    """The group that carries a role (made by the migrations; rebuilt here when a test's
    database flush has emptied it)."""
    groep, _ = Group.objects.get_or_create(name=naam)
    if not groep.permissions.filter(codename=codename).exists():
        groep.permissions.add(
            Permission.objects.get(codename=codename, content_type__app_label="leerlingen")
        )
    return groep


def rol_verzuimloketmelder():
    return _rol("verzuimloketmelder", "verzuimloketmelder")


def rol_behandelaar():
    return _rol("behandelaar", "behandelaar")
