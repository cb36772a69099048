"""``backstride import`` and the plan's exports, driven as a person would: a subprocess.

The corpus sweep runs every file of ``../shared/corpus`` through the command:
one subprocess per format folder, each calling ``main()`` in a loop, so the
whole corpus costs three interpreter start-ups rather than eighty-five.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import fitdecode
import icalendar
import pytest

from backstride.core.segmentation import BoutKind
from backstride.formats.synthetic import Leg, synthetic_tcx
from tests.conftest import CORPUS

FENIX2_RUN = CORPUS / "fit" / "fitparse__activity-small-fenix2-run.fit"
NO_CLOCK = CORPUS / "fit" / "fitparse__antfs-dump.63.fit"
COURSE = CORPUS / "tcx" / "togeojson__tcx-courses.tcx"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "backstride.cli.main", *args],
        input=stdin, capture_output=True, timeout=120, check=False,
    )
    return subprocess.CompletedProcess(result.args, result.returncode,
                                       result.stdout.decode(), result.stderr.decode())


def assert_refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit code 2, nothing on stdout, one line on stderr naming the problem."""
    assert 2 == result.returncode
    assert "" == result.stdout
    assert 1 == len(result.stderr.splitlines()), result.stderr
    assert result.stderr.startswith("backstride: error: ")
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


# --- import ----------------------------------------------------------------------------


def test_import_prints_the_summary_and_the_bouts_of_a_run() -> None:
    result = run("import", str(FENIX2_RUN))
    assert 0 == result.returncode, result.stderr
    out = result.stdout
    for expected in ("Sport:     running", "Start:     2015-08-15 14:45:08 UTC",
                     "Duration:  47 min 13 s", "Distance:  9.01 km", "Device:    garmin/fenix2",
                     "Running:   44 min 25 s in 5 bouts, 166 steps/min"):
        assert expected in out
    table = out.split("\n\n", 1)[1].splitlines()
    assert table[0].split() == ["#", "Kind", "Start", "Duration", "Distance", "Cadence"]
    assert table[1].split()[:3] == ["1", "run", "0:00"]


def test_import_json_gives_the_activity_and_bouts_that_tile_it() -> None:
    result = run("import", str(FENIX2_RUN), "--json")
    assert 0 == result.returncode, result.stderr
    data = json.loads(result.stdout)
    assert {"sport": "running", "format": "fit", "device": "garmin/fenix2",
            "start": "2015-08-15T14:45:08+00:00"} == {
        k: data[k] for k in ("sport", "format", "device", "start")}
    bouts = data["bouts"]
    assert {"run", "walk", "pause"} >= {b["kind"] for b in bouts}
    assert sum(b["duration_seconds"] for b in bouts) == pytest.approx(data["duration_seconds"],
                                                                       abs=1)
    runs = [b for b in bouts if b["kind"] == "run"]
    assert data["run_walk"]["run_bouts"] == len(runs)
    assert data["run_walk"]["running_seconds"] == pytest.approx(
        sum(b["duration_seconds"] for b in runs), abs=1)


def test_import_reads_a_recording_without_a_clock_and_says_the_start_is_unknown() -> None:
    result = run("import", str(NO_CLOCK))
    assert 0 == result.returncode, result.stderr
    assert "Start:     unknown (the device's clock was not set)" in result.stdout
    assert json.loads(run("import", str(NO_CLOCK), "--json").stdout)["start"] is None


def test_import_reads_standard_input(tmp_path: Path) -> None:
    legs = [Leg(BoutKind.WALK, 120), Leg(BoutKind.RUN, 60), Leg(BoutKind.WALK, 120)]
    result = run("import", "-", "--json", stdin=synthetic_tcx(legs))
    assert 0 == result.returncode, result.stderr
    assert ["walk", "run", "walk"] == [b["kind"] for b in json.loads(result.stdout)["bouts"]]


@pytest.mark.parametrize(("content", "words"), [
    (b"", ("empty",)),
    (b"\x00\x01 not an activity" * 10, ("not a FIT, GPX or TCX file",)),
    (b"<html><body>hello</body></html>", ("neither GPX nor TCX",)),
    (b"\x1f\x8b\x08\x00garbage", ("gzip",)),
], ids=["empty", "random-bytes", "html", "broken-gzip"])
def test_import_refuses_a_file_that_is_not_an_activity_in_one_line(
    tmp_path: Path, content: bytes, words: tuple[str, ...]
) -> None:
    path = tmp_path / "upload.fit"
    path.write_bytes(content)
    assert_refused(run("import", str(path)), "upload.fit", *words)


def test_import_refuses_a_course_a_missing_file_and_a_folder(tmp_path: Path) -> None:
    assert_refused(run("import", str(COURSE)), "course")
    assert_refused(run("import", str(tmp_path / "missing.fit")), "cannot read file")
    assert_refused(run("import", str(tmp_path)), "cannot read file")


def test_import_refuses_a_file_over_the_size_cap_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.fit"
    with path.open("wb") as handle:  # sparse: 65 MiB that take no disk space
        handle.truncate(65 * 2**20)
    assert_refused(run("import", str(path)), "huge.fit", "larger than 64 MiB")


# The sweep: every corpus file, in one process per folder, via main() in a loop.
SWEEP = """
import contextlib, io, json, sys
from backstride.cli.main import main
rows = []
for path in sys.argv[1:]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err):
        try:
            code = main(["import", path, "--json"], out=out)
        except BaseException as exc:  # what would have been a traceback
            code = f"raised {type(exc).__name__}: {exc}"
    rows.append({"file": path, "code": code, "stdout": out.getvalue(), "stderr": err.getvalue()})
print(json.dumps(rows))
"""


@pytest.fixture(scope="module")
def corpus_sweep() -> list[dict[str, object]]:
    folders = sorted(p for p in CORPUS.iterdir() if p.is_dir())
    processes = [
        subprocess.Popen([sys.executable, "-c", SWEEP, *map(str, sorted(folder.iterdir()))],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for folder in folders
    ]
    rows: list[dict[str, object]] = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=300)
        assert 0 == process.returncode, stderr.decode()
        assert b"Traceback" not in stderr
        rows += json.loads(stdout)
    return rows


def test_the_sweep_covers_every_corpus_file(corpus_sweep: list[dict[str, object]]) -> None:
    every = sorted(str(p) for p in CORPUS.rglob("*") if p.is_file() and p.parent != CORPUS)
    assert every == sorted(str(r["file"]) for r in corpus_sweep)
    assert len(every) >= 80


def test_every_corpus_file_is_read_or_refused_in_one_line(
    corpus_sweep: list[dict[str, object]]
) -> None:
    for row in corpus_sweep:
        name = Path(str(row["file"])).name
        assert row["code"] in (0, 2), f"{name}: {row['code']}"
        if row["code"] == 0:
            data = json.loads(str(row["stdout"]))
            assert {"sport", "start", "duration_seconds", "distance_metres", "device",
                    "bouts"} <= data.keys(), name
            assert "" == row["stderr"], name
        else:
            assert "" == row["stdout"], name
            lines = str(row["stderr"]).splitlines()
            assert 1 == len(lines), f"{name}: {row['stderr']}"
            assert lines[0].startswith("backstride: error: "), name
            assert name in lines[0], "the message names the file"


def test_the_sweep_reads_most_of_the_corpus(corpus_sweep: list[dict[str, object]]) -> None:
    """Guard against a sweep that passes because everything was refused."""
    read = [r for r in corpus_sweep if r["code"] == 0]
    refused = [r for r in corpus_sweep if r["code"] == 2]
    assert len(read) >= 60 and len(refused) >= 10


# --- plan exports ----------------------------------------------------------------------


def plan_args(tmp_path: Path) -> list[str]:
    return ["plan", "--start", "2025-03-03", "--days", "mon,wed,fri",
            "--ics", str(tmp_path / "plan.ics"), "--fit", str(tmp_path / "watch")]


def test_plan_writes_a_calendar_with_one_event_per_session(tmp_path: Path) -> None:
    result = run(*plan_args(tmp_path), "--json")
    assert 0 == result.returncode, result.stderr
    json.loads(result.stdout)  # the exports never spoil the JSON on stdout
    events = list(icalendar.Calendar.from_ical((tmp_path / "plan.ics").read_bytes())
                  .walk("VEVENT"))
    assert 36 == len(events)
    first = events[0]
    assert "plan-2025-03-03-session-1@backstride" == str(first["uid"])
    assert "Run-walk, level 1" == str(first["summary"])
    assert str(first["description"]).startswith("Warm up 5:00, 10 × (Run 0:15, Walk 1:30)")
    assert "wrote 36 sessions" in result.stderr


def test_exporting_the_plan_again_keeps_every_uid(tmp_path: Path) -> None:
    def uids() -> list[str]:
        data = (tmp_path / "plan.ics").read_bytes()
        return [str(e["uid"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")]

    assert 0 == run(*plan_args(tmp_path)).returncode
    before = uids()
    assert 0 == run(*plan_args(tmp_path)).returncode
    assert before == uids()


def test_plan_writes_one_fit_workout_per_session_named_by_date_and_level(tmp_path: Path) -> None:
    assert 0 == run(*plan_args(tmp_path)).returncode
    files = sorted((tmp_path / "watch").iterdir())
    assert 36 == len(files)
    assert ["2025-03-03-L01.fit", "2025-03-05-L02.fit"] == [f.name for f in files[:2]]
    for path in files:
        with fitdecode.FitReader(io.BytesIO(path.read_bytes()),
                                 check_crc=fitdecode.CrcCheck.RAISE,
                                 error_handling=fitdecode.ErrorHandling.RAISE) as reader:
            names = [f.name for f in reader if isinstance(f, fitdecode.FitDataMessage)]
        assert names[:2] == ["file_id", "workout"], path.name


def test_plan_refuses_a_fit_folder_it_cannot_create(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = run("plan", "--start", "2025-03-03", "--days", "mon,wed,fri", "--fit",
                 str(blocker / "watch"))
    assert 2 == result.returncode
    assert 1 == len([line for line in result.stderr.splitlines() if "error" in line])
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr

