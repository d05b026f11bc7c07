"""Koppelingen make, revoke and find (the admin, the shell and the API's authentication use
these), and keep an Idempotency-Key's answer."""

import datetime
import functools
import hashlib

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from rest_framework_api_key.crypto import KeyGenerator

from leerlingen.models import Instelling, UitvoerendeInstantie
from verzuimloket import vaste_sql

from .models import IdempotenteAanvraag, Koppeling

# 8 random characters to find the row, 40 of secret (about 238 bits): `<prefix>.<geheim>`.
SLEUTELS = KeyGenerator(prefix_length=8, secret_key_length=40)
# A key is checked on every call; remember a successful use at most this often per koppeling.
GEBRUIK_NOTEREN_NA = datetime.timedelta(minutes=5)


@transaction.atomic
def koppeling_aanmaken(
    *,
    naam: str,
    instelling: Instelling | None = None,
    instantie: UitvoerendeInstantie | None = None,
    verloopt_op: datetime.datetime | None = None,
) -> tuple[Koppeling, str]:
    """A new koppeling for one organisation, and its key: shown this once, stored as a hash."""
    sleutel, prefix, sleutel_hash = SLEUTELS.generate()
    gebruiker = get_user_model()(
        username=f"koppeling-{prefix}", first_name=naam[:150], last_name="(koppeling)"
    )
    gebruiker.set_unusable_password()
    koppeling = Koppeling(
        naam=naam,
        instelling=instelling,
        instantie=instantie,
        verloopt_op=verloopt_op,
        prefix=prefix,
        sleutel_hash=sleutel_hash,
    )
    koppeling.full_clean(exclude=["gebruiker"])
    gebruiker.save()
    koppeling.gebruiker = gebruiker
    koppeling.save()
    return koppeling, sleutel


def koppeling_intrekken(*, koppeling: Koppeling) -> Koppeling:
    """Revoke the key for good: every call with it is refused from now on."""
    if koppeling.ingetrokken_op is None:
        koppeling.ingetrokken_op = timezone.now()
        koppeling.save(update_fields=["ingetrokken_op"])
    return koppeling


def koppeling_van_sleutel(sleutel: str) -> Koppeling | None:
    """The usable koppeling this key belongs to; None for an unknown, wrong, revoked or expired
    key (the caller cannot tell which: all are refused the same way)."""
    prefix, punt, _ = sleutel.partition(".")
    if not punt or len(prefix) != SLEUTELS.prefix_length or len(sleutel) > 200:
        return None
    koppeling = _bruikbare_koppeling(prefix)
    if koppeling is None or not SLEUTELS.verify(sleutel, koppeling.sleutel_hash):
        return None
    nu = timezone.now()
    if koppeling.laatst_gebruikt_op is None or nu - koppeling.laatst_gebruikt_op > (
        GEBRUIK_NOTEREN_NA
    ):
        Koppeling.objects.filter(pk=koppeling.pk).update(laatst_gebruikt_op=nu)
    return koppeling


@functools.cache
def _koppeling_sql() -> tuple[str, tuple[vaste_sql.Tabel, ...]]:
    tabellen = (
        vaste_sql.Tabel(Koppeling, "k"),
        vaste_sql.Tabel(get_user_model(), "g"),
        vaste_sql.Tabel(Instelling, "i"),
        vaste_sql.Tabel(UitvoerendeInstantie, "u"),
    )
    sql = f"""
        SELECT {", ".join(t.kolommen for t in tabellen)}
          FROM {Koppeling._meta.db_table} k
          JOIN {get_user_model()._meta.db_table} g ON g.id = k.gebruiker_id
          LEFT JOIN {Instelling._meta.db_table} i ON i.instellingscode = k.instelling_id
          LEFT JOIN {UitvoerendeInstantie._meta.db_table} u ON u.id = k.instantie_id
         WHERE k.prefix = %(prefix)s
           AND k.ingetrokken_op IS NULL AND (k.verloopt_op IS NULL OR k.verloopt_op > %(nu)s)
    """
    return sql, tabellen


def _bruikbare_koppeling(prefix: str) -> Koppeling | None:
    """`Koppeling.objects.bruikbaar()` with this prefix, with its user and organisation, in
    fixed SQL (verzuimloket.vaste_sql): every API call runs it, and the ORM spent more CPU
    compiling it than PostgreSQL spent running it."""
    sql, tabellen = _koppeling_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, {"prefix": prefix, "nu": timezone.now()})
        rij = cursor.fetchone()
    if rij is None:
        return None
    (gevonden, *gerelateerd), _ = vaste_sql.instanties(tabellen, rij)
    for veld, object_ in zip(("gebruiker", "instelling", "instantie"), gerelateerd, strict=True):
        vaste_sql.koppel(gevonden, veld, object_)
    return gevonden


# --- Idempotency-Key -----------------------------------------------------------------------

SLEUTEL_ANDERE_INHOUD = (
    "Deze Idempotency-Key is al gebruikt voor een andere aanvraag. Gebruik voor een nieuwe "
    "melding een nieuwe sleutel."
)


def inhoud_hash(inhoud: bytes) -> str:
    return hashlib.sha256(inhoud).hexdigest()


def idempotentie_claimen(*, koppeling: Koppeling, sleutel: str, inhoud: bytes):
    """In the caller's transaction: claim `sleutel` for this koppeling. Returns the aanvraag;
    its `melding` is set when an earlier request with this key registered one (answer that
    again). A concurrent request with the same key waits here until the first one commits or
    rolls back. Raises ValidationError when the key came with another body before."""
    aanvraag, _ = IdempotenteAanvraag.objects.get_or_create(
        koppeling=koppeling, sleutel=sleutel, defaults={"inhoud_hash": inhoud_hash(inhoud)}
    )
    if aanvraag.inhoud_hash != inhoud_hash(inhoud):
        raise ValidationError(SLEUTEL_ANDERE_INHOUD, code="idempotency_key")
    return aanvraag


def oude_idempotentie_verwijderen(*, ouder_dan: datetime.timedelta = datetime.timedelta(days=1)):
    """For the daily job: a retry comes within minutes, not after a day."""
    grens = timezone.now() - ouder_dan
    return IdempotenteAanvraag.objects.filter(aangemaakt_op__lt=grens).delete()[0]
