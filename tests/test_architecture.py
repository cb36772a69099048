"""The layer rule of DESIGN.md, checked on the source rather than by review.

core -> standard library only; formats -> core (+ its file libraries);
cli -> core, formats; web -> everything. Nothing outside web imports Django.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "backstride"
STDLIB = set(sys.stdlib_module_names)
FILE_LIBRARIES = {"fitdecode", "defusedxml", "icalendar", "fhir"}
ALLOWED = {
    "core": {"backstride.core"},
    "formats": {"backstride.core", "backstride.formats"} | FILE_LIBRARIES,
    "cli": {"backstride.core", "backstride.formats", "backstride.cli"},
}


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            found.add("backstride.<relative>")
    return found


def allowed(module: str, layer: str) -> bool:
    top = module.split(".")[0]
    if top in STDLIB or top == "__future__":
        return True
    return any(module == a or module.startswith(a + ".") for a in ALLOWED[layer])


def modules(layer: str) -> list[Path]:
    return sorted((SRC / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_what_the_layer_rule_allows(layer: str) -> None:
    offending = {
        str(path.relative_to(SRC)): sorted(m for m in imports_of(path) if not allowed(m, layer))
        for path in modules(layer)
    }
    assert {} == {k: v for k, v in offending.items() if v}


def test_nothing_outside_web_imports_django() -> None:
    outside = [p for p in SRC.rglob("*.py") if "web" not in p.relative_to(SRC).parts]
    offending = [
        str(p.relative_to(SRC)) for p in outside
        if any(m.split(".")[0] in {"django", "ninja"} for m in imports_of(p))
    ]
    assert [] == offending


def test_the_checker_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import django\nfrom backstride.web import settings\nimport json\n")
    found = imports_of(bad)
    assert not allowed("django", "core")
    assert not allowed("backstride.web", "cli")
    assert allowed("json", "core")
    assert {"django", "backstride.web", "json"} == found
