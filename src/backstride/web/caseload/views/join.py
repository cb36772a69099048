"""Joining a clinic by an invitation link: sign up, set a password, or just join."""

from __future__ import annotations

from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from backstride.web.caseload import services
from backstride.web.caseload.forms import ActivationForm, JoinSignupForm
from backstride.web.caseload.models import Enrolment, Invitation
from backstride.web.errors import add_validation_error
from backstride.web.forms import posted

BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    invitation = (Invitation.objects.select_related("clinic", "patient")
                  .filter(token=token).first())
    if invitation is None:
        raise Http404
    if not invitation.usable():
        return render(request, "caseload/join_expired.html", {"invitation": invitation},
                      status=410)
    user = request.user
    if user.is_authenticated:
        return _join_signed_in(request, invitation)
    if invitation.patient is not None:
        return _activate(request, invitation)
    return _sign_up(request, invitation)


def _sign_up(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    form = JoinSignupForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.join_with_signup(invitation=invitation, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            login(request, user, backend=BACKEND)
            return redirect("accounts:consent")
    return render(request, "caseload/join.html", {"invitation": invitation, "form": form},
                  status=422 if form.errors else 200)


def _activate(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    form = ActivationForm(posted(request), user=invitation.patient)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.join_with_activation(invitation=invitation,
                                                 password=form.cleaned_data["password"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            login(request, user, backend=BACKEND)
            return redirect("accounts:consent")
    return render(request, "caseload/join.html", {"invitation": invitation, "form": form,
                                                  "activation": True},
                  status=422 if form.errors else 200)


def _join_signed_in(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    user = request.user
    current = Enrolment.objects.filter(patient=user).select_related("clinic").first()
    error = ""
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            return redirect("home")
    return render(request, "caseload/join.html", {
        "invitation": invitation, "signed_in": True, "current": current, "error": error,
    }, status=422 if error else 200)
