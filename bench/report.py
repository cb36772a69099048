"""bench/results.md: the machine, the date, every target met or missed, then each part.

Each part leaves its Markdown in ``var/bench/<part>.md`` (with the date it ran);
this assembles whatever parts have run, so ``--only`` refreshes one part
without losing the others.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from bench.measure import FRAGMENTS, REPO, Check, Section, checks_table, machine, now

RESULTS = REPO / "bench" / "results.md"
ORDER = ("imports", "load", "scaling", "scale_out", "run")
INTRO = """# Benchmark results (issue 8)

Written by `make bench` (`python -m bench`); do not edit by hand except the
profiling notes in `bench/profile_notes.md`. Every figure below was measured on
the machine named under each part, in one run of that part; ratios compare
figures measured in the same process (imports, scaling) or the same load run
(load, scale-out). A target that was missed says so, with the measured figure.
"""


def save(section: Section, directory: Path = FRAGMENTS) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = f"*Measured {now()} on {machine()}.*"
    (directory / f"{section.part}.md").write_text(
        f"## {section.title}\n\n{stamp}\n\n{section.markdown}\n")
    (directory / f"{section.part}.json").write_text(json.dumps(
        [c.__dict__ for c in section.checks], indent=1))


MAX_MINUTES = 20  # issue 8: `make bench` end to end on a fresh clone


def save_durations(durations: dict[str, float], directory: Path = FRAGMENTS,
                   started: str | None = None) -> None:
    """How long each part of a full run took (the run's own clock), and the whole command.

    ``make bench`` passes its own start (``BENCH_STARTED``, seconds since the
    epoch, taken before it installs anything), so on a fresh clone the check
    covers the install and PostgreSQL's start too; without it, the parts alone.
    """
    started = os.environ.get("BENCH_STARTED") if started is None else started
    parts = sum(durations.values())
    lines = ", ".join(f"{name} {seconds / 60:.1f} min" for name, seconds in durations.items())
    whole = time.time() - float(started) if started and started.isdigit() else None
    if whole is not None:
        what = "`make bench` end to end (install, PostgreSQL's start, every part)"
        summary = f"together {parts / 60:.1f} min; `make bench` from its start {whole / 60:.1f} min"
    else:
        what = "all parts of `make bench` (without the install and PostgreSQL's start)"
        summary = f"together {parts / 60:.1f} min"
    total = parts if whole is None else whole
    check = Check("run", f"{what} under {MAX_MINUTES} min", f"{total / 60:.1f} min",
                  total < 60 * MAX_MINUTES)
    (directory / "run.md").write_text(f"## The run\n\n*{now()}.* Parts: {lines}; {summary}.\n")
    (directory / "run.json").write_text(json.dumps([check.__dict__]))


def assemble(directory: Path = FRAGMENTS, out: Path = RESULTS) -> str:
    parts, checks = [], []
    for part in ORDER:
        fragment = directory / f"{part}.md"
        if fragment.exists():
            parts.append(fragment.read_text())
            checks += [Check(**c) for c in json.loads((directory / f"{part}.json").read_text())]
    notes = REPO / "bench" / "profile_notes.md"
    if notes.exists():
        parts.append(notes.read_text())
    text = "\n".join([INTRO, "## Targets\n", checks_table(checks) + "\n", *parts])
    out.write_text(text)
    return text
