"""docs/clinical-rules.md is generated from the evidence registry and must not go stale."""

from __future__ import annotations

from pathlib import Path

from backstride.cli.render import rules_markdown

DOC = Path(__file__).resolve().parent.parent / "docs" / "clinical-rules.md"


def test_the_committed_clinical_rules_document_matches_the_registry() -> None:
    assert DOC.read_text(encoding="utf-8") == rules_markdown(), (
        "docs/clinical-rules.md is stale: run `backstride rules --markdown > "
        "docs/clinical-rules.md`"
    )
