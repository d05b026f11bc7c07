"""Zoek melding (manual 3): every criterion alone and combined, status filters, part of the
instantienaam case-insensitively, an exact number opens the melding, at least one criterion,
pagination, newest first, and only meldingen of instellingen the user is gemachtigd for."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from markupsafe import escape

from leerlingen.models import Leerling
from meldingen.forms import GEEN_CRITERIUM
from meldingen.models import Melding, OndernomenActie, Status, Verzuimsoort, Wet
from meldingen.views import GEEN_RESULTATEN, PER_PAGINA
from tests.conftest import VANDAAG
from tests.factories import (
    GebruikerFactory,
    LeerlingFactory,
    MeldingFactory,
    UitvoerendeInstantieFactory,
)
from verzuimloket import paginering

ZOEKEN = reverse("meldingen:zoeken")


def maak_meldingen(aantal, *, instelling, instantie, status=Status.GEREGISTREERD, per_leerling=10):
    """`aantal` stored meldingen of `instelling` (bulk_create: fast enough for 1,000), on
    distinct leerlingen and non-overlapping periods, sharing one aanbieder and locatie."""
    voorbeeld = MeldingFactory(instelling=instelling, uitvoerende_instantie=instantie)
    leerlingen = Leerling.objects.bulk_create(
        LeerlingFactory.build_batch((aantal + per_leerling - 1) // per_leerling)
    )
    meldingen = []
    for i in range(aantal):
        begin = VANDAAG - datetime.timedelta(days=3 * (i % per_leerling) + 10)
        meldingen.append(
            Melding(
                leerling=leerlingen[i // per_leerling],
                instelling=instelling,
                melddatum=begin + datetime.timedelta(days=1),
                status=status,
                wet=Wet.LEERPLICHTWET,
                uitvoerende_instantie=instantie,
                begindatum=begin,
                einddatum=begin + datetime.timedelta(days=1),
                soort=Verzuimsoort.OVERIG,
                vermoedelijke_reden="Spijbelen",
                actie_gewenst=True,
                aanbieder=voorbeeld.aanbieder,
                locatie=voorbeeld.locatie,
                contactpersoon_naam="K. Smit",
                contactpersoon_email="k.smit@school.example.nl",
                ondernomen_acties=[OndernomenActie.BRIEF],
            )
        )
    Melding.objects.bulk_create(meldingen)
    return voorbeeld


def gevonden_nummers(response) -> list[int]:
    return [rij.nummer for rij in response.context["rijen"]]


@pytest.fixture
def meldingen(demo):
    """Meldingen of 24GP and 00BB at three instanties, in every status."""
    gp, bb = demo.instellingen["24GP"], demo.instellingen["00BB"]
    groningen = demo.instanties["Gemeente Groningen"]
    assen = UitvoerendeInstantieFactory(naam="Leerplicht Assen")
    rmc = demo.instanties["RMC regio Groningen"]
    m = {
        "gp_r_groningen": MeldingFactory(instelling=gp, uitvoerende_instantie=groningen),
        "gp_b_assen": MeldingFactory(
            instelling=gp, uitvoerende_instantie=assen, status=Status.IN_BEHANDELING
        ),
        "gp_g_rmc": MeldingFactory(
            instelling=gp, uitvoerende_instantie=rmc, status=Status.AFGESLOTEN
        ),
        "gp_k_assen": MeldingFactory(
            instelling=gp, uitvoerende_instantie=assen, status=Status.TER_KENNISGEVING
        ),
        "gp_i_groningen": MeldingFactory(
            instelling=gp,
            uitvoerende_instantie=groningen,
            status=Status.INGETROKKEN,
            reden_intrekken="ten_onrechte",
            ingetrokken_op=datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC),
        ),
        "bb_r_assen": MeldingFactory(instelling=bb, uitvoerende_instantie=assen),
        "bb_r_groningen": MeldingFactory(instelling=bb, uitvoerende_instantie=groningen),
    }
    return m


def zoek(client, **criteria):
    return client.get(ZOEKEN, criteria)


def alle_van(instelling_code, *statussen):
    qs = Melding.objects.filter(instelling_id=instelling_code)
    if statussen:
        qs = qs.filter(status__in=statussen)
    return sorted(qs.values_list("nummer", flat=True), reverse=True)


# -- the page --------------------------------------------------------------------------------


def test_zoekscherm_toont_de_velden_van_de_handleiding(melder_client):
    response = melder_client.get(ZOEKEN)
    assert response.status_code == 200
    html = response.content.decode()
    for tekst in [
        "Meldingnummer",
        "Instellingscode",
        "Uitvoerende instantienaam",
        "Maximaal 200 karakters",
        "Geregistreerd",
        "In behandeling",
        "Afgesloten",
        "Ter kennisgeving aangenomen",
        "Ingetrokken",
        ">Zoeken</button>",
        "Wis velden",
    ]:
        assert tekst in html
    assert 'aria-current="page">Zoek melding' in html
    assert 'method="get"' in html
    # Nothing searched yet: no error, no result list.
    assert "Er is een probleem" not in html
    assert "rijen" not in response.context


def test_instellingscode_biedt_alleen_de_eigen_machtigingen(client, demo):
    client.force_login(demo.gebruikers["melder2"])
    session = client.session
    session["organisatie"] = "instelling:24GP"
    session.save()
    keuzes = client.get(ZOEKEN).context["form"].fields["instellingscode"].choices
    assert [code for code, _ in keuzes] == ["", "00BB", "24GP"]

    client.force_login(demo.gebruikers["melder"])
    keuzes = client.get(ZOEKEN).context["form"].fields["instellingscode"].choices
    assert [code for code, _ in keuzes] == ["", "24GP"]


def test_instellingscode_buiten_machtigingen_wordt_geweigerd(melder_client, meldingen):
    response = zoek(melder_client, instellingscode="00BB")
    assert response.context["form"].errors["instellingscode"] == [
        "Kies een instellingscode waarvoor u gemachtigd bent."
    ]
    assert "rijen" not in response.context


# -- at least one criterion ------------------------------------------------------------------


@pytest.mark.parametrize(
    "criteria",
    [
        {"meldingnummer": "", "instellingscode": "", "instantienaam": ""},
        {"instantienaam": "   "},
        {"status": ["R", "B"]},
    ],
    ids=["leeg", "spaties", "alleen-status"],
)
def test_minimaal_een_zoekcriterium(melder_client, meldingen, criteria):
    response = zoek(melder_client, **criteria)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [GEEN_CRITERIUM]
    assert GEEN_CRITERIUM in response.content.decode()
    assert "Er is een probleem" in response.content.decode()
    assert "rijen" not in response.context


@pytest.mark.parametrize("nummer", ["abc", "40-12", "1" * 13])
def test_meldingnummer_alleen_cijfers(melder_client, meldingen, nummer):
    response = zoek(melder_client, meldingnummer=nummer)
    assert response.context["form"].errors["meldingnummer"] == [
        "Een meldingnummer bestaat alleen uit cijfers, zoals 4012240."
    ]


def test_instantienaam_maximaal_200_karakters(melder_client, meldingen):
    response = zoek(melder_client, instantienaam="a" * 201)
    assert response.context["form"].errors["instantienaam"] == ["Maximaal 200 karakters."]
    assert response.context["form"].is_bound
    assert zoek(melder_client, instantienaam="a" * 200).context["form"].is_valid()


# -- each criterion alone --------------------------------------------------------------------


def test_exact_meldingnummer_opent_de_melding(melder_client, meldingen):
    melding = meldingen["gp_b_assen"]
    response = zoek(melder_client, meldingnummer=f" {melding.nummer} ")
    assert response.status_code == 302
    doel = urlsplit(response["Location"])
    assert doel.path == reverse("meldingen:detail", args=[melding.nummer])
    # "Terug naar meldingenoverzicht" brings the user back to this search.
    terug = parse_qs(doel.query)["terug"][0]
    assert terug.startswith(ZOEKEN + "?")
    assert parse_qs(urlsplit(terug).query)["meldingnummer"] == [f" {melding.nummer} "]
    # Going back shows the search with that melding listed, instead of opening it again.
    terug_pagina = melder_client.get(terug)
    assert terug_pagina.status_code == 200
    assert gevonden_nummers(terug_pagina) == [melding.nummer]
    assert terug_pagina.context["form"]["meldingnummer"].value() == f" {melding.nummer} "


def test_onbekend_meldingnummer(melder_client, meldingen):
    response = zoek(melder_client, meldingnummer="3999999")
    assert response.status_code == 200
    assert response.context["rijen"] == []
    assert GEEN_RESULTATEN in response.content.decode()


def test_meldingnummer_van_een_andere_instelling_zonder_machtiging_blijft_verborgen(
    melder_client, meldingen
):
    response = zoek(melder_client, meldingnummer=str(meldingen["bb_r_assen"].nummer))
    assert response.status_code == 200
    assert response.context["rijen"] == []
    assert (
        str(meldingen["bb_r_assen"].nummer)
        not in response.content.decode().split("Gevonden meldingen")[1]
    )


def test_instellingscode_alleen(melder_client, meldingen):
    response = zoek(melder_client, instellingscode="24GP")
    assert gevonden_nummers(response) == alle_van("24GP")
    assert all(rij.instellingscode == "24GP" for rij in response.context["rijen"])


def test_instantienaam_alleen_deel_van_de_naam_hoofdletterongevoelig(melder_client, meldingen):
    verwacht = sorted(
        [meldingen["gp_b_assen"].nummer, meldingen["gp_k_assen"].nummer], reverse=True
    )
    for deel in ["Assen", "assen", "ASSEN", "plicht as", "sen"]:
        assert gevonden_nummers(zoek(melder_client, instantienaam=deel)) == verwacht, deel


def test_instantienaam_gedeeld_met_andere_instelling_toont_alleen_eigen(melder_client, meldingen):
    # "Gemeente Groningen" also handles 00BB's melding; melder (24GP only) never sees it.
    nummers = gevonden_nummers(zoek(melder_client, instantienaam="gemeente groningen"))
    assert meldingen["bb_r_groningen"].nummer not in nummers
    assert meldingen["gp_r_groningen"].nummer in nummers
    assert meldingen["gp_i_groningen"].nummer in nummers


def test_instantienaam_zonder_treffer(melder_client, meldingen):
    response = zoek(melder_client, instantienaam="Zwolle")
    assert response.context["rijen"] == []
    assert GEEN_RESULTATEN in response.content.decode()


# -- combinations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statussen", "verwacht"),
    [
        (["R"], ["gp_r_groningen"]),
        (["B"], ["gp_b_assen"]),
        (["G"], ["gp_g_rmc"]),
        (["K"], ["gp_k_assen"]),
        (["I"], ["gp_i_groningen"]),
        (["R", "I"], ["gp_r_groningen", "gp_i_groningen"]),
        (["B", "G", "K"], ["gp_b_assen", "gp_g_rmc", "gp_k_assen"]),
        (
            [],
            ["gp_r_groningen", "gp_b_assen", "gp_g_rmc", "gp_k_assen", "gp_i_groningen"],
        ),
    ],
)
def test_instellingscode_met_statusfilter(melder_client, meldingen, demo, statussen, verwacht):
    # The demo's own 24GP meldingen are R (Luxe, 999990093's V3) and G (999999989's Overig).
    demo_nummers = alle_van("24GP", *statussen) if statussen else alle_van("24GP")
    eigen = {m.nummer for m in meldingen.values()}
    demo_nummers = [n for n in demo_nummers if n not in eigen]
    response = zoek(melder_client, instellingscode="24GP", status=statussen)
    nummers = gevonden_nummers(response)
    assert nummers == sorted([meldingen[s].nummer for s in verwacht] + demo_nummers, reverse=True)
    for rij in response.context["rijen"]:
        if statussen:
            assert rij.status in {Status(s).label for s in statussen}


def test_instantienaam_met_status(melder_client, meldingen):
    assert gevonden_nummers(zoek(melder_client, instantienaam="assen", status=["K"])) == [
        meldingen["gp_k_assen"].nummer
    ]
    assert gevonden_nummers(zoek(melder_client, instantienaam="assen", status=["R"])) == []


def test_instellingscode_met_instantienaam(client, demo, meldingen):
    client.force_login(demo.gebruikers["melder2"])
    session = client.session
    session["organisatie"] = "instelling:24GP"
    session.save()
    assert gevonden_nummers(zoek(client, instellingscode="00BB", instantienaam="assen")) == [
        meldingen["bb_r_assen"].nummer
    ]
    assert gevonden_nummers(zoek(client, instellingscode="24GP", instantienaam="assen")) == sorted(
        [meldingen["gp_b_assen"].nummer, meldingen["gp_k_assen"].nummer], reverse=True
    )


def test_meldingnummer_met_passende_status_opent(melder_client, meldingen):
    melding = meldingen["gp_g_rmc"]
    response = zoek(melder_client, meldingnummer=str(melding.nummer), status=["G", "K"])
    assert response.status_code == 302


def test_meldingnummer_met_andere_status_vindt_niets(melder_client, meldingen):
    melding = meldingen["gp_g_rmc"]
    response = zoek(melder_client, meldingnummer=str(melding.nummer), status=["R"])
    assert response.status_code == 200
    assert response.context["rijen"] == []


def test_meldingnummer_met_instantienaam_die_niet_past_vindt_niets(melder_client, meldingen):
    melding = meldingen["gp_g_rmc"]
    response = zoek(melder_client, meldingnummer=str(melding.nummer), instantienaam="assen")
    assert response.status_code == 200
    assert response.context["rijen"] == []


def test_meldingnummer_met_instellingscode_en_instantienaam_opent(melder_client, meldingen):
    melding = meldingen["gp_k_assen"]
    response = zoek(
        melder_client,
        meldingnummer=str(melding.nummer),
        instellingscode="24GP",
        instantienaam="ASSEN",
        status=["K"],
    )
    assert response.status_code == 302


# -- machtigingen ----------------------------------------------------------------------------


@pytest.fixture
def melder2_client(client, demo):
    """melder2: gemachtigd voor 24GP and 00BB, acting for 24GP now."""
    client.force_login(demo.gebruikers["melder2"])
    session = client.session
    session["organisatie"] = "instelling:24GP"
    session.save()
    return client


def test_resultaten_van_alle_eigen_machtigingen(melder2_client, meldingen):
    nummers = gevonden_nummers(zoek(melder2_client, instantienaam="assen"))
    assert nummers == sorted(
        [
            meldingen["gp_b_assen"].nummer,
            meldingen["gp_k_assen"].nummer,
            meldingen["bb_r_assen"].nummer,
        ],
        reverse=True,
    )


def test_melding_van_andere_eigen_instelling_opent_via_wissel_instelling(melder2_client, meldingen):
    """Acting for 24GP, a 00BB melding is listed but opens only after switching explicitly."""
    bb = meldingen["bb_r_assen"]
    response = zoek(melder2_client, instantienaam="assen")
    rij = next(r for r in response.context["rijen"] if r.nummer == bb.nummer)
    assert rij.wissel_naar == "00BB"
    assert rij.url.startswith(reverse("kies_instelling") + "?next=")
    assert "Wissel naar 00BB om te openen" in response.content.decode()
    # The exact number does not open it either: it is listed with the same switch link.
    response = zoek(melder2_client, meldingnummer=str(bb.nummer))
    assert response.status_code == 200
    assert [r.nummer for r in response.context["rijen"]] == [bb.nummer]
    # Directly: 404 while acting for 24GP.
    assert melder2_client.get(reverse("meldingen:detail", args=[bb.nummer])).status_code == 404
    # After switching to 00BB through the link the melding opens.
    volgende = parse_qs(urlsplit(rij.url).query)["next"][0]
    response = melder2_client.post(
        reverse("kies_instelling"), {"organisatie": "instelling:00BB", "next": volgende}
    )
    assert response.status_code == 302
    assert response["Location"] == volgende
    assert melder2_client.get(volgende).status_code == 200


def test_zuid_ziet_niets_van_24gp(zuid_client, meldingen):
    nummers = gevonden_nummers(zoek(zuid_client, instantienaam="e"))
    assert set(nummers) == set(alle_van("00BB"))
    response = zoek(zuid_client, meldingnummer=str(meldingen["gp_r_groningen"].nummer))
    assert response.status_code == 200
    assert response.context["rijen"] == []


def test_zonder_rol_geen_toegang(client, demo):
    client.force_login(demo.gebruikers["zonderrol"])
    response = client.get(ZOEKEN, {"instellingscode": "24GP"})
    assert response.status_code == 403
    assert "rijen" not in (response.context or {})


def test_zonder_machtiging_geen_toegang(client, demo):
    client.force_login(GebruikerFactory(melder=True))
    assert client.get(ZOEKEN, {"instantienaam": "a"}).status_code == 403


def test_anoniem_naar_inloggen(client, demo):
    response = client.get(ZOEKEN, {"instellingscode": "24GP"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# -- the list --------------------------------------------------------------------------------


def test_resultatenlijst_kolommen_en_links(melder_client, meldingen):
    melding = meldingen["gp_k_assen"]
    response = zoek(melder_client, instantienaam="assen", status=["K"])
    html = response.content.decode()
    for kolom in [
        "Nummer",
        "Leerling",
        "Soort",
        "Status",
        "Begindatum",
        "Einddatum",
        "Instellingscode",
        "Uitvoerende instantie",
    ]:
        assert f'<th scope="col">{kolom}</th>' in html
    rij = re.search(r"<tbody>(.*)</tbody>", html, re.S).group(1)
    assert escape(melding.leerling.naam) in rij  # a name may hold an apostrophe: 's Gravensande
    assert "Overig verzuim" in rij
    assert "Ter kennisgeving aangenomen" in rij
    assert "02-02-2026" in rij and "04-02-2026" in rij
    assert "24GP" in rij and "Leerplicht Assen" in rij
    link = response.context["rijen"][0].url
    assert urlsplit(link).path == reverse("meldingen:detail", args=[melding.nummer])
    assert melder_client.get(link).status_code == 200


def test_korte_soortnaam_in_de_lijst(melder_client, demo):
    response = zoek(melder_client, instellingscode="24GP")
    soorten = {r.soort for r in response.context["rijen"]}
    assert "16 uren per 4 weken" in soorten
    assert Verzuimsoort.V3.label not in soorten


@pytest.fixture
def veel_meldingen(demo):
    instantie = UitvoerendeInstantieFactory(naam="Leerplicht Veendam")
    maak_meldingen(2 * PER_PAGINA + 3, instelling=demo.instellingen["24GP"], instantie=instantie)
    return instantie


def test_paginering_nieuwste_eerst(melder_client, veel_meldingen):
    totaal = 2 * PER_PAGINA + 4  # + the example melding maak_meldingen makes
    alle = []
    for pagina in (1, 2, 3):
        response = zoek(melder_client, instantienaam="veendam", pagina=pagina)
        assert response.context["pagina"].nummer == pagina
        alle += gevonden_nummers(response)
    assert len(alle) == totaal
    assert alle == sorted(alle, reverse=True)
    html = zoek(melder_client, instantienaam="veendam", pagina=2).content.decode()
    assert f"{totaal} meldingen gevonden, pagina 2 van 3" in html
    assert 'aria-current="page"><span class="visueel-verborgen">Pagina </span>2' in html
    # Page links keep the criteria.
    assert "?instantienaam=veendam&amp;pagina=3" in html
    assert "?instantienaam=veendam&amp;pagina=1" in html
    # Out of range: the last page.
    assert zoek(melder_client, instantienaam="veendam", pagina=99).context["pagina"].nummer == 3
    assert zoek(melder_client, instantienaam="veendam", pagina="x").context["pagina"].nummer == 1


def _link(html: str, tekst: str) -> str | None:
    """The href of the paging link whose text starts with `tekst` (Vorige, Volgende)."""
    gevonden = re.search(rf'<a href="([^"]+)">{tekst}<span', html)
    return gevonden.group(1).replace("&amp;", "&") if gevonden else None


def test_na_de_telgrens_bladeren_met_vorige_en_volgende(melder_client, veel_meldingen, monkeypatch):
    """Beyond TELLEN_TOT rows the count stops ("Meer dan") and Vorige/Volgende carry a keyset
    cursor: following them visits every melding once, in order, forwards and back."""
    monkeypatch.setattr(paginering, "TELLEN_TOT", PER_PAGINA)  # 54 found, counted to 25
    response = zoek(melder_client, instantienaam="veendam")
    html = response.content.decode()
    assert f"Meer dan {PER_PAGINA} meldingen gevonden, pagina 1." in html
    paginas = [gevonden_nummers(response)]
    while volgende := _link(html, "Volgende"):
        query = parse_qs(urlsplit(volgende).query)
        assert query["instantienaam"] == ["veendam"]
        assert "na" in query  # beyond the one numbered page: a cursor, not an OFFSET
        response = melder_client.get(ZOEKEN + volgende)
        html = response.content.decode()
        assert response.context["pagina"].nummer == len(paginas) + 1
        assert f"pagina {len(paginas) + 1}." in html
        paginas.append(gevonden_nummers(response))
    alle = [n for pagina in paginas for n in pagina]
    assert len(paginas) == 3 and len(alle) == 2 * PER_PAGINA + 4
    assert alle == sorted(alle, reverse=True)
    # And back: Vorige from page 3 goes to exactly page 2 (a cursor), from there to page 1.
    vorige = _link(html, "Vorige")
    assert "voor" in parse_qs(urlsplit(vorige).query)
    response = melder_client.get(ZOEKEN + vorige)
    assert gevonden_nummers(response) == paginas[1]
    vorige = _link(response.content.decode(), "Vorige")
    assert gevonden_nummers(melder_client.get(ZOEKEN + vorige)) == paginas[0]


def test_onzin_in_de_cursor_wordt_genegeerd(melder_client, veel_meldingen):
    """A tampered cursor is no error: the page is the numbered one (5 of 3: the last)."""
    laatste = gevonden_nummers(zoek(melder_client, instantienaam="veendam", pagina=3))
    for onzin in ("x", "-5", "1e9", "９", "99999999999999999999999", ""):
        for sleutel in ("na", "voor"):
            response = zoek(melder_client, instantienaam="veendam", pagina=5, **{sleutel: onzin})
            assert response.status_code == 200
            assert gevonden_nummers(response) == laatste


def test_diepe_pagina_kost_evenveel_queries(
    melder_client, veel_meldingen, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(paginering, "TELLEN_TOT", PER_PAGINA)
    laatste = min(veel_meldingen.meldingen.values_list("nummer", flat=True))
    zoek(melder_client, instantienaam="veendam")
    with django_assert_max_num_queries(8):
        response = zoek(melder_client, instantienaam="veendam", na=laatste + 1, pagina=800)
    assert gevonden_nummers(response) == [laatste]
    assert "pagina 800." in response.content.decode()


def test_terug_link_van_rij_is_de_zoekopdracht_met_pagina(melder_client, veel_meldingen):
    response = zoek(melder_client, instantienaam="veendam", pagina=2)
    link = response.context["rijen"][0].url
    terug = parse_qs(urlsplit(link).query)["terug"][0]
    assert parse_qs(urlsplit(terug).query) == {"instantienaam": ["veendam"], "pagina": ["2"]}
    detail = melder_client.get(link)
    assert (
        f'href="{terug.replace("&", "&amp;")}"><span aria-hidden="true">←</span> '
        "Terug naar meldingenoverzicht" in (detail.content.decode())
    )


@pytest.mark.parametrize("aantal", [1, 1000])
def test_zoeken_begrensd_aantal_queries(melder_client, demo, django_assert_max_num_queries, aantal):
    instantie = UitvoerendeInstantieFactory(naam="Leerplicht Stadskanaal")
    maak_meldingen(aantal, instelling=demo.instellingen["24GP"], instantie=instantie)
    melder_client.get(ZOEKEN)  # the first request stores the chosen instelling in the session
    # session, user, 2x role, machtigingen, count, one page of rows, the inzagelog (one insert)
    with django_assert_max_num_queries(8):
        response = zoek(melder_client, instantienaam="stadskanaal", status=["R"])
    assert len(response.context["rijen"]) == min(aantal + 1, PER_PAGINA)
    with django_assert_max_num_queries(8):
        zoek(melder_client, instellingscode="24GP", pagina=3)


def test_instantienaam_jokertekens_zijn_gewone_tekens(melder_client, meldingen):
    assert gevonden_nummers(zoek(melder_client, instantienaam="%")) == []
    assert gevonden_nummers(zoek(melder_client, instantienaam="_")) == []


def test_wis_velden_opent_een_leeg_zoekscherm(melder_client, meldingen):
    response = zoek(melder_client, instantienaam="assen", status=["K"])
    assert f'<a class="link-knop" href="{ZOEKEN}">Wis velden</a>' in response.content.decode()
    leeg = melder_client.get(ZOEKEN)
    assert not leeg.context["form"].is_bound
    assert 'value="assen"' not in leeg.content.decode()


def test_trigramindex_op_instantienaam(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'leerlingen_instantie_naam_trgm'"
        )
        (definitie,) = cursor.fetchone()
    assert "gin (upper((naam)::text) gin_trgm_ops)" in definitie


def test_onbekende_status_geweigerd(melder_client, meldingen):
    response = zoek(melder_client, instellingscode="24GP", status=["X"])
    assert "status" in response.context["form"].errors
    assert "rijen" not in response.context
