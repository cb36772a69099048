"""The account's "API tokens" page: make a token (shown once), see them, revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backstride.web.api import selectors, services
from backstride.web.api.forms import TokenForm
from backstride.web.forms import posted


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = TokenForm(posted(request))
    created = None
    if request.method == "POST" and form.is_valid():
        created = services.token_create(user=request.user, name=form.cleaned_data["name"],
                                        scope=form.cleaned_data["scope"],
                                        expires_at=form.expires_at())
        form = TokenForm()
    response = render(request, "api/tokens.html", {
        "form": form, "created": created, "tokens": selectors.tokens_of(request.user),
    }, status=422 if form.errors else 200)
    # The new token is on this page only: never cached, never kept in the session.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.token_for_user(request.user, pk)
    if request.method == "POST":
        services.token_revoke(token=token)
        messages.success(request, _("Token “%(name)s” revoked: it no longer works.")
                         % {"name": token.name})
        return redirect("tokens:list")
    return render(request, "api/token_revoke.html", {"token": token})
