"""The today page's content, rendered once per state of the patient and kept in Django's cache.

Why: rendering the content replays the engine over every log and check-in and
reads a dozen tables (about 20 ms), while most requests find the patient as
the request before left them. The key is the patient's state digest
(``runlog.digest``, one query) with everything else the content depends on:
the patient's local date (the engine decides for it), the language and the
time zone it is rendered in (dates). A write moves the digest, so the next
request looks under a new key: nothing is ever invalidated, correctness never
rests on the cache being shared or coherent between processes, and an entry
whose state has moved on is only memory until it times out.

Not cached: the page around the content (the navigation, whose unread count
the digest reads exactly; the red-flag banner, from the lock kept with the
content, which the digest covers; Django's messages; the scripts with this
response's CSP nonce, since a reused nonce defeats the policy: content with a
script is never stored). The content is rendered without the request, so
nothing bound to a request or a session can reach it; its one form (the
upload) takes this request's CSRF token through a slot, so every response
carries a freshly masked token, as it would uncached. There are no relative
times ("3 hours ago") in it: dates only, fixed for the key's local date.

Rendered afresh and not stored, when in doubt: a request other than GET or
HEAD, a request with a Django message waiting (it follows a write), or a state
that moved while the content was being rendered (the digest is read again
before storing). A cache that fails costs speed, never the page.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from backstride.web.runlog.digest import TodayDigest, today_digest
from backstride.web.safety.models import RedFlagLock

logger = logging.getLogger(__name__)

TIMEOUT = 60 * 60  # seconds an entry is kept: bounds the memory of states that moved on


@dataclass(frozen=True)
class Content:
    """The rendered content, with ``slot`` where the CSRF token goes, and the open lock."""

    html: str
    slot: str
    lock: RedFlagLock | None  # for the banner above the content (base.html)

    def for_request(self, request: HttpRequest) -> SafeString:
        # Our own template's auto-escaped output; the token is Django's (alphanumeric).
        return mark_safe(self.html.replace(self.slot, get_token(request)))  # nosec B308 B703


def content_rendered(template: str, context: dict[str, Any], *,
                     lock: RedFlagLock | None) -> Content:
    """Render ``template`` without the request, a random slot standing for the CSRF token."""
    slot = secrets.token_urlsafe(18)  # unguessable: no text in the page can stand for it
    return Content(render_to_string(template, {**context, "csrf_token": slot}), slot, lock)


def content_for(request: HttpRequest, day: date, digest: TodayDigest,
                render: Callable[[], Content | None]) -> Content | None:
    """The patient's content for ``day`` in state ``digest``: cached, or ``render()`` kept."""
    if not _cacheable(request):
        return render()
    key = content_key(request, day, digest)
    content = _get(key)
    if content is None:
        content = render()
        if content is not None and _storable(content) and _unmoved(request, day, key):
            _set(key, content)
    return content


def content_key(request: HttpRequest, day: date, digest: TodayDigest) -> str:
    """Everything the content depends on: the patient, their local date, the active language
    and time zone (the page's dates are formatted in them) and the state digest."""
    parts = (request.user.pk, day.isoformat(), get_language(),
             timezone.get_current_timezone_name(), digest.values)
    return "runlog:today:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _cacheable(request: HttpRequest) -> bool:
    # len() reads the waiting messages without marking them shown.
    return request.method in ("GET", "HEAD") and not len(messages.get_messages(request))


def _storable(content: Content) -> bool:
    return "<script" not in content.html


def _unmoved(request: HttpRequest, day: date, key: str) -> bool:
    """Whether the state is still the one ``key`` names: a write during the render is not kept."""
    digest = today_digest(request.user, day)
    return digest is not None and content_key(request, day, digest) == key


def _get(key: str) -> Content | None:
    try:
        found = cache.get(key)
    except Exception:  # a cache that fails costs speed, never the page
        logger.exception("cache read failed; rendering the today page")
        return None
    return found if isinstance(found, Content) else None


def _set(key: str, content: Content) -> None:
    try:
        cache.set(key, content, TIMEOUT)
    except Exception:  # as in _get
        logger.exception("cache write failed; the next request renders again")
