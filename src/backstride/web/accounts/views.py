"""Sign up, log in (password, then the second factor), log out, consent, account security."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from backstride.web.accounts import consent, services, two_factor
from backstride.web.accounts.access import patient_required
from backstride.web.accounts.forms import CodeForm, ConsentForm, LoginForm, SignupForm
from backstride.web.accounts.models import User
from backstride.web.accounts.selectors import consent_current
from backstride.web.forms import posted


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(posted(request))
    if request.method == "POST" and form.is_valid():
        user = services.user_signup(**form.cleaned_data)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("accounts:consent")
    return render(request, "accounts/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        """Straight to the second factor when the account needs one."""
        url = super().get_success_url()
        return two_factor.step_url(self.request, url) or url


def login_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The account django-axes counts failures for: the email as the log-in reads it."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return User.objects.normalize_email(str(raw).strip()).lower()


def locked_out(request: HttpRequest, original_response: Any = None,
               credentials: Any = None) -> HttpResponse:
    """django-axes' answer after 5 failures for this account from this address: 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = LoginForm(request, initial={"username": login_username(request, credentials)})
    return render(request, "accounts/login.html", {
        "form": form, "locked_out": True, "minutes": minutes,
        "next": request.POST.get("next", ""),
    }, status=429)


logout = auth_views.LogoutView.as_view()


@patient_required
@require_http_methods(["GET", "POST"])
def consent_page(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    form = ConsentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.consent_accept(user=request.user)
        return redirect(next_url or "programs:screening_start")
    context = {
        "form": form,
        "next": next_url,
        "version": consent.CURRENT_VERSION,
        "text_template": consent.TEMPLATES[consent.CURRENT_VERSION],
        "current": consent_current(request.user),
    }
    return render(request, "accounts/consent.html", context)


# --- The second factor ---------------------------------------------------------------------


def _next(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    return url if url_has_allowed_host_and_scheme(url, {request.get_host()},
                                                  require_https=request.is_secure()) else ""


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The code step after the password."""
    user = request.user
    next_url = _next(request)
    if not two_factor.pending(request):
        return redirect(next_url or "home")
    if not two_factor.has_device(user):
        return redirect(two_factor.step_url(request, next_url) or "home")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.code_verify(user=user, code=form.cleaned_data["code"])
        if device is not None:
            two_factor.second_factor_login(request, device)
            return redirect(next_url or "home")
        form.add_error("code", _("Too many wrong codes: wait a few seconds, then type the "
                                 "newest code.") if two_factor.throttled(user) else
                       _("That code did not work. Codes change every 30 seconds and each "
                         "works once: type the one your app shows now."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url},
                  status=422 if form.errors else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: QR code or typed secret, confirmed by its first code."""
    user = request.user
    next_url = _next(request)
    if two_factor.has_device(user) and not two_factor.verified(user):
        # A new authenticator only from a session that passed the old one.
        return redirect(two_factor.step_url(request, next_url) or "accounts:otp_verify")
    device = two_factor.totp_device_pending(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.totp_device_confirm(user=user, device=device,
                                               code=form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            two_factor.second_factor_login(request, device)
            return _backup_codes_page(request, codes, next_url)
        form.add_error("code", _("That code did not match. Check the app shows Backstride, "
                                 "then type the code it shows now."))
    return render(request, "accounts/otp_setup.html", {
        "form": form, "next": next_url, "qr": two_factor.qr_data_uri(device),
        "secret": two_factor.secret_text(device), "replacing": two_factor.has_device(user),
    }, status=422 if form.errors else 200)


def _backup_codes_page(request: HttpRequest, codes: list[str], next_url: str) -> HttpResponse:
    """The backup codes, shown this once (never stored anywhere the page can show again)."""
    return render(request, "accounts/backup_codes.html", {"codes": codes, "next": next_url})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes (the old ones stop working); a GET goes back to the security page."""
    if request.method == "GET":
        return redirect("accounts:security")
    if not two_factor.verified(request.user):
        raise Http404
    codes = two_factor.backup_codes_create(user=request.user)
    return _backup_codes_page(request, codes, reverse("accounts:security"))


@login_required
@never_cache
def security(request: HttpRequest) -> HttpResponse:
    """Password and two-factor: status and the ways to change them."""
    user = request.user
    return render(request, "accounts/security.html", {
        "enabled": two_factor.has_device(user),
        "required": user.role == User.Role.CLINICIAN,
        "backup_left": two_factor.backup_codes_left(user),
        "disable_form": CodeForm(autofocus=False),
    })


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def otp_disable(request: HttpRequest) -> HttpResponse:
    """A patient turns two-factor off, with a current code (a GET: the security page)."""
    user = request.user
    if user.role != User.Role.PATIENT:
        raise Http404
    if request.method == "GET":
        return redirect("accounts:security")
    form = CodeForm(request.POST, autofocus=False)
    if form.is_valid() and two_factor.code_verify(user=user, code=form.cleaned_data["code"]):
        two_factor.two_factor_disable(request=request)
        messages.success(request, _("Two-factor log-in is off."))
        return redirect("accounts:security")
    if form.is_valid():
        form.add_error("code", _("That code did not work: two-factor log-in is still on."))
    return render(request, "accounts/security.html", {
        "enabled": True, "required": False, "disable_form": form,
        "backup_left": two_factor.backup_codes_left(user),
    }, status=422)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's: keeps this session, ends every other one (their stored hash is stale)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Password changed. You were logged out everywhere "
                                         "else."))
        return response
