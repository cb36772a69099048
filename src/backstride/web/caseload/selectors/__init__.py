"""Reads for clinicians: ``queue`` (the caseload and clearance queues) and ``patient``
(one patient's page). Re-exported here, so callers import ``caseload.selectors``."""

from backstride.web.caseload.selectors.patient import (
    Overview,
    TimelineEntry,
    clearance_latest,
    overrides_for_patient,
    patient_overview,
)
from backstride.web.caseload.selectors.queue import (
    AlertCounts,
    ClearanceItem,
    Filter,
    Queue,
    QueueRow,
    caseload_queue,
    clearance_queue,
    counts_for,
    invitations_open,
    locks_open,
)

__all__ = [
    "AlertCounts",
    "ClearanceItem",
    "Filter",
    "Overview",
    "Queue",
    "QueueRow",
    "TimelineEntry",
    "caseload_queue",
    "clearance_latest",
    "clearance_queue",
    "counts_for",
    "invitations_open",
    "locks_open",
    "overrides_for_patient",
    "patient_overview",
]
