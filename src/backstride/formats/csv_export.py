"""Research exports as CSV: one row per logged session.

:func:`sessions_csv` writes RFC 4180 CSV (commas, double quotes, CRLF line
ends; write it to a file opened with ``newline=""``). :data:`DATA_DICTIONARY`
describes every column, in order, for the researcher's data dictionary page.
Records are checked first (:func:`~backstride.core.export_records.validate_export`):
a bad value is an :class:`ExportError` naming the field, never a partial file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC

from backstride.core.export_records import (
    ExportError,
    LoggedSession,
    PatientExport,
    validate_export,
)

__all__ = ["COLUMNS", "DATA_DICTIONARY", "DATA_DICTIONARY_NOTE", "ExportError", "sessions_csv"]

_PAIN = "integer 0-10; empty if not recorded"

#: (column, type, meaning) of every column of :func:`sessions_csv`, in order.
DATA_DICTIONARY: tuple[tuple[str, str, str], ...] = (
    ("patient_id", "text", "The patient's stable pseudonymous id"),
    ("session_id", "text", "The stable id of the session log"),
    ("date", "date, YYYY-MM-DD", "The patient's local date of the session"),
    ("status", "done | partial | missed", "Whether the session was done as planned"),
    ("pain_before", _PAIN, "Back pain before the session (0-10 numeric rating scale)"),
    ("pain_during", _PAIN, "Worst back pain during the session"),
    ("pain_after", _PAIN, "Back pain after the session"),
    ("pain_next_morning", _PAIN, "Back pain the morning after the session"),
    ("talk_test_ok", "true | false; empty if not recorded",
     "Could talk in full sentences while running (R-TALK)"),
    ("other_pain", "site=score;site=score (scores 0-10); empty if none",
     "Pain elsewhere reported with the session, e.g. knee=3;ankle=2"),
    ("symptoms", "id;id; empty if none", "Red-flag symptom ids reported with the session"),
    ("run_seconds", "integer, seconds", "Total running time done in the session"),
    ("decision", "progress | repeat | regress | pause_running | stop",
     "The progression engine's decision after the session"),
    ("next_level", "integer, 1 or more", "Run-walk level of the next session"),
    ("rules", "rule id;rule id", "The CLINICAL.md rule ids behind the decision"),
    ("logged_at", "UTC date and time, ISO 8601 (…Z)", "When the log was saved"),
)
COLUMNS: tuple[str, ...] = tuple(column for column, _, _ in DATA_DICTIONARY)
DATA_DICTIONARY_NOTE = (
    "A text cell that would start with =, +, -, @, a tab or a carriage return is "
    "written with a leading apostrophe (') so that spreadsheets show it instead of "
    "running it as a formula; remove it before analysing such a value."
)

# CSV/formula injection (OWASP): spreadsheet programs run a cell that starts with one
# of these as a formula, so a crafted value (ids come from the patient's device, site
# names from a form) could exfiltrate data via HYPERLINK() or run commands via DDE
# when a researcher opens the file. A leading apostrophe makes the cell plain text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SEPARATORS = (";", "=")  # inside the multi-valued cells


def sessions_csv(exports: Iterable[PatientExport]) -> str:
    """One row per logged session of every export, under a :data:`COLUMNS` header.

    Patients keep the order given; each patient's sessions are in date order.
    Raises :class:`ExportError` naming the field (``exports[i]....``).
    """
    checked = tuple(exports)
    for i, export in enumerate(checked):
        validate_export(export, f"exports[{i}]")
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # the default dialect is RFC 4180's
    writer.writerow(COLUMNS)
    for i, export in enumerate(checked):
        logs = sorted(enumerate(export.sessions), key=lambda p: (p[1].session.date, p[1].id))
        for j, logged in logs:
            row = _row(export.patient.id, logged, f"exports[{i}].sessions[{j}]")
            writer.writerow([_neutralised(cell) for cell in row])
    return buffer.getvalue()


def _row(patient_id: str, logged: LoggedSession, at: str) -> list[str]:
    session = logged.session
    return [
        patient_id,
        logged.id,
        session.date.isoformat(),
        str(session.status),
        _optional(session.pain_before),
        _optional(session.pain_during),
        _optional(session.pain_after),
        _optional(session.pain_next_morning),
        "" if session.talk_test_ok is None else str(session.talk_test_ok).lower(),
        _joined([f"{site}={score}" for site, score in sorted(session.other_pain.items())],
                sorted(session.other_pain), f"{at}.session.other_pain"),
        _joined(session.symptoms, session.symptoms, f"{at}.session.symptoms"),
        str(session.run_seconds),
        logged.decision,
        str(logged.next_level),
        _joined(logged.reasons, logged.reasons, f"{at}.reasons"),
        logged.logged_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
    ]


def _optional(value: int | None) -> str:
    return "" if value is None else str(value)


def _joined(parts: Sequence[str], names: Sequence[str], field: str) -> str:
    # A separator inside a name would make the cell ambiguous to split again.
    for name in names:
        if any(separator in name for separator in _SEPARATORS):
            raise ExportError(field, f"{name!r} contains ';' or '=', which this column "
                              "uses as separators")
    return ";".join(parts)


def _neutralised(cell: str) -> str:
    return f"'{cell}" if cell.startswith(_FORMULA_STARTS) else cell
