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
