"""What the current request has audited so far (a context variable, one per request).

:class:`~backstride.web.audit.middleware.AuditMiddleware` opens a scope for
each request. Scoped reads wait in it until the response is ready, so a
request that reads and then writes the same patient leaves the write's row,
not both; the middleware uses ``recorded`` to know whether it must write the
fallback row.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from dataclasses import dataclass, field

from django.http import HttpRequest

from backstride.web.accounts.models import User


@dataclass(frozen=True)
class PendingRead:
    actor: User | None
    patient: User | None
    action: str
    object_type: str
    object_id: str


@dataclass
class Scope:
    request: HttpRequest
    pending: list[PendingRead] = field(default_factory=list)
    written: set[int | None] = field(default_factory=set)  # patients with a row written

    @property
    def recorded(self) -> bool:
        return bool(self.pending or self.written)


_current: ContextVar[Scope | None] = ContextVar("backstride_audit_scope", default=None)


def begin(request: HttpRequest) -> Token[Scope | None]:
    return _current.set(Scope(request))


def end(token: Token[Scope | None]) -> None:
    _current.reset(token)


def current() -> Scope | None:
    return _current.get()
