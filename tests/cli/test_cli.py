"""The vignette interface (CLINICAL.md section 5), driven as a clinician would: a subprocess."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from backstride.core import evidence
from tests.conftest import ROOT, SHARED

VIGNETTES = ROOT / "examples" / "vignettes"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backstride.cli.main", *args],
        input=stdin, capture_output=True, text=True, timeout=60, check=False,
    )


def write(tmp_path: Path, data: object, name: str = "input.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def vignette(name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((VIGNETTES / f"{name}.json").read_text())
    return data


@pytest.mark.parametrize("path", sorted(VIGNETTES.glob("triage-*.json")), ids=lambda p: p.stem)
def test_each_example_triage_vignette_gets_its_expected_outcome(path: Path) -> None:
    result = run("triage", str(path))
    assert 0 == result.returncode, result.stderr
    out = json.loads(result.stdout)
    assert json.loads(path.read_text())["expected"] == out["outcome"]
    assert out["reasons"], "every outcome is explained"
    for reason in out["reasons"]:
        assert reason["rule"] in evidence.RULES
        assert list(evidence.RULES[reason["rule"]].sources) == reason["sources"]


@pytest.mark.parametrize("path", sorted(VIGNETTES.glob("decide-*.json")), ids=lambda p: p.stem)
def test_each_example_decide_vignette_gets_its_expected_decision(path: Path) -> None:
    result = run("decide", str(path))
    assert 0 == result.returncode, result.stderr
    out = json.loads(result.stdout)
    assert json.loads(path.read_text())["expected"] == out["decision"]
    assert {"decision", "next_level", "next_session", "alerts", "reasons"} <= out.keys()
    assert {"warm_up", "intervals", "cool_down", "total_running_seconds"} <= out[
        "next_session"].keys()


def test_decide_reports_the_red_flag_as_a_critical_alert_with_no_running() -> None:
    out = json.loads(run("decide", str(VIGNETTES / "decide-red-flag.json")).stdout)
    assert [{"severity": "critical", "rule": "R-REDFLAG"}] == [
        {"severity": a["severity"], "rule": a["rule"]} for a in out["alerts"]]
    assert 0 == out["next_session"]["total_running_seconds"]


def test_a_dash_reads_the_vignette_from_standard_input() -> None:
    result = run("triage", "-", stdin=json.dumps(vignette("triage-cauda-equina")))
    assert 0 == result.returncode
    assert "emergency" == json.loads(result.stdout)["outcome"]


def test_triage_schema_lists_every_vocabulary_id() -> None:
    result = run("triage", "--schema")
    assert 0 == result.returncode
    text = result.stdout
    for word in ("saddle_numbness", "long_term_corticosteroids", "spondylolisthesis",
                 "faint_or_dizzy_on_exertion", "below_knee", "startback"):
        assert word in text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pain_now": 11}, "pain_now"),
        ({"pain_now": True}, "pain_now"),
        ({"red_flags": ["headache"]}, "red_flags"),
        ({"sex": "unknown"}, "sex"),
        ({"flare_now": "no"}, "flare_now"),
    ],
)
def test_bad_triage_input_exits_2_with_one_line_naming_the_field(
    tmp_path: Path, change: dict[str, object], field: str
) -> None:
    data = vignette("triage-eligible") | change
    result = run("triage", write(tmp_path, data))
    assert 2 == result.returncode
    assert "" == result.stdout
    assert 1 == len(result.stderr.strip().splitlines())
    assert field in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_required_triage_field_is_named(tmp_path: Path) -> None:
    data = vignette("triage-eligible")
    del data["episode_weeks"]
    result = run("triage", write(tmp_path, data))
    assert 2 == result.returncode
    assert "episode_weeks" in result.stderr


def test_under_18_is_refused_with_exit_2_but_still_gets_emergency_advice(tmp_path: Path) -> None:
    data = vignette("triage-cauda-equina") | {"age": 16}
    result = run("triage", write(tmp_path, data))
    assert 2 == result.returncode
    assert "18" in result.stderr
    assert "emergency" in result.stderr.lower()


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d["sessions"][1].update(pain_after=12), "sessions[1].pain_after"),
        (lambda d: d["sessions"][0].pop("status"), "sessions[0].status"),
        (lambda d: d["sessions"][0].update(symptoms=["sore"]), "sessions[0].symptoms[0]"),
        (lambda d: d.pop("today"), "today"),
        (lambda d: d["checkins"][0].update(rest_pain=-1), "checkins[0].rest_pain"),
    ],
)
def test_bad_decide_input_exits_2_naming_the_field(tmp_path: Path, mutate, field: str) -> None:  # type: ignore[no-untyped-def]
    data = vignette("decide-progress")
    mutate(data)
    result = run("decide", write(tmp_path, data))
    assert 2 == result.returncode
    assert field in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not valid JSON"), ("[1, 2]", "object")],
)
def test_malformed_files_exit_2(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    for command in ("triage", "decide"):
        result = run(command, str(path))
        assert 2 == result.returncode
        assert message in result.stderr
        assert "Traceback" not in result.stderr


def test_a_missing_file_exits_2() -> None:
    result = run("decide", "/nonexistent/vignette.json")
    assert 2 == result.returncode
    assert "cannot read" in result.stderr


def test_plan_prints_a_table_with_run_walk_strength_and_rest_days() -> None:
    result = run("plan", "--start", "2026-03-02", "--days", "mon,wed,sat", "--weeks", "2")
    assert 0 == result.returncode, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["Week", "Date", "Day", "Activity"]
    assert 6 == sum("Run-walk, level" in line for line in lines)
    assert 2 == sum(re.search(r"\bRest\b", line) is not None for line in lines)
    assert "2026-03-15" in result.stdout and "2026-03-16" not in result.stdout


def test_plan_json_has_one_entry_per_day() -> None:
    result = run("plan", "--start", "2026-03-02", "--days", "tue,thu", "--profile",
                 "conservative", "--json")
    assert 0 == result.returncode, result.stderr
    days = json.loads(result.stdout)["days"]
    assert 84 == len(days)
    assert 24 == sum(d["kind"] == "run_walk" for d in days)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--days", "mon,tue,fri"], "days"),
        (["--days", "mon,funday"], "days"),
        (["--days", "mon,wed,fri", "--sessions", "2"], "sessions"),
        (["--days", "mon,wed,fri", "--weeks", "0"], "weeks"),
        (["--days", "mon,wed,fri", "--start", "2026-02-30"], "start"),
    ],
)
def test_bad_plan_options_exit_2_naming_the_option(args: list[str], field: str) -> None:
    base = ["plan", "--start", "2026-03-02"]
    result = run(*base, *args)
    assert 2 == result.returncode, result.stdout
    assert field in result.stderr
    assert "Traceback" not in result.stderr


def test_rules_prints_every_rule_id_of_the_specification_with_its_sources() -> None:
    spec = (SHARED / "CLINICAL.md").read_text(encoding="utf-8")
    spec_ids = set(re.findall(r"^\| ([TPRO]-[A-Z]+) \|", spec, flags=re.MULTILINE))
    assert len(spec_ids) >= 39
    out = run("rules").stdout
    for rule_id in spec_ids:
        assert re.search(rf"^{rule_id} ", out, flags=re.MULTILINE), rule_id
        sources = ", ".join(evidence.RULES[rule_id].sources)
        assert sources in out
    assert spec_ids <= set(evidence.RULES)
    # Product rules beyond the specification are clinician rules (C-), printed too.
    extra = set(evidence.RULES) - spec_ids
    assert all(rule_id.startswith("C-") for rule_id in extra), extra
    for rule_id in extra:
        assert re.search(rf"^{rule_id} ", out, flags=re.MULTILINE), rule_id


def test_every_source_of_the_specification_is_in_the_registry() -> None:
    spec = (SHARED / "CLINICAL.md").read_text(encoding="utf-8")
    registry = spec.split("## Source registry")[1]
    ids = set(re.findall(r"^\| ([A-Z0-9]+(?:-[A-Z0-9]+)*) \|", registry, flags=re.MULTILINE))
    ids.discard("SEED-000")  # the row reads "SEED-000 … SEED-004"
    expected = ids | {f"SEED-00{n}" for n in range(5)}
    assert expected <= set(evidence.SOURCES)
    for rule in evidence.RULES.values():
        assert set(rule.sources) <= set(evidence.SOURCES), rule.id
