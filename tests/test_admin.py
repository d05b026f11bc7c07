"""The beheerder's admin: registers, routing, machtigingen and (mostly read-only)
meldingen. Every page loads; the melding admin offers no path around the rules."""

from html import unescape

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from leerlingen.models import Inschrijving, Machtiging, PostcodeGebied
from meldingen.models import Melding, MeldingWijziging, RedenIntrekken, Status, Terugkoppeling

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def beheer(client, demo):
    client.force_login(demo.gebruikers["beheerder"])
    return client


def admin_url(model, actie, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{actie}", args=args)


MODELLEN = sorted(admin.site._registry, key=lambda m: m._meta.label)


def test_alle_registers_staan_in_het_beheer():
    labels = {m._meta.label for m in MODELLEN}
    assert {
        "leerlingen.Instelling",
        "leerlingen.Onderwijsaanbieder",
        "leerlingen.Onderwijslocatie",
        "leerlingen.UitvoerendeInstantie",
        "leerlingen.Gemeente",
        "leerlingen.PostcodeGebied",
        "leerlingen.AlternatieveRoutering",
        "leerlingen.Leerling",
        "leerlingen.Inschrijving",
        "leerlingen.Machtiging",
        "meldingen.Melding",
        "meldingen.MeldingWijziging",
        "leerlingen.Inzage",
        "auth.User",
        "auth.Group",
    } <= labels


@pytest.mark.parametrize("model", MODELLEN, ids=[m._meta.label for m in MODELLEN])
def test_elke_beheerpagina_laadt(beheer, model, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        antwoord = beheer.get(admin_url(model, "changelist"))
    assert antwoord.status_code == 200
    assert beheer.get(admin_url(model, "changelist"), {"q": "24GP"}).status_code == 200

    model_admin = admin.site._registry[model]
    verzoek = antwoord.wsgi_request
    antwoord = beheer.get(admin_url(model, "add"))
    assert antwoord.status_code == (200 if model_admin.has_add_permission(verzoek) else 403)

    object = model.objects.first()
    if object is not None:
        assert beheer.get(admin_url(model, "change", object.pk)).status_code == 200


@pytest.mark.parametrize("gebruiker", ["melder", "melder2", "zonderrol"])
def test_melders_krijgen_geen_beheer(client, demo, gebruiker):
    client.force_login(demo.gebruikers[gebruiker])
    for url in [reverse("admin:index"), admin_url(Melding, "changelist")]:
        antwoord = client.get(url)
        assert antwoord.status_code == 302
        assert antwoord["Location"].startswith(reverse("admin:login"))


def test_anoniem_krijgt_geen_beheer(client, demo):
    antwoord = client.get(admin_url(Melding, "changelist"))
    assert antwoord.status_code == 302
    assert antwoord["Location"].startswith(reverse("admin:login"))


# --- Users, the role and machtigingen on one screen --------------------------------------------


def test_rol_en_machtigingen_op_een_scherm(beheer, demo):
    nieuw = User.objects.create_user("nieuwe-melder", password="x-lang-genoeg-wachtwoord")
    url = admin_url(User, "change", nieuw.pk)
    html = beheer.get(url).content.decode()
    assert "machtigingen-TOTAL_FORMS" in html
    assert "instantie_machtigingen-TOTAL_FORMS" in html
    rol = next(g for g in demo.gebruikers["melder"].groups.all())
    behandelaar = next(g for g in demo.gebruikers["lpa-groningen"].groups.all())
    groningen = demo.instanties["Gemeente Groningen"]
    antwoord = beheer.post(
        url,
        {
            "username": "nieuwe-melder",
            "is_active": "on",
            "groups": [rol.pk, behandelaar.pk],
            "instantie_machtigingen-TOTAL_FORMS": "1",
            "instantie_machtigingen-INITIAL_FORMS": "0",
            "instantie_machtigingen-MIN_NUM_FORMS": "0",
            "instantie_machtigingen-MAX_NUM_FORMS": "1000",
            "instantie_machtigingen-0-instantie": groningen.pk,
            "instantie_machtigingen-0-id": "",
            "instantie_machtigingen-0-gebruiker": nieuw.pk,
            "date_joined_0": "16-03-2026",
            "date_joined_1": "10:00:00",
            "machtigingen-TOTAL_FORMS": "1",
            "machtigingen-INITIAL_FORMS": "0",
            "machtigingen-MIN_NUM_FORMS": "0",
            "machtigingen-MAX_NUM_FORMS": "1000",
            "machtigingen-0-instelling": "00BB",
            "machtigingen-0-id": "",
            "machtigingen-0-gebruiker": nieuw.pk,
        },
    )
    assert antwoord.status_code == 302, unescape(antwoord.content.decode())[-3000:]
    nieuw.refresh_from_db()
    assert nieuw.has_perm("leerlingen.verzuimloketmelder")
    codes = Machtiging.objects.filter(gebruiker=nieuw).values_list("instelling", flat=True)
    assert list(codes) == ["00BB"]
    assert nieuw.has_perm("leerlingen.behandelaar")
    assert [m.instantie for m in nieuw.instantie_machtigingen.all()] == [groningen]
    # The changelist shows role and codes.
    html = beheer.get(admin_url(User, "changelist")).content.decode()
    assert "00BB, 24GP" in html  # melder2


# --- Gemeente with postcodegebieden and routeringen --------------------------------------------


def _gemeente_post(demo, gebieden):
    groningen = demo.instanties["Gemeente Groningen"]
    data = {
        "naam": "Haren",
        "leerplicht_instantie": groningen.pk,
        "rmc_instantie": demo.instanties["RMC regio Groningen"].pk,
        "postcodegebieden-TOTAL_FORMS": str(len(gebieden)),
        "postcodegebieden-INITIAL_FORMS": "0",
        "postcodegebieden-MIN_NUM_FORMS": "0",
        "postcodegebieden-MAX_NUM_FORMS": "1000",
        "alternatieve_routeringen-TOTAL_FORMS": "1",
        "alternatieve_routeringen-INITIAL_FORMS": "0",
        "alternatieve_routeringen-MIN_NUM_FORMS": "0",
        "alternatieve_routeringen-MAX_NUM_FORMS": "1000",
        "alternatieve_routeringen-0-categorie": "18+",
        "alternatieve_routeringen-0-instantie": groningen.pk,
    }
    for i, (van, tot) in enumerate(gebieden):
        data[f"postcodegebieden-{i}-van"] = van
        data[f"postcodegebieden-{i}-tot"] = tot
    return data


def test_gemeente_met_postcodegebieden_en_alternatieve_routering(beheer, demo):
    antwoord = beheer.post(
        admin_url(PostcodeGebied.gemeente.field.related_model, "add"),
        _gemeente_post(demo, [(9750, 9752), (9753, 9759)]),
    )
    assert antwoord.status_code == 302
    from meldingen.regels import gemeente_voor_postcode

    haren = gemeente_voor_postcode("9751AB")
    assert haren.naam == "Haren"
    assert haren.instantie_voor("18+") == demo.instanties["Gemeente Groningen"]


@pytest.mark.parametrize(
    ("gebieden", "fout"),
    [
        ([(9740, 9752)], "Dit postcodegebied overlapt met een ander gebied."),
        ([(9750, 9755), (9755, 9759)], "Deze postcodegebieden overlappen elkaar."),
    ],
)
def test_overlappend_postcodegebied_geeft_een_fout_geen_foutpagina(beheer, demo, gebieden, fout):
    antwoord = beheer.post(
        admin_url(PostcodeGebied.gemeente.field.related_model, "add"),
        _gemeente_post(demo, gebieden),
    )
    assert antwoord.status_code == 200
    assert fout in unescape(antwoord.content.decode())
    assert not PostcodeGebied.objects.filter(van__gte=9750).exists()


# --- Leerling with inschrijvingen --------------------------------------------------------------


def _leerling_post(demo, inschrijvingen, pgn="100000009"):
    data = {
        "pgn": pgn,
        "naam": "Nieuwe Leerling",
        "geboortedatum": "01-06-2011",
        "geslacht": "V",
        "straatnaam": "Oosterstraat",
        "huisnummer": "5",
        "postcode": "9711 NV",
        "plaatsnaam": "Groningen",
        "woonland": "Nederland",
        "inschrijvingen-TOTAL_FORMS": str(len(inschrijvingen)),
        "inschrijvingen-INITIAL_FORMS": "0",
        "inschrijvingen-MIN_NUM_FORMS": "0",
        "inschrijvingen-MAX_NUM_FORMS": "1000",
    }
    for i, (code, aanbieder, locatie, begin, hoofd) in enumerate(inschrijvingen):
        data |= {
            f"inschrijvingen-{i}-instelling": code,
            f"inschrijvingen-{i}-aanbieder": aanbieder,
            f"inschrijvingen-{i}-locatie": locatie,
            f"inschrijvingen-{i}-begindatum": begin,
            f"inschrijvingen-{i}-einddatum": "",
        }
        if hoofd:
            data[f"inschrijvingen-{i}-hoofdinschrijving"] = "on"
    return data


def test_leerling_met_inschrijving_toevoegen_pgn_met_spaties(beheer, demo):
    antwoord = beheer.post(
        admin_url(Inschrijving.leerling.field.related_model, "add"),
        _leerling_post(
            demo, [("24GP", "100A001", "100X001", "01-08-2025", True)], pgn="1000.000.09"
        ),
    )
    assert antwoord.status_code == 302, unescape(antwoord.content.decode())[-2000:]
    inschrijving = Inschrijving.objects.get(leerling__pgn="100000009")
    assert inschrijving.hoofdinschrijving and inschrijving.leerling.postcode == "9711NV"


def test_twee_hoofdinschrijvingen_in_het_beheer_geweigerd(beheer, demo):
    antwoord = beheer.post(
        admin_url(Inschrijving.leerling.field.related_model, "add"),
        _leerling_post(
            demo,
            [
                ("24GP", "100A001", "100X001", "01-08-2025", True),
                ("00BB", "100A002", "100X501", "01-01-2026", True),
            ],
        ),
    )
    assert antwoord.status_code == 200
    assert "Deze leerling heeft in deze periode al een hoofdinschrijving." in unescape(
        antwoord.content.decode()
    )
    assert not Inschrijving.objects.filter(leerling__pgn="100000009").exists()


def test_inschrijving_met_locatie_van_andere_instelling_geweigerd(beheer, demo):
    antwoord = beheer.post(
        admin_url(Inschrijving.leerling.field.related_model, "add"),
        _leerling_post(demo, [("24GP", "100A002", "100X501", "01-08-2025", True)]),
    )
    assert antwoord.status_code == 200
    assert "Deze onderwijsaanbieder hoort niet bij de instelling." in unescape(
        antwoord.content.decode()
    )


def test_leerling_zoeken_op_pgn_met_punten(beheer, demo):
    antwoord = beheer.get(
        admin_url(Inschrijving.leerling.field.related_model, "changelist"), {"q": "9999.99.989"}
    )
    assert list(antwoord.context["cl"].result_list) == [demo.leerlingen["999999989"]]


# --- Meldingen: read-only, but for the action Intrekken ------------------------------------


@pytest.fixture
def luxe(demo):
    return Melding.objects.get(leerling__pgn="999999989", soort="L")


def test_melding_zoeken_op_nummer_en_pgn(beheer, demo, luxe):
    url = admin_url(Melding, "changelist")
    assert list(beheer.get(url, {"q": str(luxe.nummer)}).context["cl"].result_list) == [luxe]
    resultaat = beheer.get(url, {"q": "999999989"}).context["cl"].result_list
    assert {m.leerling.pgn for m in resultaat} == {"999999989"} and len(resultaat) == 2
    assert beheer.get(url, {"q": "geen nummer"}).status_code == 200
    assert beheer.get(url, {"status": Status.AFGESLOTEN}).context["cl"].result_count == 1


def test_melding_niet_toevoegen_of_verwijderen(beheer, demo, luxe):
    assert beheer.get(admin_url(Melding, "add")).status_code == 403
    assert beheer.get(admin_url(Melding, "delete", luxe.pk)).status_code == 403
    html = beheer.get(admin_url(Melding, "changelist")).content.decode()
    assert "delete_selected" not in html
    assert "intrekken_ten_onrechte" in html


def _melding_post(status, terugkoppeling=None):
    data = {
        "status": status,
        # Read-only inlines still post their management forms.
        **{
            f"{prefix}-{naam}": waarde
            for prefix in ["terugkoppeling", "contactpersonen", "verzuimdagen", "wijzigingen"]
            for naam, waarde in [
                ("TOTAL_FORMS", "1" if prefix == "terugkoppeling" and terugkoppeling else "0"),
                ("INITIAL_FORMS", "0"),
                ("MIN_NUM_FORMS", "0"),
                ("MAX_NUM_FORMS", "1000"),
            ]
        },
        "vermoedelijke_reden": "gewijzigd via het beheer",
    }
    for naam, waarde in (terugkoppeling or {}).items():
        data[f"terugkoppeling-0-{naam}"] = waarde
    return data


def test_melding_en_terugkoppeling_zijn_in_het_beheer_alleen_lezen(beheer, demo, luxe):
    """The behandelaar works a melding on its own side, through the services with their rules
    (terugkoppeling before Afsluiten, the school's e-mail); the admin is no way around them."""
    antwoord = beheer.get(admin_url(Melding, "change", luxe.pk))
    assert list(antwoord.context["adminform"].form.fields) == []
    versie = luxe.versie
    beheer.post(
        admin_url(Melding, "change", luxe.pk),
        _melding_post(
            Status.AFGESLOTEN,
            {"naam": "J. de Boer", "datum": "16-03-2026", "melding": luxe.pk},
        ),
    )
    luxe.refresh_from_db()
    assert (luxe.status, luxe.versie) == (Status.GEREGISTREERD, versie)
    assert luxe.vermoedelijke_reden == "Vakantie buiten de schoolvakanties"
    assert not Terugkoppeling.objects.filter(melding=luxe).exists()
    assert not MeldingWijziging.objects.filter(melding=luxe).exists()


def test_terugkoppeling_is_in_het_beheer_te_zien(beheer, demo):
    afgesloten = Melding.objects.get(status=Status.AFGESLOTEN)
    html = unescape(beheer.get(admin_url(Melding, "change", afgesloten.pk)).content.decode())
    assert "Gesprek gevoerd met leerling en ouders; leerling is weer op school." in html
    assert 'name="terugkoppeling-0-toelichting"' not in html


def test_actie_intrekken_gebruikt_de_service_en_meldt_weigeringen(beheer, demo, luxe):
    te_oud = Melding.objects.get(leerling__pgn="999990093")  # begindatum 425 days ago
    antwoord = beheer.post(
        admin_url(Melding, "changelist"),
        {"action": "intrekken_ten_onrechte", "_selected_action": [luxe.pk, te_oud.pk]},
        follow=True,
    )
    berichten = [str(b) for b in antwoord.context["messages"]]
    assert "1 melding ingetrokken." in berichten
    assert any(
        b.startswith(f"Melding {te_oud.nummer}: Deze melding kan niet worden ingetrokken")
        for b in berichten
    )
    luxe.refresh_from_db()
    te_oud.refresh_from_db()
    assert luxe.status == Status.INGETROKKEN
    assert luxe.reden_intrekken == RedenIntrekken.TEN_ONRECHTE
    assert luxe.ingetrokken_door == demo.gebruikers["beheerder"]
    assert te_oud.status == Status.GEREGISTREERD


@pytest.mark.parametrize("model_label", ["meldingen.MeldingWijziging", "leerlingen.Inzage"])
def test_logboeken_zijn_alleen_lezen(beheer, demo, model_label):
    from django.apps import apps

    model = apps.get_model(model_label)
    model_admin = admin.site._registry[model]
    verzoek = beheer.get(admin_url(model, "changelist")).wsgi_request
    assert model_admin.has_view_permission(verzoek)
    assert not model_admin.has_add_permission(verzoek)
    assert not model_admin.has_change_permission(verzoek)
    assert not model_admin.has_delete_permission(verzoek)


def test_melding_toont_acties_met_hun_naam(beheer, luxe):
    html = unescape(beheer.get(admin_url(Melding, "change", luxe.pk)).content.decode())
    assert "Brief gestuurd" in html
