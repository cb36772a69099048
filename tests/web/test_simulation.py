"""The simulator: deterministic patients through the real engine, written in bulk.

Nothing here is timed (the benchmarks time the 1,000-patient run); it proves
that a 50-patient run writes the rows and alerts the live services would.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import Count

from backstride.web.alerts.models import Alert
from backstride.web.caseload.models import Enrolment
from backstride.web.programs.models import Plan, PlanDay
from backstride.web.runlog.models import Checkin, Decision, SessionLog
from backstride.web.runlog.selectors import next_decision, prescription_for
from backstride.web.safety.models import RedFlagLock
from backstride.web.simulation.loader import load_clinic
from backstride.web.simulation.patients import ARCHETYPES, simulate_clinic

TODAY = date(2026, 3, 9)  # a Monday morning
COUNT = 50


def summary(seed: int) -> list[tuple[object, ...]]:
    return [(p.first_name, p.persona, [(lg.day, lg.level, lg.pain_before) for lg in p.logs],
             [d.decision for d in p.decisions]) for p in simulate_clinic(12, seed=seed,
                                                                        today=TODAY)]


def test_the_same_seed_gives_the_same_patients() -> None:
    assert summary(7) == summary(7)
    assert summary(7) != summary(8)


@pytest.fixture
def loaded(db: object) -> object:
    return load_clinic(count=COUNT, seed=3, today=TODAY, clinic_name="Sim", password="x" * 12,
                       clinician_email="sim@example.org", email_domain="sim.example")


def test_a_50_patient_run_writes_every_row_the_services_would(loaded: object) -> None:
    assert COUNT == Enrolment.objects.count()
    plans = Plan.objects.count()
    assert COUNT - 1 <= plans + 1 <= COUNT + 1  # the screening red flag gets no plan
    assert 84 * plans == PlanDay.objects.count()
    assert SessionLog.objects.count() > 10 * COUNT and Checkin.objects.count() > 10 * COUNT
    # One decision for every log and every check-in, as runlog.services makes them.
    assert Decision.objects.count() == SessionLog.objects.count() + Checkin.objects.count()
    assert not SessionLog.objects.filter(decisions__isnull=True).exists()
    kinds = {kind for kind, _count in ARCHETYPES}
    assert {"missed", "done", "partial"} <= set(SessionLog.objects.values_list("status",
                                                                            flat=True))
    assert kinds  # every persona kind appears in the first 40


def test_its_alerts_are_de_duplicated_and_include_red_flags_and_flares(loaded: object) -> None:
    unresolved = Alert.objects.exclude(status="resolved")
    per_rule = unresolved.values("patient", "rule").annotate(n=Count("pk"))
    assert all(row["n"] == 1 for row in per_rule)
    rules = set(Alert.objects.values_list("rule", flat=True))
    assert {"R-REDFLAG", "R-FLARE", "R-ADHERE"} <= rules
    assert unresolved.filter(severity="critical").count() >= 2
    assert RedFlagLock.objects.filter(cleared_at__isnull=True).count() >= 2
    assert Plan.objects.filter(clearance="pending").count() >= 3
    stale = TODAY - timedelta(days=20)
    assert SessionLog.objects.filter(status="missed", date__gte=stale).exists()  # drop-outs


def test_every_stored_decision_is_the_engines_own(loaded: object) -> None:
    """Replaying the database through the live selectors gives the same answers."""
    for plan in Plan.objects.select_related("patient").filter(clearance="not_required")[:15]:
        patient = plan.patient
        latest = Decision.objects.filter(patient=patient).order_by("-pk").first()
        if latest is None:
            continue
        again = next_decision(patient=patient, plan=plan, today=latest.made_on)
        assert (str(again.decision), again.next_level) == (latest.decision, latest.next_level)
        assert [a.as_dict() for a in again.alerts] == latest.alerts
        for log in SessionLog.objects.filter(patient=patient).order_by("date")[:6]:
            level, prescription = prescription_for(patient=patient, plan=plan, day=log.date)
            assert (level, prescription.as_dict()) == (log.level, log.prescription)
