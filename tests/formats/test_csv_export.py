"""The sessions CSV: its header is the data dictionary, one row per session, safe cells."""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backstride.core.export_records import LoggedSession, PatientExport, PatientRecord
from backstride.core.progression import SessionRecord, Status
from backstride.formats.csv_export import (
    COLUMNS,
    DATA_DICTIONARY,
    ExportError,
    sessions_csv,
)

START = date(2025, 3, 3)


def a_log(log_id: str, day: date = START, **session: Any) -> LoggedSession:
    values: dict[str, Any] = {
        "date": day, "status": Status.DONE, "pain_before": 3, "pain_during": 4,
        "pain_after": 2, "pain_next_morning": 1, "talk_test_ok": True, "run_seconds": 150,
    }
    return LoggedSession(
        id=log_id, session=SessionRecord(**{**values, **session}), decision="progress",
        next_level=2, reasons=("R-MORNING", "R-PROGRESS"),
        logged_at=datetime(day.year, day.month, day.day, 18, tzinfo=UTC),
    )


def an_export(patient_id: str, *logs: LoggedSession) -> PatientExport:
    patient = PatientRecord(id=patient_id, time_zone="Europe/London", enrolled_on=START,
                            program_baseline_pain=4.0)
    return PatientExport(patient=patient, sessions=logs)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_the_header_is_the_data_dictionary_in_order() -> None:
    header = next(csv.reader(io.StringIO(sessions_csv([]))))
    assert [column for column, _, _ in DATA_DICTIONARY] == header
    assert list(COLUMNS) == header
    assert all(kind and meaning for _, kind, meaning in DATA_DICTIONARY)


def test_there_is_one_row_per_logged_session_in_date_order_per_patient() -> None:
    text = sessions_csv([
        an_export("b", a_log("b-2", START + timedelta(2)), a_log("b-1")),
        an_export("a", a_log("a-1")),
    ])
    assert [("b", "b-1"), ("b", "b-2"), ("a", "a-1")] == [
        (r["patient_id"], r["session_id"]) for r in rows(text)]


def test_a_row_holds_the_session_as_logged() -> None:
    log = a_log("log-1", other_pain={"knee": 3, "ankle": 2}, symptoms=("fever_or_unwell",))
    stamp = datetime(2025, 3, 4, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    (row,) = rows(sessions_csv([an_export("p", dataclasses.replace(log, logged_at=stamp))]))
    assert {
        "patient_id": "p", "session_id": "log-1", "date": "2025-03-03", "status": "done",
        "pain_before": "3", "pain_during": "4", "pain_after": "2", "pain_next_morning": "1",
        "talk_test_ok": "true", "other_pain": "ankle=2;knee=3", "symptoms": "fever_or_unwell",
        "run_seconds": "150", "decision": "progress", "next_level": "2",
        "rules": "R-MORNING;R-PROGRESS", "logged_at": "2025-03-04T07:30:00Z",
    } == row


def test_what_was_not_recorded_is_an_empty_cell() -> None:
    missed = a_log("m", status=Status.MISSED, pain_before=None, pain_during=None,
                   pain_after=None, pain_next_morning=None, talk_test_ok=None, run_seconds=0)
    (row,) = rows(sessions_csv([an_export("p", missed)]))
    assert ("missed", "", "", "", "", "", "", "0") == (
        row["status"], row["pain_before"], row["pain_during"], row["pain_after"],
        row["pain_next_morning"], row["talk_test_ok"], row["other_pain"], row["run_seconds"])


@pytest.mark.parametrize("payload", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)",
                                     "\tcmd", "\r=1"])
def test_a_cell_that_would_run_as_a_formula_gets_a_leading_apostrophe(payload: str) -> None:
    text = sessions_csv([an_export(payload, a_log(payload, other_pain={"@knee": 3}))])
    (row,) = rows(text)
    assert f"'{payload}" == row["patient_id"]
    assert f"'{payload}" == row["session_id"]
    assert "'@knee=3" == row["other_pain"]


def test_ordinary_cells_are_left_alone() -> None:
    (row,) = rows(sessions_csv([an_export("x=1", a_log("a-b"))]))
    assert ("x=1", "a-b") == (row["patient_id"], row["session_id"])


def test_a_pain_of_11_is_an_export_error_naming_the_field() -> None:
    with pytest.raises(ExportError) as caught:
        sessions_csv([an_export("a", a_log("a-1")), an_export("b", a_log("b-1", pain_after=11))])
    assert "exports[1].sessions[0].session.pain_after" == caught.value.field


def test_a_separator_inside_a_site_name_is_an_export_error() -> None:
    with pytest.raises(ExportError) as caught:
        sessions_csv([an_export("a", a_log("a-1", other_pain={"knee;hip": 3}))])
    assert "exports[0].sessions[0].session.other_pain" == caught.value.field


TEXT = st.text(st.characters(codec="utf-8"), min_size=1).filter(str.strip)


@settings(max_examples=60, deadline=None)
@given(patient_id=TEXT, log_id=TEXT,
       pains=st.lists(st.none() | st.integers(0, 10), min_size=4, max_size=4))
def test_every_value_round_trips_through_csv_reader(
    patient_id: str, log_id: str, pains: list[int | None]
) -> None:
    log = a_log(log_id, pain_before=pains[0], pain_during=pains[1], pain_after=pains[2],
                pain_next_morning=pains[3])
    text = sessions_csv([an_export(patient_id, log)])
    header, row = list(csv.reader(io.StringIO(text, newline="")))
    cells = dict(zip(header, row, strict=True))
    assert list(COLUMNS) == header
    assert (escaped(patient_id), escaped(log_id)) == (cells["patient_id"], cells["session_id"])
    assert ["" if p is None else str(p) for p in pains] == [
        cells[c] for c in ("pain_before", "pain_during", "pain_after", "pain_next_morning")]


def escaped(value: str) -> str:
    return f"'{value}" if value.startswith(("=", "+", "-", "@", "\t", "\r")) else value
