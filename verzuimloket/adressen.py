"""URLs at the cost of one `reverse()`.

`reverse()` walks the URL patterns every call, about 25 µs: for the 25 rows of a list that is
0.6 ms of the page, more than the rows' own rendering. `per_nummer(naam)` gives a function
that puts each number in its place (`per_sleutel`: each key, such as a block's), from one
`reverse()` per process. `vast(naam)`: a URL without arguments (the header's links, a page's
own address), reversed once per process. Each is kept per script prefix and URLconf.
`statisch(pad)`: Django's `static()`, likewise."""

import functools
import re
from collections.abc import Callable

from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse

# A number no real one equals as a string, so splitting on it finds the one place it stands.
_MERK = 918273645


def per_nummer(naam: str, *voor: object) -> Callable[[int], str]:
    """`per_nummer("meldingen:detail")(n) == reverse("meldingen:detail", args=[n])`; `voor`
    are arguments that come before the number and are the same for every row."""
    begin, eind = _om(naam, voor, _MERK)
    return lambda nummer: f"{begin}{int(nummer)}{eind}"


def _om(naam: str, voor: tuple, merk) -> tuple[str, str]:
    """The URL's text before and after its last argument, reversed with `merk` there."""
    begin, eind = _reverse(naam, (*voor, merk)).split(str(merk))  # one place, else ValueError
    return begin, eind


def _reverse(naam: str, args: tuple = ()) -> str:
    """`reverse(naam, args=args)`, once per process for each script prefix and URLconf (both
    of which reverse() reads)."""
    return _reverse_vast(naam, args, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=256)
def _reverse_vast(naam: str, args: tuple, prefix: str, urlconf) -> str:
    return reverse(naam, args=args, urlconf=urlconf)


_SLEUTEL = re.compile(r"[a-z_]{1,50}")
_SLEUTEL_MERK = "sleutelmerkzz"


def per_sleutel(naam: str, *voor: object) -> Callable[[str], str]:
    """As `per_nummer`, for a last argument that is a key of a fixed set (a block's "leerling",
    "verzuim"): lowercase letters and underscores only, anything else is refused."""
    begin, eind = _om(naam, voor, _SLEUTEL_MERK)

    def adres(sleutel: str) -> str:
        if not _SLEUTEL.fullmatch(sleutel):
            raise ValueError(f"geen sleutel: {sleutel!r}")
        return f"{begin}{sleutel}{eind}"

    return adres


def vast(naam: str) -> str:
    """`reverse(naam)` of a URL without arguments, remembered: every page's header and menu
    reversed the same four or five, 0.1-0.2 ms a page."""
    return _reverse(naam)


def statisch(pad: str) -> str:
    """`static(pad)`, remembered per process outside DEBUG. The storage reads its manifest of
    hashed names once, when the process starts, so the name cannot change while it runs; the
    look-up walked urljoin and urlsplit for each of the three files every page links, 3% of
    a page. Kept per STATIC_URL (which holds the script prefix) and storage."""
    if settings.DEBUG:  # while developing, files change
        return static(pad)
    return _statisch(pad, settings.STATIC_URL, settings.STORAGES["staticfiles"]["BACKEND"])


@functools.lru_cache(maxsize=64)
def _statisch(pad: str, static_url: str, opslag: str) -> str:
    return static(pad)
