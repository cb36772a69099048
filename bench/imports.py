"""Issue 8, part 1: Backstride's full activity import against the peers' raw decode.

For every corpus file (and a synthetic 6-hour 1 Hz run in FIT, TCX and GPX
written by ``backstride.formats.synthetic``), in this one process, on the same
bytes, median of repeated runs after a warm-up:

* **backstride**: ``read_activity`` (sniff, decode, canonical Activity) +
  ``segment`` (run/walk bouts and their summary), the whole import minus the
  database;
* **before**: the same import forced through the fitdecode path (the reader as
  it was before issue 8's fast path; kept as the fallback for damaged files);
* the peers' raw decode, with their default options: fitparse (every message),
  fitdecode (every frame), fitfast (``parse``, Rust), gpxpy (``parse``),
  tcxreader (``read``); for GPX and TCX also the bare parse of the standard
  library's C XML parser (ElementTree), the floor. garmin-fit-sdk is never
  run: its licence forbids benchmarking it.

A peer that raises on a file has no time for it; ratios and totals use only
the files both sides read. Peak memory is tracemalloc's, measured during the
warm-up call (whose time is not counted). On files Backstride takes over
0.25 s to import, the peers that measure no memory skip the warm-up (every
code path is warm from the files before). "before" is one run (after the
fitdecode peer has warmed the same code).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import fitdecode
import fitfast
import fitparse
import gpxpy
from tcxreader.tcxreader import TCXReader

from backstride.core.errors import ImportFormatError
from backstride.core.segmentation import BoutKind, segment
from backstride.formats import fit, read_activity, synthetic
from bench.measure import CORPUS, Check, Section, Timing, spread, table, timed

SIX_HOURS = 6 * 3600
SMOKE_MINUTES = 10
# Issue 8's targets, as written there.
MAX_VS_FITDECODE = 1.2  # full import / fitdecode's raw decode
MIN_VS_FITPARSE = 3.0  # fitparse's raw decode / full import
MAX_SIX_HOURS_VS_DECODE = 1.5  # full import of the 6-hour run / its raw decode
LARGE_SECONDS = 0.25  # a file Backstride takes this long to import: peers skip the warm-up
SMOKE_FILES = ("fit/fitparse__garmin-fenix-5-run.fit", "gpx/togeojson__run.gpx",
               "tcx/togeojson__sample.tcx")


def full_import(data: bytes) -> object:
    """What an upload costs before the database: decode, Activity, segmentation, summary."""
    try:
        activity = read_activity(data)
    except ImportFormatError as exc:  # a clear refusal (a workout, a course) is a result
        return exc
    segments = segment(activity)
    return activity.duration, activity.total_distance, segments.summary


def before_import(data: bytes) -> object:
    """The same import through the fitdecode path only (the reader before the fast path)."""
    try:
        activity = fit._Reader().read(fit._fitdecode_events(data), fast=False)
    except ImportFormatError as exc:
        return exc
    return activity.duration, activity.total_distance, segment(activity).summary


def fitdecode_decode(data: bytes) -> None:
    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        for _frame in reader:
            pass


def fitparse_decode(data: bytes) -> None:
    list(fitparse.FitFile(io.BytesIO(data)).get_messages())


def xml_parse(data: bytes) -> None:
    """The floor for GPX and TCX: the standard library's C parser, nothing else."""
    ElementTree.fromstring(data.removeprefix(b"\xef\xbb\xbf").lstrip())


PEERS: dict[str, dict[str, Callable[[bytes], Any]]] = {
    "fit": {"fitparse": fitparse_decode, "fitdecode": fitdecode_decode,
            "fitfast": fitfast.parse, "before": before_import},
    "gpx": {"gpxpy": lambda data: gpxpy.parse(io.BytesIO(data)), "ElementTree": xml_parse},
    "tcx": {"tcxreader": lambda data: TCXReader().read(io.BytesIO(data)),
            "ElementTree": xml_parse},
}
MAIN_PEER = {"fit": "fitdecode", "gpx": "gpxpy", "tcx": "tcxreader"}


@dataclass
class Row:
    name: str
    kind: str
    size: int
    times: dict[str, Timing]
    memory: dict[str, int | None]


def six_hour_files(minutes: int) -> dict[str, bytes]:
    """A run-walk of ``minutes`` at 1 Hz (2 min run, 1 min walk) in each of our three formats."""
    legs = [synthetic.Leg(BoutKind.RUN, 120), synthetic.Leg(BoutKind.WALK, 60)] * (minutes // 3)
    label = f"{minutes // 60}h" if minutes >= 60 else f"{minutes}min"
    return {
        f"synthetic/{label}-1hz.fit": synthetic.synthetic_fit(legs, seed=8),
        f"synthetic/{label}-1hz.tcx": synthetic.synthetic_tcx(legs, seed=8),
        f"synthetic/{label}-1hz.gpx": synthetic.synthetic_gpx(legs, seed=8),
    }


def files(smoke: bool) -> dict[str, bytes]:
    out = {}
    for folder in ("fit", "gpx", "tcx"):
        for path in sorted((CORPUS / folder).iterdir()):
            name = f"{folder}/{path.name}"
            if path.is_file() and (not smoke or name in SMOKE_FILES):
                out[name] = path.read_bytes()
    out.update(six_hour_files(SMOKE_MINUTES if smoke else SIX_HOURS // 60))
    return out


def measure(name: str, data: bytes, *, smoke: bool) -> Row:
    kind = Path(name).suffix.lstrip(".")
    tools: dict[str, Callable[[bytes], Any]] = {"backstride": full_import, **PEERS[kind]}
    budget, min_runs = (0.0, 1) if smoke else (0.2, 3)
    times: dict[str, Timing] = {}
    for tool, fn in tools.items():
        # A large file is decoded for seconds: one call of it warms nothing that the
        # three measured calls would not (every code path is warm from the files before),
        # so peers that measure no memory go straight to the measured calls.
        large = "backstride" in times and times["backstride"].median > LARGE_SECONDS
        if tool == "before":
            # The old reader is the fitdecode peer plus our own code, both warm by now: one
            # run is its figure (it is a record of the fix, not one of the targets).
            times[tool] = timed(lambda fn=fn: fn(data), min_runs=1, max_runs=1, warm_up=False)
        else:
            traced = not smoke and tool in ("backstride", MAIN_PEER[kind])
            times[tool] = timed(lambda fn=fn: fn(data), budget=budget, min_runs=min_runs,
                                max_runs=10, memory=traced, warm_up=traced or not large)
    memory = {tool: t.peak for tool, t in times.items() if t.peak is not None}
    return Row(name, kind, len(data), times, memory)


def ratio(numerator: Timing, denominator: Timing) -> float | None:
    if not (numerator.ok and denominator.ok) or denominator.median <= 0:
        return None
    return numerator.median / denominator.median


def fmt_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}×"


def total(rows: list[Row], a: str, b: str) -> tuple[float, float, int]:
    """Summed medians of tools ``a`` and ``b`` over the files both read; how many files."""
    both = [r for r in rows if r.times[a].ok and r.times[b].ok]
    return (sum(r.times[a].median for r in both), sum(r.times[b].median for r in both),
            len(both))


def fit_table(rows: list[Row]) -> str:
    body = []
    for r in rows:
        t = r.times
        body.append((r.name.split("/", 1)[1], f"{r.size / 1024:.0f}", spread(t["backstride"]),
                     spread(t["before"]), spread(t["fitdecode"]), spread(t["fitparse"]),
                     spread(t["fitfast"]),
                     fmt_ratio(ratio(t["backstride"], t["fitdecode"])),
                     fmt_ratio(ratio(t["fitparse"], t["backstride"])),
                     fmt_ratio(ratio(t["backstride"], t["fitfast"])),
                     _memory(r, "backstride"), _memory(r, "fitdecode")))
    return table(["file", "KiB", "backstride ms (min/med/max)", "before ms (1 run)", "fitdecode ms",
                  "fitparse ms", "fitfast ms", "bs/fitdecode", "fitparse/bs", "bs/fitfast",
                  "bs peak KiB", "fitdecode peak KiB"], body)


def xml_table(rows: list[Row], peer: str) -> str:
    body = []
    for r in rows:
        t = r.times
        body.append((r.name.split("/", 1)[1], f"{r.size / 1024:.0f}", spread(t["backstride"]),
                     spread(t[peer]), spread(t["ElementTree"]),
                     fmt_ratio(ratio(t["backstride"], t[peer])),
                     fmt_ratio(ratio(t["backstride"], t["ElementTree"])),
                     _memory(r, "backstride"), _memory(r, peer)))
    return table(["file", "KiB", "backstride ms (min/med/max)", f"{peer} ms",
                  "ElementTree ms", f"bs/{peer}", "bs/ElementTree", "bs peak KiB",
                  f"{peer} peak KiB"], body)


def _memory(row: Row, tool: str) -> str:
    value = row.memory.get(tool)
    return "—" if value is None else f"{value / 1024:,.0f}"


def failures(rows: list[Row]) -> str:
    lines = []
    for r in rows:
        for tool, t in r.times.items():
            if not t.ok:
                lines.append(f"- {r.name}: {tool} raised {t.error}")
    return "\n".join(lines) or "- none"


def run(*, smoke: bool = False) -> Section:
    data = files(smoke)
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fitdecode warns about every damaged file it reads
        for index, (name, blob) in enumerate(data.items(), 1):
            rows.append(measure(name, blob, smoke=smoke))
            print(f"  [{index}/{len(data)}] {name}", flush=True)
    by_kind = {k: [r for r in rows if r.kind == k] for k in ("fit", "gpx", "tcx")}
    fits = by_kind["fit"]
    bs, fd, n_fd = total(fits, "backstride", "fitdecode")
    bs_p, fp, n_fp = total(fits, "backstride", "fitparse")
    bs_f, ff, n_ff = total(fits, "backstride", "fitfast")
    bs_b, before, n_b = total(fits, "backstride", "before")
    totals = table(["FIT total over files both read", "backstride s", "peer s", "ratio", "files"],
                   [("backstride / fitdecode", f"{bs:.2f}", f"{fd:.2f}",
                     fmt_ratio(bs / fd if fd else None), n_fd),
                    ("fitparse / backstride", f"{bs_p:.2f}", f"{fp:.2f}",
                     fmt_ratio(fp / bs_p if bs_p else None), n_fp),
                    ("backstride / fitfast", f"{bs_f:.2f}", f"{ff:.2f}",
                     fmt_ratio(bs_f / ff if ff else None), n_ff),
                    ("before (fitdecode path, 1 run) / backstride", f"{bs_b:.2f}", f"{before:.2f}",
                     fmt_ratio(before / bs_b if bs_b else None), n_b)])
    xml_totals = []
    for kind in ("gpx", "tcx"):
        peer = MAIN_PEER[kind]
        a, b, n = total(by_kind[kind], "backstride", peer)
        xml_totals.append((f"{kind.upper()}: backstride / {peer}", f"{a:.2f}", f"{b:.2f}",
                           fmt_ratio(a / b if b else None), n))
        a, b, n = total(by_kind[kind], "backstride", "ElementTree")
        xml_totals.append((f"{kind.upper()}: backstride / ElementTree parse", f"{a:.2f}",
                           f"{b:.2f}", fmt_ratio(a / b if b else None), n))
    checks = _checks(rows, bs, fd, bs_p, fp)
    markdown = "\n\n".join([
        __doc__.split("\n\n", 1)[1].strip(),
        "### FIT\n\n" + fit_table(fits),
        "### GPX\n\n" + xml_table(by_kind["gpx"], "gpxpy"),
        "### TCX\n\n" + xml_table(by_kind["tcx"], "tcxreader"),
        "### Totals\n\n" + totals + "\n\n" + table(
            ["XML total over files both read", "backstride s", "peer s", "ratio", "files"],
            xml_totals),
        "### Files a tool could not read\n\n" + failures(rows),
    ])
    return Section("imports", "1. Activity import vs peers", markdown, checks)


def _checks(rows: list[Row], bs: float, fd: float, bs_p: float, fp: float) -> list[Check]:
    part = "imports"
    checks = [
        Check(part, f"full import ≤ {MAX_VS_FITDECODE}× fitdecode's raw decode (FIT total)",
              f"{bs / fd:.2f}×" if fd else "—", bool(fd) and bs / fd <= MAX_VS_FITDECODE),
        Check(part, f"full import ≥ {MIN_VS_FITPARSE}× faster than fitparse (FIT total)",
              f"{fp / bs_p:.2f}×" if bs_p else "—", bool(bs_p) and fp / bs_p >= MIN_VS_FITPARSE),
    ]
    for r in rows:
        if not r.name.startswith("synthetic/"):
            continue
        peer = MAIN_PEER[r.kind]
        value = ratio(r.times["backstride"], r.times[peer])
        checks.append(Check(
            part, f"{r.name}: import < {MAX_SIX_HOURS_VS_DECODE}× {peer}'s raw decode",
            fmt_ratio(value), value is not None and value < MAX_SIX_HOURS_VS_DECODE))
    return checks
