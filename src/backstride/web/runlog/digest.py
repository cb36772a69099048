"""The today page's state digest: one query whose answer moves whenever the page's content would.

The today page's content is rendered once per state of the patient and kept in
Django's cache (``runlog.today_cache``), keyed on this digest. For every table
the content reads for the patient, the digest holds values that change with
every write a patient, a clinician or a job makes to those rows:

* Rows only ever inserted or deleted (decisions, overrides, clearance
  decisions; plan days, which a reschedule deletes and creates anew): their
  count and largest id. An insert raises the largest id (ids are never reused:
  PostgreSQL sequences, SQLite ``AUTOINCREMENT``); a delete lowers the count.
* Rows also updated in place: what the update writes. A session log carries
  ``updated_at``. A same-day check-in rewrites its pain (the sum moves: one row
  per write) and adds symptoms (kept as a sorted union, so their text only
  grows). Clearing a lock sets ``cleared_at``. A questionnaire response goes
  between draft and complete, one per write; a clinic's new questionnaire
  file adds a row and retires the old one (``is_current``). Dating a recording moves it into
  or out of the day and judges it again: the digest reads the day's recordings
  (their count, ids and a code per judgement), which is all the page shows.
* The current plan and the enrolment are one row each: their columns that
  writes change are in the digest as they are (the enrolment's ``version``
  goes up with every clinician override).

Read exactly, and not part of the content's key: the consent (the page's
access rule) and, for the navigation around the content, whether there is an
enrolment and how many messages are unread. So a request whose content is
cached makes this one query of its own.

Why raw SQL: the ORM took 11 ms to build these subqueries, five times the
query. Why one text per table: PostgreSQL plans each subquery separately, and
planning is most of the cost (0.9 ms for this shape, 1.2 ms with one subquery
per value). ``tests/web/test_today_cache.py`` renders the page uncached,
collects the tables its SQL reads and checks each one is in
:data:`DIGEST_TABLES` or on a short list of tables the content does not
depend on, so a new read cannot slip past the digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection

from backstride.web.accounts import consent
from backstride.web.accounts.models import User
from backstride.web.activities.models import ImportedActivity
from backstride.web.outcomes.models import QuestionnaireResponse


@dataclass(frozen=True)
class Part:
    """A table the today page reads: the patient's rows, and the values that move with them.

    ``rows`` is an SQL condition in which the outer query's ``patient``,
    ``plan`` (the current plan) and ``enrolment`` are in scope and
    ``%(day)s`` is the patient's local date. ``values`` are SQL aggregates.
    """

    table: str
    rows: str
    values: tuple[str, ...]

    def subquery(self) -> str:
        """The values as one text, e.g. ``'32:118:2026-03-09 07:12:03+00'`` (no rows: ``'0:'``)."""
        signature = " || ':' || ".join(f"COALESCE(CAST({v} AS TEXT), '')" for v in self.values)
        # From the constants of PARTS only: nothing a request sends.
        return f"(SELECT {signature} FROM {self.table} WHERE {self.rows})"  # nosec B608


INSERTED_OR_DELETED = ("COUNT(*)", "MAX(id)")
# A distinct code per judgement of a recording: judging one recording again moves the sum.
JUDGEMENT = "SUM(CASE compliance {} ELSE 0 END)".format(" ".join(
    f"WHEN '{value}' THEN {code}"
    for code, value in enumerate(ImportedActivity.Compliance.values, start=1)))
COMPLETE = f"SUM(CASE WHEN status = '{QuestionnaireResponse.Status.COMPLETE}' THEN 1 ELSE 0 END)"
THE_DAYS_RECORDINGS = (  # as activities.selectors.activities_for_session reads them
    "patient_id = patient.id AND (local_date = %(day)s OR plan_day_id = ("
    "SELECT id FROM programs_planday WHERE plan_id = plan.id AND date = %(day)s))")

PARTS = (
    Part("programs_planday", "plan_id = plan.id", INSERTED_OR_DELETED),
    Part("runlog_sessionlog", "patient_id = patient.id",
         (*INSERTED_OR_DELETED, "MAX(updated_at)")),
    Part("runlog_checkin", "patient_id = patient.id",
         (*INSERTED_OR_DELETED, "SUM(rest_pain)", "SUM(LENGTH(CAST(symptoms AS TEXT)))")),
    Part("runlog_decision", "patient_id = patient.id", INSERTED_OR_DELETED),
    Part("caseload_override", "patient_id = patient.id", INSERTED_OR_DELETED),
    Part("caseload_clearancedecision", "patient_id = patient.id", INSERTED_OR_DELETED),
    Part("safety_redflaglock", "patient_id = patient.id",
         (*INSERTED_OR_DELETED, "COUNT(cleared_at)", "MAX(cleared_at)")),
    Part("activities_importedactivity", THE_DAYS_RECORDINGS, ("COUNT(*)", "SUM(id)", JUDGEMENT)),
    Part("outcomes_questionnaire", "clinic_id = enrolment.clinic_id",
         (*INSERTED_OR_DELETED, "SUM(CASE WHEN is_current THEN 1 ELSE 0 END)")),
    Part("outcomes_questionnaireresponse", "plan_id = plan.id", (*INSERTED_OR_DELETED, COMPLETE)),
)

# Read exactly and left out of the content's key: the consent (the page's access
# rule, as consent_required reads it) and the unread count (the navigation).
CONSENTED = ("EXISTS (SELECT 1 FROM accounts_consent WHERE user_id = patient.id"
             " AND version = %(consent)s)")
UNREAD = ("(SELECT COUNT(*) FROM messaging_message WHERE patient_id = patient.id"
          " AND read_at IS NULL AND sender_id <> patient.id)")

# Built from the constants above only; the patient, the day and the consent version are
# parameters.
SQL = f"""
SELECT {CONSENTED}, plan.id IS NOT NULL, enrolment.id IS NOT NULL, {UNREAD},
       plan.id, plan.clearance, plan.cleared_at, plan.sessions_per_week, plan.profile,
       enrolment.id, enrolment.clinic_id, enrolment.version, enrolment.running_paused,
       enrolment.hold_progression,
       {", ".join(part.subquery() for part in PARTS)}
FROM accounts_user patient
LEFT JOIN programs_plan plan ON plan.patient_id = patient.id AND plan.is_current
LEFT JOIN caseload_enrolment enrolment ON enrolment.patient_id = patient.id
WHERE patient.id = %(patient)s
"""  # nosec B608

# The tables whose every change moves the digest's values (the content's key).
DIGEST_TABLES = frozenset({"programs_plan", "caseload_enrolment"} | {p.table for p in PARTS})


@dataclass(frozen=True)
class TodayDigest:
    """The state of what the today page shows, and what the page around it needs."""

    values: tuple[Any, ...]  # the content's state: part of its cache key
    consented: bool  # to the current consent text
    has_plan: bool
    nav_enrolled: bool
    nav_unread: int


def today_digest(patient: User, day: date) -> TodayDigest | None:
    """The state of everything the today page shows ``patient`` on ``day``: one query.

    ``None`` when the account is gone.
    """
    with connection.cursor() as cursor:
        cursor.execute(SQL, {"patient": patient.pk, "day": day,
                             "consent": consent.CURRENT_VERSION})
        row = cursor.fetchone()
    if row is None:
        return None
    consented, has_plan, enrolled, unread, *values = row
    return TodayDigest(values=tuple(values), consented=bool(consented), has_plan=bool(has_plan),
                       nav_enrolled=bool(enrolled), nav_unread=unread if enrolled else 0)
