"""``python -m bench [--smoke] [--only PART,...]``: run the benchmarks, print, write results.

Full runs write ``bench/results.md``; smoke runs (tiny data, ≈10 s a part)
write only under a temporary directory, so CI never touches the results.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import report
from bench.measure import Section, checks_table


def _parts() -> dict[str, Callable[..., Section]]:
    # Imported lazily: the web parts set up Django, the import part must not need it.
    from bench import imports, load, scale_out, scaling

    # scaling last: it grows the load test's clinic to 10,000 patients.
    return {"imports": imports.run, "load": load.run, "scale_out": scale_out.run,
            "scaling": scaling.run}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny data, a few seconds a part")
    parser.add_argument("--only", default="", help="comma-separated parts: " + ", ".join(
        ("imports", "load", "scale_out", "scaling")))
    args = parser.parse_args(argv)
    parts = _parts()
    wanted = [p for p in args.only.split(",") if p] or list(parts)
    unknown = set(wanted) - set(parts)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    directory = Path(tempfile.mkdtemp(prefix="bench-smoke-")) if args.smoke else None
    durations: dict[str, float] = {}
    for name in wanted:
        started = time.monotonic()
        print(f"== bench {name}{' (smoke)' if args.smoke else ''}", flush=True)
        section = parts[name](smoke=args.smoke)
        print(section.markdown, "\n", checks_table(section.checks), sep="\n", flush=True)
        durations[name] = time.monotonic() - started
        print(f"== {name}: {durations[name]:.0f} s", flush=True)
        if directory is not None:
            report.save(section, directory)
        else:
            report.save(section)
    if directory is None:
        if set(wanted) == set(parts):
            report.save_durations(durations)
        report.assemble()
        print(f"wrote {report.RESULTS.relative_to(report.REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
