"""The shape of the code, as docs and README promise it: the apps depend one way (`behandeling`
uses `meldingen` and `leerlingen`, `meldingen` uses `leerlingen`, `koppelvlak` (the API) uses
all three, never the reverse), the
project package's helpers depend on none of them, and an import inside a function says why it
is there."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def modules(pakket: str) -> list[Path]:
    return sorted(p for p in (ROOT / pakket).rglob("*.py") if "migrations" not in p.parts)


def geimporteerd(pad: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in the file, also those inside functions."""
    gevonden = []
    for node in ast.walk(ast.parse(pad.read_text(), filename=str(pad))):
        if isinstance(node, ast.Import):
            gevonden += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            gevonden.append((node.lineno, node.module))
            gevonden += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return gevonden


def importeert(pad: Path, app: str) -> list[str]:
    return [
        f"{pad.relative_to(ROOT)}:{regel} {module}"
        for regel, module in geimporteerd(pad)
        if module == app or module.startswith(f"{app}.")
    ]


def test_de_lezer_ziet_imports():
    # The checks below would pass on a reader that finds nothing.
    namen = {p.relative_to(ROOT).as_posix() for p in modules("leerlingen")}
    assert {"leerlingen/models.py", "leerlingen/views.py", "leerlingen/demo.py"} <= namen
    assert importeert(ROOT / "meldingen" / "models.py", "leerlingen")


@pytest.mark.parametrize(
    ("app", "niet"),
    [
        ("leerlingen", "meldingen"),
        ("leerlingen", "behandeling"),
        ("meldingen", "behandeling"),
        # The API is built on all three; none of them knows it.
        ("leerlingen", "koppelvlak"),
        ("meldingen", "koppelvlak"),
        ("behandeling", "koppelvlak"),
    ],
)
def test_de_apps_hangen_een_kant_op_af(app, niet):
    overtredingen = [r for pad in modules(app) for r in importeert(pad, niet)]
    assert overtredingen == []


@pytest.mark.parametrize("app", ["leerlingen", "meldingen", "behandeling", "koppelvlak"])
def test_de_hulpmiddelen_van_het_project_kennen_de_apps_niet(app):
    """`verzuimloket/` holds what both apps share (dates, formats, forms, ranges); only the URL
    map and the settings name the apps."""
    helpers = [p for p in modules("verzuimloket") if p.name not in {"urls.py", "settings.py"}]
    assert [r for pad in helpers for r in importeert(pad, app)] == []


def test_import_binnen_een_functie_zegt_waarom():
    """An import inside a function (to break a cycle, or to wait for the app registry) has a
    comment next to it; otherwise it belongs at the top of the module."""
    zonder_reden = []
    for pakket in ("leerlingen", "meldingen", "verzuimloket", "behandeling", "koppelvlak"):
        for pad in modules(pakket):
            regels = pad.read_text().splitlines()
            boom = ast.parse(pad.read_text())
            for functie in ast.walk(boom):
                if not isinstance(functie, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(functie):
                    if isinstance(node, ast.Import | ast.ImportFrom):
                        hier = regels[node.lineno - 1]
                        erboven = regels[node.lineno - 2] if node.lineno > 1 else ""
                        if "#" not in hier and not erboven.strip().startswith("#"):
                            zonder_reden.append(f"{pad.relative_to(ROOT)}:{node.lineno}")
    assert zonder_reden == []
