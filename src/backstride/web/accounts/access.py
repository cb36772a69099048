"""Who may open a page. Every patient page goes through these decorators.

``patient_required``: signed in (else the login page), past the second factor
if the account has one (else the code step; ``TwoFactorMiddleware`` does the
same for every view) and a patient (else 404, so a clinician account cannot
stumble into patient pages). ``consent_required``
adds: agreed to the current consent text (else the consent page). The today
page checks the consent itself, from its state digest (``consent_redirect``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from backstride.web.accounts import two_factor
from backstride.web.accounts.selectors import consent_current

View = Callable[..., HttpResponse]


def patient_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        step = two_factor.step_url(request, request.get_full_path())
        if step is not None:
            return redirect(step)
        if not request.user.is_patient:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def consent_required(view: View) -> View:
    @patient_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if consent_current(request.user) is None:
            return consent_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper


def consent_redirect(request: HttpRequest) -> HttpResponse:
    """To the consent page, and back to this page once agreed.

    For a ``patient_required`` view that reads the consent with its own query
    (the today page's state digest) instead of through ``consent_required``.
    """
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('accounts:consent')}?{query}")

