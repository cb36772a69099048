"""Server-side charts: the geometry of small inline SVGs (no JavaScript needed).

Each function returns a :class:`Chart` the template ``runlog/_chart.svg.html``
draws; the page also shows the same numbers as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

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
