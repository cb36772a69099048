"""The ``backstride`` command: the vignette interface of CLINICAL.md section 5.

    backstride triage FILE.json | -        screen one person, print JSON
    backstride triage --schema             every input field and vocabulary
    backstride decide FILE.json | -        decide the next step, print JSON
    backstride plan --start DATE --days mon,wed,sat [--weeks 12] [--sessions 3]
                    [--profile standard|conservative] [--json]
                    [--ics FILE.ics] [--fit DIR]   also write a calendar / watch workouts
    backstride import FILE [--json]        read a FIT, GPX or TCX file: summary and bouts
    backstride rules [--markdown]          every rule id, text and sources

Bad input exits with code 2 and one line naming the problem; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NoReturn, TextIO

from backstride.cli import exports, render
from backstride.core.errors import BackstrideError
from backstride.core.history import parse_history
from backstride.core.plans import Plan, PlanRequest, build_plan, parse_weekdays
from backstride.core.progression import decide_next
from backstride.core.segmentation import segment
from backstride.core.triage import parse_screening, screening_schema, triage
from backstride.formats import MAX_ACTIVITY_BYTES, read_activity

EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """Input the command cannot use; the message is printed as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"backstride: error: {message}\n")


def _read_json(source: str) -> object:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"{source}: cannot read file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise BadInput(f"{source}: not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: "
                       f"{exc.msg})") from None


def _print_json(data: object, out: TextIO) -> None:
    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")


def cmd_triage(args: argparse.Namespace, out: TextIO) -> int:
    if args.schema:
        _print_json(screening_schema(), out)
        return 0
    if args.file is None:
        raise BadInput("triage needs a FILE.json (or - for standard input), or --schema")
    result = triage(parse_screening(_as_mapping(_read_json(args.file))))
    _print_json(result.as_dict(), out)
    return 0


def cmd_decide(args: argparse.Namespace, out: TextIO) -> int:
    history, today = parse_history(_read_json(args.file))
    _print_json(decide_next(history, today=today).as_dict(), out)
    return 0


def cmd_plan(args: argparse.Namespace, out: TextIO) -> int:
    try:
        start = date.fromisoformat(args.start)
    except ValueError:
        raise BadInput(f"--start: must be a date written YYYY-MM-DD, not {args.start!r}") from None
    weekdays = parse_weekdays(args.days)
    sessions = args.sessions if args.sessions is not None else len(weekdays)
    request = PlanRequest(start=start, weekdays=weekdays, weeks=args.weeks,
                          sessions_per_week=sessions, profile=args.profile)
    plan = build_plan(request)
    if args.json:
        _print_json(plan.as_dict(), out)
    else:
        out.write(render.plan_table(plan))
    _write_exports(args, plan)
    return 0


def _write_exports(args: argparse.Namespace, plan: Plan) -> None:
    """``--ics`` and ``--fit``; what was written is said on stderr (stdout may be JSON)."""
    try:
        if args.ics:
            count = exports.write_calendar(plan, Path(args.ics), stamp=datetime.now(UTC))
            print(f"backstride: wrote {count} sessions to {args.ics}", file=sys.stderr)
        if args.fit:
            written = exports.write_workouts(plan, Path(args.fit))
            print(f"backstride: wrote {len(written)} workouts to {args.fit}", file=sys.stderr)
    except OSError as exc:
        raise BadInput(f"{exc.filename or 'output'}: cannot write ({exc.strerror})") from None


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    name, data = _read_bytes(args.file)
    activity = read_activity(data, filename=name)
    segments = segment(activity)
    if args.json:
        _print_json(render.activity_dict(activity, segments, name=name), out)
    else:
        out.write(render.activity_text(activity, segments, name=name))
    return 0


def _read_bytes(source: str) -> tuple[str, bytes]:
    """The file's name and bytes (``-``: standard input), refusing one too big to read."""
    if source == "-":
        return "standard input", sys.stdin.buffer.read(MAX_ACTIVITY_BYTES + 1)
    path = Path(source)
    try:
        if path.stat().st_size > MAX_ACTIVITY_BYTES:
            raise BadInput(f"{path.name}: larger than {MAX_ACTIVITY_BYTES // 2**20} MiB")
        return path.name, path.read_bytes()
    except OSError as exc:
        raise BadInput(f"{source}: cannot read file ({exc.strerror})") from None


def cmd_rules(args: argparse.Namespace, out: TextIO) -> int:
    out.write(render.rules_markdown() if args.markdown else render.rules_text())
    return 0


def _as_mapping(data: object) -> dict[str, object]:
    if not isinstance(data, dict):
        raise BadInput("input: must be a JSON object")
    return data


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="backstride", description="Backstride clinical engine.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("triage", help="screen one person (CLINICAL.md section 1)")
    p.add_argument("file", nargs="?", help="screening JSON file, or - for standard input")
    p.add_argument("--schema", action="store_true", help="print every field and vocabulary")
    p.set_defaults(handler=cmd_triage)

    p = sub.add_parser("decide", help="decide the next session (CLINICAL.md section 3)")
    p.add_argument("file", help="history JSON file, or - for standard input")
    p.set_defaults(handler=cmd_decide)

    p = sub.add_parser("plan", help="print a dated run-walk schedule (CLINICAL.md section 2)")
    p.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--days", required=True, help="run-walk weekdays, e.g. mon,wed,sat")
    p.add_argument("--weeks", type=int, default=12, help="program length (default 12)")
    p.add_argument("--sessions", type=int, default=None,
                   help="run-walk sessions a week (default: the number of --days)")
    p.add_argument("--profile", choices=("standard", "conservative"), default="standard")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--ics", metavar="FILE", help="also write the sessions as a calendar (.ics)")
    p.add_argument("--fit", metavar="DIR",
                   help="also write one FIT workout per run-walk session into DIR")
    p.set_defaults(handler=cmd_plan)

    p = sub.add_parser("import", help="read a FIT, GPX or TCX activity: summary and bouts")
    p.add_argument("file", help="activity file (optionally gzip or zip), or - for standard input")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("rules", help="print every clinical rule with its sources")
    p.add_argument("--markdown", action="store_true", help="print docs/clinical-rules.md")
    p.set_defaults(handler=cmd_rules)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace, TextIO], int] = args.handler
    try:
        return handler(args, out or sys.stdout)
    except BackstrideError as exc:
        return _fail(f"{exc.field}: {exc.message}" if exc.field else exc.message)
    except BadInput as exc:
        return _fail(str(exc))


def _fail(message: str) -> int:
    one_line = " ".join(message.split())  # a decoder's message may hold line breaks
    print(f"backstride: error: {one_line}", file=sys.stderr)
    return EXIT_BAD_INPUT


if __name__ == "__main__":
    raise SystemExit(main())
