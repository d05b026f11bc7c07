"""Who calls: a koppeling, by its key (`Authorization: Bearer <sleutel>`), and how often it may
(`KoppelingRem`: API_VERZOEKEN_PER_MINUUT calls a minute, counted where every process sees it)."""

import datetime
import math

from django.conf import settings
from rest_framework import authentication, exceptions, throttling

from verzuimloket.rem import Rem

from .services import koppeling_van_sleutel

MINUUT = datetime.timedelta(minutes=1)
ONGELDIGE_SLEUTEL = (
    "Deze sleutel is onbekend, ingetrokken of verlopen. Vraag de beheerder van het "
    "Verzuimloket om een nieuwe koppeling."
)


class KoppelingAuthenticatie(authentication.BaseAuthentication):
    """`request.user` becomes the koppeling's own user, `request.auth` the koppeling."""

    keyword = "Bearer"

    def authenticate(self, request):
        kop = authentication.get_authorization_header(request).decode("latin-1").split()
        if not kop or kop[0].lower() != self.keyword.lower():
            return None
        koppeling = koppeling_van_sleutel(kop[1]) if len(kop) == 2 else None
        if koppeling is None:
            fout = exceptions.AuthenticationFailed(ONGELDIGE_SLEUTEL)
            fout.eigen = True  # this text, not the standard one (koppelvlak.fouten)
            raise fout
        # For the request's log lines (verzuimloket.logboek).
        request._request.koppeling_id = koppeling.pk
        return koppeling.gebruiker, koppeling

    def authenticate_header(self, request):
        return f'{self.keyword} realm="verzuimloket"'


API_VERZOEKEN = Rem(
    "api-verzoeken", limiet=lambda: settings.API_VERZOEKEN_PER_MINUUT, venster=MINUUT
)


class KoppelingRem(throttling.BaseThrottle):
    def allow_request(self, request, view):
        koppeling = request.auth
        if koppeling is None:
            return True  # refused anyway (401)
        return API_VERZOEKEN.tel(koppeling.pk) <= API_VERZOEKEN.limiet()

    def wait(self):
        return max(1, math.ceil(API_VERZOEKEN.resterend().total_seconds()))
