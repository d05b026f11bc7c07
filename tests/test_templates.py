"""Template hygiene: Django's {# #} comments are single-line; a multi-line one is shown to
the user as text. Forms render with Jinja2 and must give Django's HTML."""

import re
from pathlib import Path

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.template.backends.jinja2 import Template as Jinja2Sjabloon

from verzuimloket.forms import VerzuimloketFormRenderer

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_geen_commentaar_over_meerdere_regels():
    fouten = [
        f"{pad.relative_to(TEMPLATES)}:{nummer}"
        for pad in TEMPLATES.rglob("*.html")
        for nummer, regel in enumerate(pad.read_text().splitlines(), start=1)
        if "{#" in regel and "#}" not in regel[regel.index("{#") :]
    ]
    assert fouten == []


def _zonder_opmaak(html: str) -> str:
    """HTML without what Django's two template languages write differently and a browser reads
    alike: whitespace between tags, and the entity for a quote (Jinja2's MarkupSafe writes
    &#34; and &#39;, Django &quot; and &#x27;)."""
    html = html.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


WIDGETS = [
    (forms.TextInput(attrs={"aria-invalid": True, "disabled": False}), "a\"<b'"),
    (forms.NumberInput(), None),
    (forms.Select(choices=[("", "---"), ("24GP", "24GP – De Grote Markt")]), "24GP"),
    (forms.Select(choices=[("Groep", [("a", "A"), ("b", "B")]), ("c", "C")]), "b"),
    (forms.CheckboxSelectMultiple(choices=[("R", "Geregistreerd"), ("B", "In")]), ["R"]),
    (forms.RadioSelect(choices=[("ja", "Ja"), ("nee", "Nee")]), "nee"),
    (forms.RadioSelect(choices=[("Groep", [("x", "X")])]), "x"),
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
