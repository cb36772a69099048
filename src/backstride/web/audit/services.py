"""Writing audit rows, and pseudonymising a person's rows when their account is erased.

``audit_record`` writes one row at once: call it inside the transaction of the
write it records, so the data and its audit row commit (or roll back)
together. ``audit_read`` is for scoped read helpers: inside a request the row
is written when the response is ready (see ``scope.py``), outside one at once.
A failure to write an audit row is never swallowed: no row, no data.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from backstride.web.accounts.models import User
from backstride.web.audit import scope as audit_scope
from backstride.web.audit.models import AuditEvent, AuditParty
from backstride.web.network import client_ip

Action = AuditEvent.Action
ObjectRef = models.Model | tuple[str, object] | None
PAGE = "page"  # object_type of a row about a page as a whole; its id is the URL name
_PARTY_CACHE = "_audit_party_id"


def audit_record(*, actor: User | None, action: str, patient: User | None,
                 obj: ObjectRef = None, request: HttpRequest | None = None) -> AuditEvent:
    """Write one audit row now.

    ``actor`` is who did it (``None``: the system, or the holder of a link's
    token); ``patient`` whose data it was (``None`` only for a page listing
    several); ``obj`` a model instance or ``(type, id)``, else the page's URL
    name; ``request`` defaults to the request being served, for the IP.
    """
    scope = audit_scope.current()
    request = request or (scope.request if scope else None)
    object_type, object_id = _object(obj, request)
    row = AuditEvent(actor_id=party_id(actor), action=Action(action),
                     patient_id=party_id(patient), object_type=object_type,
                     object_id=object_id, **_where(request))
    row.save()
    if scope is not None:
        scope.written.add(None if patient is None else patient.pk)
    return row


def audit_read(*, patient: User | None, obj: ObjectRef = None, actor: User | None = None,
               action: str = Action.VIEW) -> None:
    """Record that the current user read ``patient``'s data (``obj`` if one object)."""
    scope = audit_scope.current()
    if scope is None:
        audit_record(actor=actor, action=action, patient=patient, obj=obj)
        return
    user = scope.request.user
    who = actor if actor is not None else (user if user.is_authenticated else None)
    object_type, object_id = _object(obj, scope.request)
    scope.pending.append(audit_scope.PendingRead(
        actor=who, patient=patient, action=Action(action), object_type=object_type,
        object_id=object_id))


def audit_flush(scope: audit_scope.Scope, *, export: bool = False) -> int:
    """Write the scope's waiting reads (once each; none for a patient written to).

    ``export``: the response is a download, so its reads are exports.
    """
    seen: set[audit_scope.PendingRead] = set()
    rows = []
    where = _where(scope.request)
    for read in scope.pending:
        patient_pk = None if read.patient is None else read.patient.pk
        if read in seen or (patient_pk is not None and patient_pk in scope.written):
            continue
        seen.add(read)
        action = Action.EXPORT if export and read.action == Action.VIEW else read.action
        rows.append(AuditEvent(
            actor_id=party_id(read.actor), action=action,
            patient_id=party_id(read.patient), object_type=read.object_type,
            object_id=read.object_id, **where))
    scope.pending.clear()
    AuditEvent.objects.bulk_create(rows)
    scope.written.update(None if r.patient is None else r.patient.pk for r in seen)
    return len(rows)


def current_actor(default: User | None = None) -> User | None:
    """The signed-in user of the request being served, else ``default``.

    For services whose callers do not name who acts: a patient's own write
    outside a request passes the patient; the system passes ``None``.
    """
    scope = audit_scope.current()
    user = getattr(scope.request, "user", None) if scope is not None else None
    if user is not None and user.is_authenticated:
        return user  # type: ignore[no-any-return]
    return default


def audit_pseudonymise(patient: User) -> str | None:
    """Unlink ``patient`` from their audit rows; every row stays, naming a pseudonym.

    For erasure: call it before (or instead of) deleting the account. Deleting
    the account unlinks the party as well (``on_delete=SET_NULL``). Returns the
    pseudonym the rows now carry, or ``None`` if no row ever named the person.
    """
    with transaction.atomic():
        party = AuditParty.objects.select_for_update().filter(user=patient).first()
        if party is None:
            return None
        party.user = None
        party.pseudonymised_at = timezone.now()
        party.save(update_fields=["user", "pseudonymised_at"])
    if hasattr(patient, _PARTY_CACHE):
        delattr(patient, _PARTY_CACHE)
    return party.pseudonym


# --- Parties, objects, where from -------------------------------------------------------


def party_id(user: User | None) -> int | None:
    """The id of ``user``'s party (made on first use); cached on the instance."""
    if user is None:
        return None
    cached = getattr(user, _PARTY_CACHE, None)
    if cached is None:
        cached = party_id_for(user.pk, role=getattr(user, "role", ""))
        setattr(user, _PARTY_CACHE, cached)
    return cached


def party_id_for(user_id: int | None, *, role: str = "") -> int | None:
    if user_id is None:
        return None
    party, _created = AuditParty.objects.get_or_create(
        user_id=user_id, defaults={"role": role or _role_of(user_id)})
    return party.pk


def _role_of(user_id: int) -> str:
    return User.objects.filter(pk=user_id).values_list("role", flat=True).first() or ""


def _object(obj: ObjectRef, request: HttpRequest | None) -> tuple[str, str]:
    if isinstance(obj, models.Model):
        return obj._meta.label_lower, str(obj.pk)
    if isinstance(obj, tuple):
        kind, ident = obj
        return _text(kind, 100), "" if ident is None else _text(ident, 100)
    match = getattr(request, "resolver_match", None)
    return (PAGE, _text(match.view_name, 100)) if match is not None else ("", "")


def _where(request: HttpRequest | None) -> dict[str, Any]:
    if request is None:
        return {"ip": None, "path": ""}
    return {"ip": client_ip(request), "path": _text(f"{request.method} {request.path}", 300)}


def _text(value: object, limit: int) -> str:
    """Storable text: no NUL (PostgreSQL refuses it, and a URL can carry %00), cut to fit."""
    return str(value).replace("\x00", "")[:limit]
