"""Stored reasons ({rule, text, sources}) with the full citation of each source id."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from backstride.core import evidence


def with_citations(reasons: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**r, "citations": [(s, evidence.SOURCES[s].citation) for s in r.get("sources", [])
                            if s in evidence.SOURCES]}
        for r in reasons
    ]
