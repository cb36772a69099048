"""Sign up, log in, log out, consent."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from backstride.web.accounts import consent, services
from backstride.web.accounts.access import patient_required
from backstride.web.accounts.forms import ConsentForm, LoginForm, SignupForm
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
