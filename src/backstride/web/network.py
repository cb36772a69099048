"""The client's IP address: the one way every part of the app reads it.

Audit rows and log-in throttling (django-axes) both call :func:`client_ip`.
Behind ``BACKSTRIDE_TRUSTED_PROXIES`` reverse proxies, each of which appends
the address it received a request from to ``X-Forwarded-For``, the client is
that many entries from the right; anything further left was written by the
client and is not believed. With no proxy (the default) it is ``REMOTE_ADDR``.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    proxies = int(getattr(settings, "BACKSTRIDE_TRUSTED_PROXIES", 0))
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if len(hops) < proxies:
        return remote
    return _valid(hops[-proxies]) or remote


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
