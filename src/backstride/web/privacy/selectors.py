"""Which rows are a patient's: every model with a foreign-key path to them, found in the registry.

Nothing is listed by hand, so a model added later is exported and erased
without anyone remembering to: a row is the patient's when any chain of
foreign keys from it (at most :data:`MAX_DEPTH` long) reaches the patient's
account. A patient's account only ever appears in their own rows (a clinician
is the one who acknowledges alerts, writes notes, loads questionnaires).

Left out of the self-service download, on purpose (:data:`NOT_DOWNLOADED`):
clinicians' private notes, which the clinic releases on request after review
(they are erased all the same), and secrets (password hashes, link tokens).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet

from backstride.web.accounts.models import User

MAX_DEPTH = 3  # e.g. CalendarEvent → PlanDay → Plan → patient
NOT_DOWNLOADED = {"caseload.note": "a clinician's private note, released by the clinic on request"}
SECRET_FIELDS = {"password", "token", "token_hash", "digest", "key", "secret", "session_key"}
# Kept on erasure, as the audit duty requires: unlinked from the account first
# (``audit.services.audit_pseudonymise``), so they no longer reach it.
KEPT_ON_ERASURE = {"audit.auditevent", "audit.auditparty"}
# Rows that name a person by email, with no foreign key to follow: (model, field).
EMAIL_FIELDS = (("caseload.invitation", "email"), ("axes.accessattempt", "username"),
                ("axes.accesslog", "username"), ("axes.accessfailurelog", "username"))


@dataclass(frozen=True)
class Owned:
    """A model and the lookups (``plan__patient``...) by which its rows reach a user."""

    model: type[models.Model]
    paths: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def rows_of(self, patient: User) -> QuerySet[models.Model]:
        query = Q()
        for path in self.paths:
            query |= Q(**{path: patient.pk})
        return self.model._default_manager.filter(query).distinct().order_by("pk")

    def deletable_rows_of(self, patient: User) -> QuerySet[models.Model]:
        """The same rows, as a queryset Django can delete (no ``distinct``)."""
        return self.model._default_manager.filter(pk__in=self.rows_of(patient).values("pk"))


def owned_models() -> list[Owned]:
    """Every installed model with a foreign-key path to the user model (the user model too)."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = []
    for model in apps.get_models():
        paths = tuple(_paths_to(model, user_model))
        if model is user_model:
            paths = ("pk", *paths)
        if paths:
            found.append(Owned(model, paths))
    return found


def _paths_to(model: type[models.Model], target: type[models.Model], prefix: str = "",
              depth: int = 0) -> Iterator[str]:
    if depth >= MAX_DEPTH:
        return
    for field in model._meta.get_fields():
        if not (field.many_to_one or field.one_to_one) or not field.concrete:
            continue
        related = field.related_model
        if related is None:
            continue
        lookup = f"{prefix}{field.name}"
        if related is target:
            yield lookup
        else:
            yield from _paths_to(related, target, f"{lookup}__", depth + 1)  # type: ignore[arg-type]


def by_email(email: str) -> Iterator[QuerySet[models.Model]]:
    """The rows of installed models that name ``email`` in a plain text field."""
    for label, field in EMAIL_FIELDS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue  # that app is not installed here
        yield model._default_manager.filter(**{f"{field}__iexact": email})


def downloadable(owned: Owned) -> bool:
    return owned.label not in NOT_DOWNLOADED


def public_fields(model: type[models.Model]) -> list[str]:
    """The fields a download shows: all but secrets."""
    return [f.name for f in model._meta.concrete_fields if f.name not in SECRET_FIELDS]


def file_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
