from urllib.parse import urlsplit

from django.utils.http import url_has_allowed_host_and_scheme


def lokale_url(request, naam: str) -> str:
    """The request's `naam` parameter (POST, else GET) when it is a path on this site, else ''.
    For "back to" and "next" links, which must never lead off the site."""
    waarde = request.POST.get(naam) or request.GET.get(naam) or ""
    delen = urlsplit(waarde)
    if (
        waarde.startswith("/")
        and not waarde.startswith("//")
        and not delen.scheme
        and not delen.netloc
        and url_has_allowed_host_and_scheme(
            waarde, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return waarde
    return ""
