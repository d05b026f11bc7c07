"""Security every request shares (docs/deploy.md, "Beveiliging"):

- `client_ip`: the client's address. Directly connected: REMOTE_ADDR. Behind PROXY_AANTAL
  trusted reverse proxies that each append their peer's address to X-Forwarded-For: the
  PROXY_AANTAL-th address from the right, the one the outermost proxy saw. What a client writes
  into X-Forwarded-For itself stands further left and is never used. django-axes uses it too.
- `inlognaam`: the username django-axes records, bounded to what a username can be.
- `BeveiligingsheadersMiddleware`: `Cache-Control: no-store` on every page (they show pupil
  data; the static files are served before this runs and keep their long cache), and
  Permissions-Policy.
- `InlogremMiddleware`: one address with INLOG_FOUTEN_PER_ADRES failed logins in the hour, for
  whatever usernames, gets the lockout page on both login pages until the hour is over. (Per
  username and address, django-axes locks out after AXES_FAILURE_LIMIT.)
"""

import ipaddress

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from .rem import UUR, Rem


def _adres(waarde: str) -> str | None:
    try:
        return str(ipaddress.ip_address(waarde.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.PROXY_AANTAL:
        return remote
    keten = [deel for deel in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if deel]
    if len(keten) < settings.PROXY_AANTAL:
        return remote  # not through all proxies: the nearest peer is all we know
    return _adres(keten[-settings.PROXY_AANTAL]) or remote


def inlognaam(request, credentials) -> str:
    """The username a login attempt names, at most as long as a username can be: a longer one
    can never log in, and must not break the attempt log."""
    veld = get_user_model().USERNAME_FIELD
    if credentials:
        naam = credentials.get(veld) or ""
    else:
        naam = request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "") if request else ""
    lengte = get_user_model()._meta.get_field(veld).max_length
    return str(naam)[:lengte]


class BeveiligingsheadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        # Pages show pupil data: no browser, proxy or back-button cache keeps a copy.
        add_never_cache_headers(response)
        return response


INLOG_FOUTEN = Rem("inlog-adres", limiet=lambda: settings.INLOG_FOUTEN_PER_ADRES, venster=UUR)
LOGIN_URLS = {("", "login"), ("admin", "login")}


@receiver(user_login_failed)
def _tel_mislukte_inlog(sender, credentials, request=None, **kwargs):
    if request is not None:
        INLOG_FOUTEN.tel(client_ip(request))


class InlogremMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            request.method == "POST"
            and match is not None
            and (match.namespace, match.url_name) in LOGIN_URLS
            and INLOG_FOUTEN.bereikt(client_ip(request))
        ):
            return render(
                request,
                "registration/geblokkeerd.html",
                {"cooloff_timedelta": INLOG_FOUTEN.resterend()},
                status=429,
            )
        return None
