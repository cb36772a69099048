"""How a prescription (core ``Prescription.as_dict()``) reads on a page and in the timer.

Presentation only: grouping repeated bouts and naming steps. The numbers are the
engine's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

STEP_LABELS = {
    "warm_up": _("Warm-up"),
    "run": _("Run"),
    "walk": _("Walk"),
    "cool_down": _("Cool-down"),
    "cross_training": _("Low-impact cardio"),
}
# What the timer says aloud at the start of each step.
SPOKEN = {
    "warm_up": _("Warm up: brisk walk"),
    "run": _("Run"),
    "walk": _("Walk"),
    "cool_down": _("Cool down: easy walk"),
    "cross_training": _("Low-impact cardio"),
}


@dataclass(frozen=True)
class BoutGroup:
    """``repeats`` × (run ``run`` s, walk ``walk`` s)."""

    repeats: int
    run: int
    walk: int


def bout_groups(intervals: Sequence[Mapping[str, Any]]) -> list[BoutGroup]:
    """Run–walk pairs, consecutive equal pairs counted together."""
    groups: list[BoutGroup] = []
    steps = list(intervals)
    index = 0
    while index < len(steps):
        run = steps[index]["seconds"] if steps[index]["kind"] == "run" else 0
        offset = 1 if run else 0
        has_walk = index + offset < len(steps) and steps[index + offset]["kind"] == "walk"
        walk = steps[index + offset]["seconds"] if has_walk else 0
        index += offset + (1 if has_walk else 0)
        if groups and (groups[-1].run, groups[-1].walk) == (run, walk):
            last = groups.pop()
            groups.append(BoutGroup(last.repeats + 1, run, walk))
        else:
            groups.append(BoutGroup(1, run, walk))
    return groups


def timeline(prescription: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every step in order, as the interval timer plays it."""
    steps = [*prescription.get("warm_up", []), *prescription.get("intervals", []),
             *prescription.get("cool_down", []), *prescription.get("other", [])]
    return [
        {"kind": s["kind"], "seconds": s["seconds"], "label": str(STEP_LABELS[s["kind"]]),
         "say": str(SPOKEN[s["kind"]]), "note": s.get("note", "")}
        for s in steps
    ]


def has_running(prescription: Mapping[str, Any] | None) -> bool:
    return bool(prescription) and prescription.get("level") is not None  # type: ignore[union-attr]
