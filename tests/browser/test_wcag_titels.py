"""WCAG 2.2 success criteria 2.4.2 Page titled and 3.1.1 Language of page, and axe-core's
WCAG 2.2 A/AA rules, on every page of the catalogue (tests/browser/paginas.py), in its normal
and its error state.

- 2.4.2: the <title> is exactly the one the catalogue gives the page, and the catalogue gives
  no two pages the same one (tests/test_paginacatalogus.py), so every title is unique and says
  which page this is; a page showing a form's errors starts with "Fout: " (the first thing a
  screen reader reads after submitting).
- 3.1.1: <html lang="nl">.
- axe-core with the tags of WCAG_TAGS (2.0, 2.1 and 2.2, A and AA): no violation.
"""

import pytest

from tests.browser.conftest import controleer_toegankelijkheid
from tests.browser.paginas import PAGINAS, doorloop, ids

# django_db: only so that pytest-django sets up the test database when this module runs
# alone; the pages' data comes from the module's `wcag_site`.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

VENSTER = {"width": 1280, "height": 800}


@pytest.mark.parametrize("pagina", PAGINAS, ids=ids(PAGINAS))
def test_titel_taal_en_axe(wcag_site, pagina):
    for stand in doorloop(wcag_site, pagina, viewport=VENSTER):
        tab = stand.pagina
        titel = tab.title()
        assert titel.startswith("Fout: ") == stand.toestand.fout, (
            f"{pagina.sleutel}, {stand}: de titel {titel!r} begint "
            + ("niet " if stand.toestand.fout else "")
            + 'met "Fout: "'
        )
        assert titel == stand.titel, f"{pagina.sleutel}, {stand}"
        assert tab.evaluate("() => document.documentElement.lang") == "nl", (
            f"{pagina.sleutel}, {stand}: <html lang> is niet nl"
        )
        controleer_toegankelijkheid(tab)
