"""Template hygiene: Django's {# #} comments are single-line; a multi-line one is shown to
the user as text."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_geen_commentaar_over_meerdere_regels():
    fouten = [
        f"{pad.relative_to(TEMPLATES)}:{nummer}"
        for pad in TEMPLATES.rglob("*.html")
        for nummer, regel in enumerate(pad.read_text().splitlines(), start=1)
        if "{#" in regel and "#}" not in regel[regel.index("{#") :]
    ]
    assert fouten == []


def test_eigen_widgetsjablonen_geven_precies_de_html_van_django():
    """templates/django/forms/widgets/ writes out Django's includes (for speed): the HTML must
    stay exactly Django's, with every kind of attribute and value."""
    from django import forms
    from django.forms.renderers import DjangoTemplates

    from verzuimloket.forms import VerzuimloketFormRenderer

    widgets = [
        (forms.TextInput(attrs={"aria-invalid": True, "disabled": False}), 'a"<b'),
        (forms.NumberInput(), None),
        (forms.Select(choices=[("", "---"), ("24GP", "24GP – De Grote Markt")]), "24GP"),
        (
            forms.Select(choices=[("Groep", [("a", "A"), ("b", "B")]), ("c", "C")]),
            "b",
        ),
        (forms.CheckboxSelectMultiple(choices=[("R", "Geregistreerd"), ("B", "In")]), ["R"]),
        (forms.RadioSelect(choices=[("ja", "Ja"), ("nee", "Nee")]), "nee"),
        (forms.RadioSelect(choices=[("Groep", [("x", "X")])]), "x"),
    ]
    for naam in ("input", "select", "multiple_input"):
        sjabloon = VerzuimloketFormRenderer().get_template(f"django/forms/widgets/{naam}.html")
        assert "/templates/django/forms/widgets/" in sjabloon.origin.name  # ours is used
    for widget, waarde in widgets:
        attrs = {"id": "id_veld", "aria-describedby": "id_veld_helptext"}
        eigen = widget.render("veld", waarde, attrs=attrs, renderer=VerzuimloketFormRenderer())
        django = widget.render("veld", waarde, attrs=attrs, renderer=DjangoTemplates())
        assert eigen == django, type(widget).__name__
