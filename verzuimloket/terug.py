from urllib.parse import urlsplit

from django.utils.http import url_has_allowed_host_and_scheme


def lokale_url(request, naam: str) -> str:
    """The request's `naam` parameter (POST, else GET) when it is a path on this site, else ''.
    For "back to" and "next" links, which must never lead off the site.

    A path only: it starts with one "/" and holds no whitespace, no other unprintable
    character and no backslash anywhere. Browsers drop tabs and newlines from an href and read
    "\\" as "/", so "/\\r\\n//evil.example" or "/\\t//evil.example" would become
    "//evil.example", another site."""
    waarde = request.POST.get(naam) or request.GET.get(naam) or ""
    if (
        not waarde.startswith("/")
        or waarde.startswith("//")
        or any(not teken.isprintable() or teken in " \\" for teken in waarde)
    ):
        return ""
    delen = urlsplit(waarde)
    if delen.scheme or delen.netloc:
        return ""
    if not url_has_allowed_host_and_scheme(
        waarde, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return waarde
