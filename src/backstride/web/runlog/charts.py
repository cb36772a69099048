"""Server-side charts: the geometry of small inline SVGs (no JavaScript needed).

Each function returns a :class:`Chart` the template ``runlog/_chart.svg.html``
draws; the page also shows the same numbers as a table.

Charts of imported activities live here too (:func:`bouts_chart`,
:func:`cadence_chart`): one drawing style for every chart of the product.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from backstride.core.ladder import TOP_LEVEL

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 40
MAX_X_TICKS = 6


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Series:
    name: str
    css: str  # a class of backstride.css: colour and dash pattern
    path: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    css: str = "chart__bar"  # classes of backstride.css


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    y_label: str
    series: tuple[Series, ...] = ()
    bars: tuple[Bar, ...] = ()
    x_ticks: tuple[Tick, ...] = ()
    y_ticks: tuple[Tick, ...] = ()
    width: int = WIDTH
    height: int = HEIGHT
    plot: dict[str, float] = field(default_factory=lambda: {
        "left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": HEIGHT - BOTTOM,
    })

    @property
    def empty(self) -> bool:
        return not any(s.points for s in self.series) and not self.bars


def _y(value: float, top_value: float) -> float:
    span = HEIGHT - BOTTOM - TOP
    return round(HEIGHT - BOTTOM - span * value / top_value, 1)


def _x_positions(dates: Sequence[date]) -> dict[date, float]:
    if not dates:
        return {}
    first, last = min(dates), max(dates)
    span = (last - first).days
    left, right = LEFT + 36, WIDTH - RIGHT - 36  # room for the first and last date labels
    if span == 0:
        return {first: (left + right) / 2}
    return {d: round(left + (right - left) * (d - first).days / span, 1) for d in dates}


def _x_ticks(positions: dict[date, float]) -> tuple[Tick, ...]:
    ordered = sorted(positions)
    step = max(1, -(-len(ordered) // MAX_X_TICKS))
    chosen = ordered[::step]
    return tuple(Tick(positions[d], _short(d)) for d in chosen)


def _short(day: date) -> str:
    return date_format(day, "j M")


def _path(points: Sequence[Point | None], *, steps: bool = False) -> str:
    """An SVG path through the points; a ``None`` breaks the line (a missing value)."""
    parts: list[str] = []
    previous: Point | None = None
    for point in points:
        if point is None:
            previous = None
            continue
        if previous is None:
            parts.append(f"M{point.x} {point.y}")
        elif steps:
            parts.append(f"H{point.x} V{point.y}")
        else:
            parts.append(f"L{point.x} {point.y}")
        previous = point
    return " ".join(parts)


def pain_chart(pain: Sequence[object]) -> Chart:
    """Pain before, after and next morning for every session (0-10)."""
    positions = _x_positions([p.date for p in pain])  # type: ignore[attr-defined]
    lines = (("before", _("Before"), "line-before"), ("after", _("After"), "line-after"),
             ("next_morning", _("Next morning"), "line-morning"))
    series = []
    for attr, name, css in lines:
        points = [
            None if (v := getattr(p, attr)) is None
            else Point(positions[p.date], _y(v, 10), f"{_short(p.date)}: {v}/10")  # type: ignore[attr-defined]
            for p in pain
        ]
        series.append(Series(str(name), css, _path(points),
                             tuple(pt for pt in points if pt is not None)))
    return Chart(
        title=str(_("Back pain around each session")),
        description=str(_("Pain from 0 to 10 before, after and the morning after each "
                          "session; lower is better.")),
        y_label="0–10",
        series=tuple(series),
        x_ticks=_x_ticks(positions),
        y_ticks=tuple(Tick(_y(v, 10), str(v)) for v in range(0, 11, 2)),
    )


def minutes_chart(weeks: Sequence[object]) -> Chart:
    """Running minutes in each calendar week, as bars."""
    top = max([w.minutes for w in weeks] + [10.0])  # type: ignore[attr-defined]
    top = float(-(-top // 10) * 10)
    count = max(len(weeks), 1)
    slot = (WIDTH - LEFT - RIGHT) / count
    width = min(48.0, slot * 0.7)
    bars = []
    ticks = []
    for index, week in enumerate(weeks):
        x = LEFT + slot * index + (slot - width) / 2
        y = _y(week.minutes, top)  # type: ignore[attr-defined]
        label = _("Week of %(day)s: %(min).1f min") % {
            "day": _short(week.monday), "min": week.minutes}  # type: ignore[attr-defined]
        bars.append(Bar(round(x, 1), y, round(width, 1), round(HEIGHT - BOTTOM - y, 1), label))
        if index % max(1, -(-count // MAX_X_TICKS)) == 0:
            ticks.append(Tick(round(x + width / 2, 1), _short(week.monday)))  # type: ignore[attr-defined]
    step = top / 5
    return Chart(
        title=str(_("Running minutes per week")),
        description=str(_("Total minutes of running (not walking) in each calendar week.")),
        y_label=str(_("min")),
        bars=tuple(bars),
        x_ticks=tuple(ticks),
        y_ticks=tuple(Tick(_y(step * n, top), f"{step * n:g}") for n in range(6)),
    )


def level_chart(levels: Sequence[tuple[date, int]]) -> Chart:
    """The ladder level of each session, as a step line."""
    positions = _x_positions([d for d, _level in levels])
    top = float(max([lv for _d, lv in levels] + [5]))
    points = [Point(positions[d], _y(lv, top), f"{_short(d)}: {_('level')} {lv}")
              for d, lv in levels]
    every = max(1, int(top) // 5)
    return Chart(
        title=str(_("Run-walk level over time")),
        description=str(_("The ladder level of each session, from 1 up to %(top)d.")
                        % {"top": TOP_LEVEL}),
        y_label=str(_("level")),
        series=(Series(str(_("Level")), "line-level", _path(points, steps=True),
                       tuple(points)),),
        x_ticks=_x_ticks(positions),
        y_ticks=tuple(Tick(_y(v, top), str(v)) for v in range(every, int(top) + 1, every)),
    )


# --- Imported activities -------------------------------------------------------------

BOUTS_HEIGHT = 176
BOUTS_LEFT = 124  # room for the lane names, drawn larger on a phone
LANE_HEIGHT = 48
_LANES = {"planned": 16, "recorded": 76}  # top of each lane
_BAR_KIND = {"run": "run", "pause": "pause"}  # everything else is walking
TICK_MINUTES = (1, 2, 5, 10, 15, 30, 60)


def bouts_chart(intervals: Sequence[Mapping[str, Any]], bouts: Sequence[Mapping[str, Any]],
                ) -> Chart:
    """The prescribed steps above the recorded bouts, on one time axis (minutes).

    ``intervals`` are the prescription's steps in order ({kind, seconds});
    ``bouts`` the recording's ({kind, start, duration}), seconds since its start.
    """
    planned_total = float(sum(i["seconds"] for i in intervals))
    recorded_total = max((b["start"] + b["duration"] for b in bouts), default=0.0)
    total = max(planned_total, recorded_total, 60.0)
    left, right = BOUTS_LEFT, WIDTH - RIGHT
    scale = (right - left) / total
    bars: list[Bar] = []
    elapsed = 0.0
    for step in intervals:
        bars.append(_bout_bar("planned", step["kind"], elapsed, step["seconds"], scale))
        elapsed += step["seconds"]
    bars += [_bout_bar("recorded", b["kind"], b["start"], b["duration"], scale) for b in bouts]
    step_minutes = next((m for m in TICK_MINUTES if total / 60 / m <= 8), 120)
    ticks = tuple(Tick(round(left + minute * 60 * scale, 1), f"{minute}")
                  for minute in range(0, int(total // 60) + 1, step_minutes))
    lanes = (Tick(_LANES["planned"] + LANE_HEIGHT / 2, str(_("Planned"))),
             Tick(_LANES["recorded"] + LANE_HEIGHT / 2, str(_("Recorded"))))
    return Chart(
        title=str(_("Planned and recorded run-walk") if intervals
                  else _("Run and walk bouts recorded")),
        description=str(_("Above: the prescribed session, step by step. Below: the bouts "
                          "found in the file. Time in minutes from the start; darker bars "
                          "are running.")),
        y_label=str(_("min")), bars=tuple(bars), x_ticks=ticks, y_ticks=lanes,
        height=BOUTS_HEIGHT,
        plot={"left": left, "right": right, "top": 16, "bottom": BOUTS_HEIGHT - BOTTOM},
    )


def _bout_bar(lane: str, kind: str, start: float, seconds: float, scale: float) -> Bar:
    shown = _BAR_KIND.get(kind, "walk")
    label = _("%(lane)s %(kind)s %(length)s from %(at)s") % {
        "lane": _("Planned") if lane == "planned" else _("Recorded"),
        "kind": str(STEP_NAMES.get(kind, kind)), "length": _clock(seconds), "at": _clock(start)}
    return Bar(round(BOUTS_LEFT + start * scale, 1), _LANES[lane],
               max(round(seconds * scale, 1), 0.5), LANE_HEIGHT, label,
               css=f"chart__bar chart__bar--{shown}")


STEP_NAMES = {"run": _("run"), "walk": _("walk"), "pause": _("pause"), "warm_up": _("warm-up"),
              "cool_down": _("cool-down"), "cross_training": _("low-impact cardio")}


def _clock(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


CADENCE_LEFT = 64  # three-digit labels


def cadence_chart(weeks: Sequence[object], low_line: Sequence[float | None] = ()) -> Chart:
    """Mean running cadence (steps/min) per calendar week; ``low_line``: P-CADENCE's floor."""
    positions = _x_positions([w.monday for w in weeks])  # type: ignore[attr-defined]
    values = [w.cadence for w in weeks] + [v for v in low_line if v is not None]  # type: ignore[attr-defined]
    lo = 10 * (int(min(values, default=140)) // 10 - 1)
    hi = 10 * (int(max(values, default=180)) // 10 + 2)
    points = [Point(positions[w.monday], _y(w.cadence - lo, hi - lo),  # type: ignore[attr-defined]
                    _("Week of %(day)s: %(spm).0f steps/min") % {
                        "day": _short(w.monday), "spm": w.cadence})  # type: ignore[attr-defined]
              for w in weeks]
    series = [Series(str(_("Cadence while running")), "line-cadence", _path(points),
                     tuple(points))]
    floor = [None if v is None else Point(positions[w.monday], _y(v - lo, hi - lo),  # type: ignore[attr-defined]
                                          f"{_short(w.monday)}: {v:.0f}")  # type: ignore[attr-defined]
             for w, v in zip(weeks, low_line, strict=False)]
    if any(floor):
        series.append(Series(str(_("Low for your speed (below this line)")), "line-cadence-low",
                             _path(floor), ()))
    return Chart(
        title=str(_("Cadence while running, week by week")),
        description=str(_("Mean steps a minute while running in each calendar week, from "
                          "your imported files.")),
        y_label=str(_("steps/min")), series=tuple(series), x_ticks=_x_ticks(positions),
        y_ticks=tuple(Tick(_y(v - lo, hi - lo), str(v)) for v in range(lo, hi + 1, 10)),
        plot={"left": CADENCE_LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": HEIGHT - BOTTOM},
    )
