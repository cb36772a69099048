"""Report charts: SVG geometry that carries its own presentation attributes.

WeasyPrint does not apply the page's stylesheet inside an inline SVG, so a
report chart says its strokes, dashes and fills itself (``reports/_figure.svg.html``)
and prints as the browser shows it. Every chart reads in black and white:
lines differ by dash pattern and marker shape, bars by solid or hatched fill,
and values are written on the chart, never told by colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from backstride.web.reports.cohort import ChangeRow, DistanceWeek
from backstride.web.runlog.charts import Chart

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 52, 16, 20, 44
INK, GRID, MUTED = "#0d2f33", "#c9d3d5", "#44545a"
# The runlog charts' series, as strokes: colour for the screen, dash and marker for print.
SERIES_STYLE = {
    "line-before": ("#0d5c63", "", "circle"),
    "line-after": ("#b45309", "8 5", "square"),
    "line-morning": ("#5b3f99", "2 5", "diamond"),
    "line-level": ("#1f6f4a", "", "circle"),
}


@dataclass(frozen=True)
class Mark:
    """A bar: ``fill`` is ``solid``, ``hatch`` or ``open``; ``text`` is written at ``text_y``."""

    x: float
    y: float
    width: float
    height: float
    fill: str
    label: str
    text: str = ""
    text_y: float = 0.0

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Stroke:
    path: str
    colour: str = INK
    dash: str = ""
    width: float = 2.5
    marker: str = ""  # circle, square, diamond: drawn at ``points``
    points: tuple[tuple[float, float, str], ...] = ()
    name: str = ""


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Key:
    """A legend entry: a bar (``solid``/``hatch``), a ``whisker`` or a ``line``."""

    kind: str
    label: str
    dash: str = ""
    marker: str = ""
    colour: str = INK


@dataclass(frozen=True)
class Figure:
    id: str
    title: str
    description: str
    marks: tuple[Mark, ...] = ()
    strokes: tuple[Stroke, ...] = ()
    y_ticks: tuple[Tick, ...] = ()
    x_ticks: tuple[Tick, ...] = ()
    legend: tuple[Key, ...] = ()
    width: int = WIDTH
    height: int = HEIGHT
    plot: dict[str, float] = field(default_factory=lambda: {
        "left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": HEIGHT - BOTTOM})

    @property
    def empty(self) -> bool:
        return not self.marks and not any(s.points or s.path for s in self.strokes)


def _scale(low: float, high: float) -> tuple[float, float, float]:
    """A rounded axis from ``low`` to ``high`` and its tick step."""
    span = max(high - low, 1e-9)
    step = _step(span)
    bottom = step * (low // step)
    top = step * -(-high // step)
    return bottom, max(top, bottom + step), step


def _step(span: float) -> float:
    """The smallest of 0.5, 1, 2, 2.5 or 5 times a power of ten that cuts ``span`` into at
    most 6 ticks: any span (a clinic's counts reach the thousands), never below 0.5."""
    decade = max(math.floor(math.log10(span / 6)), -1)
    for exponent in (decade, decade + 1):
        for mantissa in (1, 2, 2.5, 5):
            step = mantissa * 10.0 ** exponent
            if step >= 0.5 and span / step <= 6:
                return step
    return 10.0 ** (decade + 2)  # (not reached: 10 × the decade's 1 always fits)


def _y(value: float, bottom: float, top: float) -> float:
    span = HEIGHT - BOTTOM - TOP
    return round(HEIGHT - BOTTOM - span * (value - bottom) / (top - bottom), 1)


def _ticks(bottom: float, top: float, step: float) -> tuple[Tick, ...]:
    count = round((top - bottom) / step)
    return tuple(Tick(_y(bottom + n * step, bottom, top), f"{bottom + n * step:g}")
                 for n in range(count + 1))


def change_figure(fig_id: str, rows: Sequence[ChangeRow]) -> Figure:
    """One measure's mean change at weeks 6 and 12, with 95% CI whiskers from zero."""
    shown = [r for r in rows if r.mean is not None]
    values = [0.0] + [v for r in shown for v in (r.mean, r.low, r.high) if v is not None]
    bottom, top, step = _scale(min(values), max(values))
    zero = _y(0, bottom, top)
    slot = (WIDTH - LEFT - RIGHT) / max(len(rows), 1)
    marks, strokes, x_ticks = [], [], []
    for i, row in enumerate(rows):
        centre = LEFT + slot * (i + 0.5)
        x_ticks.append(Tick(round(centre, 1), _("Week %(w)d · n = %(n)d") % {
            "w": row.week, "n": row.n}))
        if row.mean is None:
            continue
        y = _y(row.mean, bottom, top)
        label = _change_label(row)
        text_y = min(y, zero) - 6 if row.mean >= 0 else max(y, zero) + 14
        marks.append(Mark(round(centre - 28, 1), min(y, zero), 56, round(abs(zero - y), 1),
                          "solid" if row.week == 6 else "hatch", label, f"{row.mean:+.1f}",
                          text_y))
        if row.low is not None and row.high is not None:
            lo, hi = _y(row.low, bottom, top), _y(row.high, bottom, top)
            strokes.append(Stroke(f"M{centre + 40:.1f} {lo} V{hi} M{centre + 34:.1f} {lo} "
                                  f"H{centre + 46:.1f} M{centre + 34:.1f} {hi} H{centre + 46:.1f}",
                                  width=1.5))
    strokes.append(Stroke(f"M{LEFT} {zero} H{WIDTH - RIGHT}", INK, "", 1.2))
    name = rows[0].name if rows else ""
    better = _("lower is better") if not rows or rows[0].lower_is_better else _("higher is better")
    return Figure(fig_id, _("%(name)s: change from baseline") % {"name": name},
                  _("Mean change from week 0 with its 95%% confidence interval (whiskers); "
                    "%(better)s.") % {"better": better},
                  tuple(marks), tuple(strokes), _ticks(bottom, top, step), tuple(x_ticks),
                  (Key("solid", _("week 6")), Key("hatch", _("week 12")),
                   Key("whisker", _("95% CI"))))


def _change_label(row: ChangeRow) -> str:
    ci = "" if row.low is None else f" (95% CI {row.low:+.1f} to {row.high:+.1f})"
    return f"{row.name}, week {row.week}: {row.mean:+.2f}{ci}, n = {row.n}"


def histogram_figure(fig_id: str, bins: Sequence[int], trial: float) -> Figure:
    """How many patients reached each tenth of adherence; the trial's 70% marked."""
    top_count = max([*bins, 1])
    bottom, top, step = _scale(0, top_count)
    step = max(step, 1)
    slot = (WIDTH - LEFT - RIGHT) / len(bins)
    marks = []
    for i, count in enumerate(bins):
        y = _y(count, bottom, top)
        label = _("%(lo)d–%(hi)d%%: %(n)d patients") % {"lo": i * 10, "hi": i * 10 + 10,
                                                      "n": count}
        marks.append(Mark(round(LEFT + slot * i + 3, 1), y, round(slot - 6, 1),
                          round(HEIGHT - BOTTOM - y, 1), "solid", label,
                          str(count) if count else "", y - 5))
    x = round(LEFT + (WIDTH - LEFT - RIGHT) * trial, 1)
    line = Stroke(f"M{x} {TOP} V{HEIGHT - BOTTOM}", INK, "6 4", 2)
    ticks = tuple(Tick(round(LEFT + slot * i, 1), f"{i * 10}%") for i in range(0, 11, 2))
    return Figure(fig_id, _("Adherence per patient"),
                  _("Patients by share of planned run-walk sessions done; the dashed line is "
                    "the trial's 70%."), tuple(marks), (line,),
                  _ticks(bottom, top, step), ticks,
                  (Key("solid", _("patients")), Key("line", _("trial: 70%"), "6 4")))


def distance_figure(fig_id: str, weeks: Sequence[DistanceWeek]) -> Figure:
    top_km = max([w.mean_km for w in weeks] + [1.0])
    bottom, top, step = _scale(0, top_km)
    slot = (WIDTH - LEFT - RIGHT) / max(len(weeks), 1)
    marks = []
    for i, w in enumerate(weeks):
        y = _y(w.mean_km, bottom, top)
        label = _("Week %(w)d: %(km).1f km on average (%(n)d patients)") % {
            "w": w.week, "km": w.mean_km, "n": w.n}
        marks.append(Mark(round(LEFT + slot * i + 4, 1), y, round(slot - 8, 1),
                          round(HEIGHT - BOTTOM - y, 1), "hatch", label, f"{w.mean_km:.1f}",
                          y - 5))
    ticks = tuple(Tick(round(LEFT + slot * (i + 0.5), 1), str(w.week))
                  for i, w in enumerate(weeks))
    return Figure(fig_id, _("Weekly running distance"),
                  _("Mean kilometres run per program week, from imported activities."),
                  tuple(marks), (), _ticks(bottom, top, step), ticks,
                  (Key("hatch", _("km per patient")),))


def from_chart(fig_id: str, chart: Chart) -> Figure:
    """A runlog chart (pain, minutes, level) with print-safe strokes, markers and fills."""
    strokes = []
    for s in chart.series:
        colour, dash, marker = SERIES_STYLE.get(s.css, (INK, "", "circle"))
        strokes.append(Stroke(s.path, colour, dash, 2.5, marker,
                              tuple((p.x, p.y, f"{s.name} · {p.label}") for p in s.points),
                              s.name))
    marks = tuple(Mark(b.x, b.y, b.width, b.height, "solid", b.label) for b in chart.bars)
    legend = tuple(Key("line", st.name, st.dash, st.marker, st.colour) for st in strokes) \
        if len(strokes) > 1 else ()
    return Figure(fig_id, chart.title, chart.description, marks, tuple(strokes),
                  tuple(Tick(t.position, t.label) for t in chart.y_ticks),
                  tuple(Tick(t.position, t.label) for t in chart.x_ticks), legend,
                  chart.width, chart.height, dict(chart.plot))
