"""Recording adverse events (O-AE), validated by the core's own reader."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backstride.core.outcomes import Seriousness, parse_adverse_event
from backstride.web.accounts.models import User
from backstride.web.accounts.timezones import local_today
from backstride.web.adverse_events.models import AdverseEvent
from backstride.web.alerts.models import Alert
from backstride.web.alerts.services import Occurrence, alert_raise
from backstride.web.audit.services import Action, audit_record


def adverse_event_record(*, patient: User, reported_by: User, data: Mapping[str, object],
                         today: date | None = None) -> AdverseEvent:
    """Store one event; raises the core's ``BackstrideError`` naming the field.

    An event the patient reports raises an O-AE alert for their clinicians
    (high when serious): a clinician recording one already knows.
    """
    event = parse_adverse_event(data, today=today or local_today(patient.time_zone))
    with transaction.atomic():
        row = AdverseEvent(patient=patient, date=event.date, type=str(event.type),
                           seriousness=str(event.seriousness), description=event.description,
                           reported_by=reported_by)
        row.full_clean()
        row.save()
        audit_record(actor=reported_by, action=Action.CREATE, patient=patient, obj=row)
        if reported_by.pk == patient.pk:
            _alert(row, serious=event.seriousness is Seriousness.SERIOUS)
    return row


def _alert(row: AdverseEvent, *, serious: bool) -> None:
    message = _("Adverse event reported by the patient: %(type)s (%(seriousness)s) on %(day)s.") % {
        "type": row.get_type_display().lower(),
        "seriousness": row.get_seriousness_display().lower(), "day": row.date.isoformat()}
    alert_raise(patient=row.patient, occurrence=Occurrence(
        rule="O-AE", severity=Alert.Severity.HIGH if serious else Alert.Severity.LOW,
        message=message, trigger=f"ae:{row.pk}", at=timezone.now()))
