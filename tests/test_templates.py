"""Template hygiene. The site's pages and forms render with Jinja2 (templates/jinja2/), the
admin's overrides with Django's language (the rest of templates/): each engine finds only its
own templates, and Jinja2 gives the HTML Django's language gave. In Django's language {# #}
comments are single-line; a multi-line one is shown to the user as text."""

import datetime
import re
from pathlib import Path

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist, engines
from django.template.backends.jinja2 import Template as Jinja2Sjabloon
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import mark_safe
from pytest_django.asserts import assertContains, assertTemplateUsed

from meldingen.models import Melding, UitvoerendeInstantie
from meldingen.presenters import Blok, Rij
from verzuimloket.forms import DatumField, VerzuimloketFormRenderer

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
JINJA2 = TEMPLATES / "jinja2"


def _namen(map_: Path, *, behalve: Path | None = None) -> list[str]:
    return sorted(
        str(pad.relative_to(map_))
        for pad in map_.rglob("*")
        if pad.is_file() and not (behalve and pad.is_relative_to(behalve))
    )


def test_geen_commentaar_over_meerdere_regels():
    fouten = [
        f"{naam}:{nummer}"
        for naam in _namen(TEMPLATES, behalve=JINJA2)
        for nummer, regel in enumerate((TEMPLATES / naam).read_text().splitlines(), start=1)
        if "{#" in regel and "#}" not in regel[regel.index("{#") :]
    ]
    assert fouten == []


def test_paginas_in_jinja2_de_beheer_in_djangos_taal():
    """Every page template is found and compiled by the Jinja2 engine; every other template in
    templates/ (the admin's overrides) only by Django's. The engine that finds a name compiles
    it, so one found by the wrong engine would fail with a syntax error, not fall through."""
    jinja2, django = engines["jinja2"], engines["django"]
    assert get_template("base.html").backend is jinja2
    paginas = _namen(JINJA2)
    assert "meldingen/email/melding.txt" in paginas
    for naam in paginas:
        assert get_template(naam).backend is jinja2, naam
    beheer = _namen(TEMPLATES, behalve=JINJA2)
    assert "registration/password_change_form.html" in beheer  # the admin's password change
    for naam in beheer:
        with pytest.raises(TemplateDoesNotExist):
            jinja2.get_template(naam)
        assert get_template(naam).backend is django, naam


def test_een_pagina_vult_response_context_en_templates(melder_client):
    """The Jinja2 backend sends Django's template_rendered signal, as Django's language does:
    the test client's response.context and assertTemplateUsed work on a Jinja2 page."""
    response = melder_client.get(reverse("meldingen:zoeken"))
    assertTemplateUsed(response, "meldingen/zoeken.html")
    assertContains(response, "<h1>Zoeken</h1>", html=True)
    assert [t.name for t in response.templates] == ["meldingen/zoeken.html"]
    assert response.context["form"] is response.context.get("form") is not None
    assert response.context["request"].path == reverse("meldingen:zoeken")
    assert "messages" in response.context


def test_een_beheerpagina_rendert_nog_met_djangos_taal(client):
    """The admin's overrides (here admin/base_site.html, which adds beheer.css) still apply."""
    assert get_template("admin/login.html").backend is engines["django"]
    response = client.get(reverse("admin:login"))
    assertTemplateUsed(response, "admin/login.html")
    assertTemplateUsed(response, "admin/base_site.html")
    assertContains(response, "css/beheer.css")
    assertContains(response, "| Verzuimloket beheer</title>")


def _zonder_opmaak(html: str) -> str:
    """HTML without what Django's two template languages write differently and a browser reads
    alike: whitespace between tags, and the entity for a quote (Jinja2's MarkupSafe writes
    &#34; and &#39;, Django &quot; and &#x27;)."""
    html = html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


class _OptieZonderLijst(forms.RadioSelect):
    """A radio list whose options have a template of their own (as KeuzesMetUitleg's)."""

    option_template_name = "django/forms/widgets/input_option.html"


WIDGETS = [
    (forms.TextInput(attrs={"aria-invalid": True, "disabled": False}), "a\"<b'"),
    (forms.TextInput(attrs={"maxlength": 4, "data-x": None, "title": mark_safe("<i>")}), ""),
    (forms.NumberInput(), None),
    (forms.Select(choices=[("", "---"), ("24GP", "24GP – De Grote Markt")]), "24GP"),
    (forms.Select(choices=[("Groep", [("a", "A"), ("b", "B")]), ("c", "C")]), "b"),
    (forms.Select(attrs={"required": True, "size": 1}, choices=[(1, '"<&>'), (2, "B")]), 1),
    (forms.SelectMultiple(choices=[("R", "Geregistreerd"), ("B", "In behandeling")]), ["R", "B"]),
    (forms.CheckboxSelectMultiple(choices=[("R", "Geregistreerd"), ("B", "In")]), ["R"]),
    (forms.RadioSelect(choices=[("ja", "Ja"), ("nee", "Nee")]), "nee"),
    (forms.RadioSelect(choices=[("Groep", [("x", "X")])]), "x"),
    (_OptieZonderLijst(choices=[("ja", "Ja"), ("nee", '"<Nee>')]), "ja"),
    (forms.CheckboxSelectMultiple(attrs={"class": "keuzes"}, choices=[(1, "Een")]), [1]),
    (forms.Textarea(), "<script>"),
    (forms.CheckboxInput(), True),
    (forms.HiddenInput(), "7"),
]


@pytest.mark.parametrize(("widget", "waarde"), WIDGETS, ids=lambda w: type(w).__name__)
def test_widgets_in_jinja2_geven_de_html_van_django(widget, waarde):
    """Forms render with Jinja2 (for speed): every widget gives the HTML of Django's own
    template language, with every kind of attribute and value, escaped alike."""
    attrs = {"id": "id_veld", "aria-describedby": "id_veld_helptext"}
    eigen = widget.render("veld", waarde, attrs=attrs, renderer=VerzuimloketFormRenderer())
    django = widget.render("veld", waarde, attrs=attrs, renderer=DjangoTemplates())
    assert _zonder_opmaak(eigen) == _zonder_opmaak(django)
    assert "<script>" not in eigen
    # The project's own widget templates (templates/jinja2/django/forms/widgets/, faster) give
    # exactly the HTML of the Jinja2 templates Django ships, character for character.
    assert eigen == widget.render("veld", waarde, attrs=attrs, renderer=Jinja2())


def test_de_eigen_formuliersjablonen_zijn_jinja2():
    renderer = VerzuimloketFormRenderer()
    for naam in ("forms/div.html", "forms/field.html", "forms/datum_widget.html"):
        assert isinstance(renderer.get_template(naam), Jinja2Sjabloon), naam


def test_widgets_die_alleen_django_kent_worden_nog_gevonden():
    """The admin's own widgets exist only in Django's template language."""
    sjabloon = VerzuimloketFormRenderer().get_template("admin/widgets/foreign_key_raw_id.html")
    assert not isinstance(sjabloon, Jinja2Sjabloon)


def test_een_datum_in_drie_velden_met_elk_een_label():
    from verzuimloket.forms import DatumWidget

    html = DatumWidget().render(
        "begindatum", "2026-03-16", attrs={"id": "id_b"}, renderer=VerzuimloketFormRenderer()
    )
    for deel, waarde in (("0", "16"), ("1", "03"), ("2", "2026")):
        assert f'for="id_b_{deel}"' in html
        assert f'id="id_b_{deel}"' in html and f'value="{waarde}"' in html


# -- Jinja2 gives the HTML Django's language gave for the pages --


class _Formulier(forms.Form):
    naam = forms.CharField(label="Naam")
    datum = DatumField(label="Begindatum")
    geheim = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Kies 'Ja' <of> \"Nee\".")


class _Rij(forms.Form):
    naam = forms.CharField(label="Naam")


def test_foutoverzicht_geeft_de_html_van_djangos_taal():
    form = _Formulier({"naam": "", "datum_0": "31", "datum_1": "2", "datum_2": "2025"})
    formset = forms.formset_factory(_Rij, extra=0, max_num=1, validate_max=True)(
        {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-0-naam": "", "form-1-naam": "x"}
    )
    html = get_template("includes/error_summary.html").render({"form": form, "formset": formset})
    assert _zonder_opmaak(html) == (
        '<div class="foutoverzicht" role="alert" tabindex="-1" '
        'aria-labelledby="foutoverzicht-titel" data-foutoverzicht>'
        '<h2 class="foutoverzicht__titel" id="foutoverzicht-titel">Er is een probleem</h2>'
        '<ul class="foutoverzicht__lijst">'
        "<li>Kies &#x27;Ja&#x27; &lt;of&gt; &quot;Nee&quot;.</li>"
        '<li><a href="#id_naam">Naam: Dit veld is vereist.</a></li>'
        '<li><a href="#id_datum_0">Begindatum: Vul een bestaande datum in (dag, maand, jaar).</a>'
        "</li><li>Dit veld is vereist.</li>"
        "<li>Verstuur maximaal 1 formulier.</li></ul></div>"
    )
    # Each alone: a form with only an error of no field; a formset with only its own error, as
    # `formset` or as `form` (a wizard step that is a formset).
    overzicht = get_template("includes/error_summary.html").render
    datum = {"datum_0": "1", "datum_1": "2", "datum_2": "2025"}
    alleen_form = _Formulier({"naam": "x", "geheim": "g", **datum})
    assert "Kies &#x27;Ja&#x27;" in overzicht({"form": alleen_form}).replace("&#39;", "&#x27;")
    alleen_formset = forms.formset_factory(_Rij, extra=0, max_num=1, validate_max=True)(
        {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0", "form-0-naam": "a", "form-1-naam": "b"}
    )
    for sleutel in ("formset", "form"):
        assert "Verstuur maximaal 1 formulier." in overzicht({sleutel: alleen_formset})
    # Without errors, and without a form or formset in the context at all: nothing.
    assert get_template("includes/error_summary.html").render({"form": _Formulier()}).strip() == ""
    assert get_template("includes/error_summary.html").render({}).strip() == ""


def test_blok_geeft_de_html_van_djangos_taal():
    sjabloon = get_template("meldingen/includes/blok.html")
    rijen = [
        Rij("Status", "Geregistreerd", nadruk=True),
        Rij("Adres", "Straat 1\n9712 HN Groningen"),
        Rij("Leeg", ""),
    ]
    blok = Blok("verzuim", "Verzuim & <meer>", rijen, wijzig_url="/x/?a=1&b=2")
    assert _zonder_opmaak(sjabloon.render({"blok": blok})) == (
        '<section class="blok" aria-labelledby="blok-verzuim"><div class="blok__kop">'
        '<h2 id="blok-verzuim">Verzuim &amp; &lt;meer&gt;</h2>'
        '<a class="blok__actie" href="/x/?a=1&amp;b=2">Wijzig'
        '<span class="visueel-verborgen"> verzuim &amp; &lt;meer&gt;</span></a></div>'
        '<dl class="gegevens"><div><dt>Status</dt><dd><strong>Geregistreerd</strong></dd></div>'
        "<div><dt>Adres</dt><dd>Straat 1<br>9712 HN Groningen</dd></div>"
        "<div><dt>Leeg</dt><dd></dd></div></dl></section>"
    )
    leeg = Blok("acties", "Acties", [], leeg_tekst="Geen 'acties'.")
    assert _zonder_opmaak(sjabloon.render({"blok": leeg, "kopniveau": 3})) == (
        '<section class="blok" aria-labelledby="blok-acties"><div class="blok__kop">'
        '<h3 id="blok-acties">Acties</h3></div><p>Geen &#x27;acties&#x27;.</p></section>'
    )


def test_de_email_is_tekst_zonder_escapes():
    """The e-mail (plain text) is sent as written, to the byte: no HTML escaping, and the
    newline at the end of the template stays."""
    melding = Melding(
        nummer=1234,
        soort="V4",
        status="G",
        begindatum=datetime.date(2026, 3, 2),
        instelling_id="24GP",
        uitvoerende_instantie=UitvoerendeInstantie(naam="Gemeente 's-Hertogenbosch & <Vught>"),
    )
    tekst = get_template("meldingen/email/melding.txt").render(
        {
            "melding": melding,
            "soort_mail": "afgesloten",
            "voor": "instantie",
            "link": "https://x/?a=1&b=2",
        }
    )
    assert tekst == (
        "Geachte heer/mevrouw,\n\n"
        "De uitvoerende instantie heeft de volgende verzuimmelding afgesloten.\n\n"
        "Meldingnummer: 1234\n"
        "Soort: 16 uren per 4 weken 18+\n"
        "Verzuimperiode: 02-03-2026 (nog niet beëindigd)\n"
        "Meldende instelling: 24GP\n"
        "Uitvoerende instantie: Gemeente 's-Hertogenbosch & <Vught>\n"
        "Status: Afgesloten\n\n"
        "Bekijk de melding: https://x/?a=1&b=2\n\n"
        "Met vriendelijke groet,\n"
        "Verzuimloket\n\n"
    )


WERKVOORRAAD_INVOER = [
    {"status": "R"},
    {"status": ""},
    {"status": "", "instelling": "24gp"},
    {"status": "X", "instelling": "<b>"},  # errors, and input that must be escaped
    {"status": "", "van_0": "32", "van_1": "1", "van_2": "2026"},
    {"status": "", **{f"van_{i}": w for i, w in enumerate(("2", "3", "2026"))}, "tot_0": "1"},
]


@pytest.mark.parametrize("invoer", WERKVOORRAAD_INVOER)
def test_een_vaste_weergave_is_een_nieuwe_weergave(invoer, monkeypatch):
    """VasteWeergave gives the HTML of a fresh render for every input, errors included, and
    the second time renders nothing."""
    from django.forms.utils import RenderableMixin

    from behandeling.forms import WerkvoorraadForm
    from verzuimloket import forms as formulieren

    formulieren._WEERGAVEN.clear()
    eerste = WerkvoorraadForm(invoer)
    eerste.is_valid()
    vers = RenderableMixin.render(eerste)
    assert str(eerste) == vers
    assert len(formulieren._WEERGAVEN) == 1
    renders = []
    origineel = VerzuimloketFormRenderer.render
    monkeypatch.setattr(
        VerzuimloketFormRenderer,
        "render",
        lambda self, *a, **k: renders.append(a) or origineel(self, *a, **k),
    )
    tweede = WerkvoorraadForm(invoer)
    assert str(tweede) == vers
    assert renders == []
    # A refusal a view adds is shown, also for an input whose HTML is kept.
    tweede.add_error(None, "Een fout van de service.")
    assert "Een fout van de service." in str(tweede)
    assert str(tweede) == RenderableMixin.render(tweede)


def test_een_vaste_weergave_houdt_geen_leerling_en_is_begrensd():
    from behandeling.forms import WerkvoorraadForm
    from verzuimloket import forms as formulieren

    formulieren._WEERGAVEN.clear()
    form = WerkvoorraadForm({"status": "", "leerling": "Jansen"})
    assert 'value="Jansen"' in str(form)
    assert formulieren._WEERGAVEN == {}  # a pupil's name is not kept in memory
    for code in range(formulieren.WEERGAVEN_BEWAARD + 10):
        str(WerkvoorraadForm({"status": "", "instelling": f"{code:04d}"}))
    assert len(formulieren._WEERGAVEN) == formulieren.WEERGAVEN_BEWAARD
    # Different inputs, different HTML.
    assert str(WerkvoorraadForm({"status": "R"})) != str(WerkvoorraadForm({"status": "B"}))


def test_een_vaste_weergave_toont_ieder_zijn_eigen_keuzes():
    """Zoek melding offers the user's own instellingscodes: the same input from users with other
    machtigingen gives each the HTML of their own choices."""
    from django.forms.utils import RenderableMixin

    from leerlingen.models import Instelling
    from meldingen.forms.zoeken import ZoekMeldingForm
    from verzuimloket import forms as formulieren

    formulieren._WEERGAVEN.clear()
    gp = Instelling(instellingscode="24GP", naam="De Grote Markt")
    bb = Instelling(instellingscode="00BB", naam="Het Baken")
    for _ in range(2):  # the second time from what was kept
        eigen = ZoekMeldingForm({"instantienaam": "assen"}, machtigingen=[gp])
        ander = ZoekMeldingForm({"instantienaam": "assen"}, machtigingen=[bb])
        assert str(eigen) == RenderableMixin.render(eigen)
        assert str(ander) == RenderableMixin.render(ander)
        assert "24GP – De Grote Markt" in str(eigen)
        assert "24GP" not in str(ander)
    assert len(formulieren._WEERGAVEN) == 2
