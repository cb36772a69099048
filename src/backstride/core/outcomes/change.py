"""Meaningful change between a baseline and a follow-up score (O-MCID).

Thresholds are OSTELO-2008's for pain, ODI and RMDQ (an improvement of a
number of points or of 30% of baseline, whichever is reached) and
STRATFORD-1995's for the PSFS (a mean rise of 2 points). They are data: one
:class:`McidThreshold` per :class:`Measure`, built from evidence constants.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from backstride.core import fields as f
from backstride.core.errors import BackstrideError
from backstride.core.evidence import (
    MCID_ODI_PERCENT,
    MCID_ODI_POINTS,
    MCID_PAIN_PERCENT,
    MCID_PAIN_POINTS,
    MCID_PSFS_POINTS,
    MCID_RMDQ_PERCENT,
    MCID_RMDQ_POINTS,
    Reason,
    reason,
)

# Points and percents are rounded to this many decimals before they are
# compared, so float noise (6.0 - 4.2 = 1.7999999999999998) never moves a
# change across a threshold.
_DECIMALS = 9


class Measure(StrEnum):
    """An outcome measure that has a meaningful-change threshold."""

    PAIN = "pain"  # 0-10 numeric rating scale, points
    ODI = "odi"  # Oswestry Disability Index, 0-100 %
    RMDQ = "rmdq"  # Roland-Morris Disability Questionnaire, 0-24 points
    PSFS = "psfs"  # Patient-Specific Functional Scale mean, 0-10 points


@dataclass(frozen=True)
class McidThreshold:
    """O-MCID for one measure: ``points`` or ``percent`` of baseline (``None``: points only)."""

    label: str
    points: float
    percent: float | None
    lower_is_better: bool
    scale_max: float


MCID: Mapping[Measure, McidThreshold] = MappingProxyType({
    Measure.PAIN: McidThreshold("Pain", MCID_PAIN_POINTS, MCID_PAIN_PERCENT, True, 10),
    Measure.ODI: McidThreshold("ODI", MCID_ODI_POINTS, MCID_ODI_PERCENT, True, 100),
    Measure.RMDQ: McidThreshold("RMDQ", MCID_RMDQ_POINTS, MCID_RMDQ_PERCENT, True, 24),
    Measure.PSFS: McidThreshold("PSFS mean", MCID_PSFS_POINTS, None, False, 10),
})


@dataclass(frozen=True)
class Change:
    """A change from ``baseline`` to ``follow_up``, in the measure's own units.

    ``points`` is the improvement (positive = better: a fall in pain, ODI or
    RMDQ, a rise in PSFS); ``percent`` is that improvement as a percentage of
    baseline (``None`` when baseline is 0). ``meaningful`` is a meaningful
    improvement; ``worsened`` is a change in the bad direction reaching the
    same threshold. At most one of the two is true.
    """

    measure: Measure
    baseline: float
    follow_up: float
    points: float
    percent: float | None
    meaningful: bool
    worsened: bool
    reason: Reason

    def as_dict(self) -> dict[str, object]:
        return {
            "measure": str(self.measure),
            "baseline": self.baseline,
            "follow_up": self.follow_up,
            "points": self.points,
            "percent": self.percent,
            "meaningful": self.meaningful,
            "worsened": self.worsened,
            "reason": self.reason.as_dict(),
        }


def meaningful_change(measure: Measure | str, baseline: float, follow_up: float) -> Change:
    """Judge the change from ``baseline`` to ``follow_up`` against O-MCID.

    Scores are in the measure's units (pain and PSFS 0-10 points, ODI 0-100 %,
    RMDQ 0-24 points); means are allowed, so they need not be whole numbers.
    Bad input raises :class:`BackstrideError` naming ``measure``, ``baseline``
    or ``follow_up``.
    """
    kind = _measure(measure)
    threshold = MCID[kind]
    base = f.number(baseline, "baseline", BackstrideError, low=0, high=threshold.scale_max)
    follow = f.number(follow_up, "follow_up", BackstrideError, low=0, high=threshold.scale_max)
    points = round(base - follow if threshold.lower_is_better else follow - base, _DECIMALS)
    percent = None if base == 0 else round(points * 100 / base, _DECIMALS)
    # A worsening is never a meaningful improvement, whatever its size.
    meaningful = points > 0 and _reaches(threshold, points, percent)
    worsened = points < 0 and _reaches(threshold, -points, None if percent is None else -percent)
    text = _describe(threshold, base, follow, points, percent, meaningful, worsened)
    return Change(kind, base, follow, points, percent, meaningful, worsened, reason("O-MCID", text))


def share_meaningful(changes: Sequence[Change]) -> float | None:
    """The fraction (0-1) of ``changes`` that are meaningful; ``None`` when there are none."""
    if not changes:
        return None
    return sum(1 for change in changes if change.meaningful) / len(changes)


def _measure(measure: Measure | str) -> Measure:
    try:
        return Measure(measure)
    except ValueError:
        known = ", ".join(m.value for m in Measure)
        raise BackstrideError("measure", f"unknown measure {measure!r}; one of {known}") from None


def _reaches(threshold: McidThreshold, size: float, percent: float | None) -> bool:
    """Does a change of ``size`` points (``percent`` of baseline) reach O-MCID?"""
    if size >= threshold.points:
        return True
    return threshold.percent is not None and percent is not None and percent >= threshold.percent


def _describe(
    threshold: McidThreshold,
    base: float,
    follow: float,
    points: float,
    percent: float | None,
    meaningful: bool,
    worsened: bool,
) -> str:
    direction = "improved" if points > 0 else "worsened" if points < 0 else "did not change"
    size = f" by {abs(points):g} points" if points else ""
    # One decimal, so 29.5% is never printed as a threshold-reaching "30%".
    share = f" ({round(abs(percent), 1):g}% of baseline)" if percent and threshold.percent else ""
    verdict = (
        "a meaningful improvement" if meaningful
        else "a meaningful worsening" if worsened
        else "not a meaningful change"
    )
    needed = f"{threshold.points:g} points"
    if threshold.percent is not None:
        needed += f" or {threshold.percent:g}%"
    return (
        f"{threshold.label} {direction}{size}{share}, from {base:g} to {follow:g}: "
        f"{verdict} (O-MCID: {needed})."
    )
