"""Reads for the API: personal access tokens (scoped to their owner) and a clinic's alerts."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet
from django.http import Http404

from backstride.web.accounts.models import User
from backstride.web.alerts.models import Alert
from backstride.web.api.models import AccessToken
from backstride.web.caseload.models import Clinic


def tokens_of(user: User) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user=user)


def token_for_user(user: User, pk: int) -> AccessToken:
    """One of ``user``'s own tokens; 404 for anyone else's."""
    token = AccessToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise Http404
    return token


def clinic_alerts(*, clinic: Clinic, statuses: Sequence[str],
                  patient: User | None = None) -> QuerySet[Alert]:
    """The alerts of ``clinic``'s patients (or of one of them), newest first, each with its
    patient: one query for any number of rows."""
    rows = Alert.objects.filter(patient__enrolment__clinic=clinic, status__in=statuses)
    if patient is not None:
        rows = rows.filter(patient=patient)
    return rows.select_related("patient").order_by("-last_raised_at", "-pk")
