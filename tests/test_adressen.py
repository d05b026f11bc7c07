"""The list pages build their rows' links with one reverse() (verzuimloket/adressen.py): every
link must be the one reverse() itself gives."""

import pytest
from django.urls import reverse

from verzuimloket.adressen import per_nummer


@pytest.mark.parametrize("nummer", [0, 7, 4000000, 918273645, 2**31 - 1])
@pytest.mark.parametrize(
    ("naam", "voor"),
    [("meldingen:detail", ()), ("behandeling:melding", ()), ("meldingen:intrekken", ())],
)
def test_gelijk_aan_reverse(naam, voor, nummer):
    assert per_nummer(naam, *voor)(nummer) == reverse(naam, args=[*voor, nummer])


def test_alleen_een_getal_komt_in_de_url():
    """A row's number is an int; anything else (a crafted string) is refused, not spliced in."""
    url = per_nummer("meldingen:detail")
    with pytest.raises(ValueError):
        url("1/../../admin")


def test_de_regels_van_een_lijst_linken_naar_de_details(melder_client, demo):
    from meldingen.models import Melding

    melding = Melding.objects.filter(instelling_id="24GP").order_by("nummer").first()
    url = reverse("meldingen:leerling_overzicht", args=[melding.leerling_id])
    antwoord = melder_client.get(url)
    assert f'href="{reverse("meldingen:detail", args=[melding.nummer])}"' in antwoord.text


@pytest.mark.parametrize("naam", ["logout", "kies_instelling", "meldingen:zoeken"])
def test_een_vast_adres_volgt_het_voorvoegsel_en_de_urlconf(naam, settings):
    """A URL without arguments is reversed once, but stays what reverse() gives: also under a
    script prefix (the site served below a path) and another URLconf."""
    from django.urls import set_script_prefix

    from verzuimloket.adressen import vast

    gewoon = reverse(naam)
    assert vast(naam) == gewoon
    set_script_prefix("/loket/")
    try:
        assert vast(naam) == reverse(naam) == f"/loket{gewoon}"
    finally:
        set_script_prefix("/")
    assert vast(naam) == reverse(naam)
    settings.ROOT_URLCONF = "tests.urls_ander"
    assert vast(naam) == reverse(naam) == f"/anders{gewoon}"


def test_per_sleutel_gelijk_aan_reverse_en_alleen_een_sleutel():
    """The Wijzig links of Melding details come from one reverse(): every block's link is the one
    reverse() gives, and only a block's key (letters, underscores) is put in."""
    from meldingen.blokken import BLOKKEN
    from verzuimloket.adressen import per_sleutel

    wijzig = per_sleutel("meldingen:wijzig", 4000123)
    for sleutel in BLOKKEN:
        assert wijzig(sleutel) == reverse("meldingen:wijzig", args=[4000123, sleutel])
    for vreemd in ("../admin", "leerling/../x", "", "Leerling", "a b"):
        with pytest.raises(ValueError):
            wijzig(vreemd)


@pytest.mark.parametrize("naam", ["meldingen:detail", "behandeling:melding"])
def test_een_adres_per_nummer_volgt_het_voorvoegsel_en_de_urlconf(naam, settings):
    """per_nummer and per_sleutel keep their reverse() per process, per script prefix and
    URLconf: what they give is still what reverse() gives."""
    from django.urls import set_script_prefix

    from verzuimloket.adressen import per_sleutel

    gewoon = reverse(naam, args=[7])
    wijzig = reverse("meldingen:wijzig", args=[7, "verzuim"])
    assert per_nummer(naam)(7) == gewoon
    set_script_prefix("/loket/")
    try:
        assert per_nummer(naam)(7) == reverse(naam, args=[7]) == f"/loket{gewoon}"
        assert per_sleutel("meldingen:wijzig", 7)("verzuim") == f"/loket{wijzig}"
    finally:
        set_script_prefix("/")
    assert per_nummer(naam)(7) == gewoon
    settings.ROOT_URLCONF = "tests.urls_ander"
    assert per_nummer(naam)(7) == reverse(naam, args=[7]) == f"/anders{gewoon}"
    assert per_sleutel("meldingen:wijzig", 7)("verzuim") == f"/anders{wijzig}"


def test_statisch_gelijk_aan_static_en_volgt_static_url(settings):
    """The pages' static files are looked up once per process: what they link is still what
    Django's static() gives, also after STATIC_URL changes."""
    from django.templatetags.static import static

    from verzuimloket.adressen import statisch

    for pad in ("favicon.svg", "css/verzuimloket.css", "js/verzuimloket.js"):
        assert statisch(pad) == static(pad)
    settings.STATIC_URL = "/elders/"
    assert statisch("favicon.svg") == static("favicon.svg")
    assert statisch("favicon.svg").startswith("/elders/")
