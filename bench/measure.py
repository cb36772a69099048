"""What every benchmark part shares: timing with spread, peak memory, the machine, tables.

A part returns a :class:`Section`: its Markdown for ``bench/results.md`` and
its :class:`Check` of each target (met or missed, with the measured figure).
Targets are never adjusted here: a missed one is reported as missed.
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("BACKSTRIDE_CORPUS", REPO.parent / "shared" / "corpus"))
FRAGMENTS = REPO / "var" / "bench"  # one Markdown fragment per part, assembled by report.py


@dataclass(frozen=True)
class Timing:
    """Seconds per call over ``runs`` calls after one warm-up call; ``error`` if it raised."""

    runs: int
    low: float
    median: float
    high: float
    error: str | None = None
    peak: int | None = None  # bytes, when measured (tracemalloc, during the warm-up call)

    @property
    def ok(self) -> bool:
        return self.error is None


def timed(fn: Callable[[], Any], *, budget: float = 1.0, min_runs: int = 3,
          max_runs: int = 15, warm_up: bool = True, memory: bool = False) -> Timing:
    """Warm up once, then call ``fn`` until ``budget`` seconds (within the run bounds).

    With ``memory`` the warm-up call runs under tracemalloc and its peak is
    kept in :attr:`Timing.peak` (the warm-up's time is thrown away anyway, so
    measuring memory costs no extra call). A call that raises is reported with
    its error: a peer that cannot read a file has no time to compare.
    """
    peak = None
    first = None
    if warm_up:
        gc.collect()
        start = time.perf_counter()
        if memory:
            tracemalloc.start()
        try:
            fn()
        except Exception as exc:  # a peer's failure is a result, not a crash of the benchmark
            return Timing(1, time.perf_counter() - start, 0.0, 0.0,
                          f"{type(exc).__name__}: {exc}"[:80])
        finally:
            if memory:
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
        first = time.perf_counter() - start
    samples: list[float] = []
    while len(samples) < max_runs:
        gc.collect()
        start = time.perf_counter()
        try:
            fn()
        except Exception as exc:
            return Timing(1, time.perf_counter() - start, 0.0, 0.0,
                          f"{type(exc).__name__}: {exc}"[:80])
        samples.append(time.perf_counter() - start)
        if len(samples) >= min_runs and sum(samples) + (first or 0) >= budget:
            break
    return Timing(len(samples), min(samples), statistics.median(samples), max(samples),
                  peak=peak)


@dataclass(frozen=True)
class Check:
    """One target of issue 8 and what was measured."""

    part: str
    target: str
    measured: str
    met: bool


@dataclass
class Section:
    part: str
    title: str
    markdown: str
    checks: list[Check] = field(default_factory=list)


def machine() -> str:
    """CPU, cores, memory, OS and Python: the line every result is read against."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    system = platform.freedesktop_os_release().get("PRETTY_NAME", platform.platform()) \
        if hasattr(platform, "freedesktop_os_release") else platform.platform()
    return (f"{cpu}, {os.cpu_count()} cores{memory}; {system}; "
            f"Python {platform.python_version()}")


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def spread(t: Timing) -> str:
    """min / median / max in milliseconds."""
    if not t.ok:
        return "—"
    return f"{ms(t.low)} / {ms(t.median)} / {ms(t.high)}"


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table (it reads as plain text on a terminal too)."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
             for row in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def checks_table(checks: Sequence[Check]) -> str:
    return table(["part", "target", "measured", "result"],
                 [(c.part, c.target, c.measured, "met" if c.met else "**MISSED**")
                  for c in checks])
