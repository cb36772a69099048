"""The caseload queue, the clearance queue, invitations and creating a patient."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from backstride.web.caseload import selectors, services
from backstride.web.caseload.access import clinic_of, clinician_required
from backstride.web.caseload.forms import InvitationForm, PatientCreateForm
from backstride.web.forms import posted

REFRESH_SECONDS = 60  # the queue refreshes itself (htmx) this often
PAGE_SIZE = 50  # queue rows on one page: a clinician's working list, sorted by need


@clinician_required
def queue(request: HttpRequest) -> HttpResponse:
    """Who needs attention first; ``HX-Request`` gets only the table, for the refresh."""
    wanted = _wanted(request.GET.get("filter", ""))
    mine = request.GET.get("scope") != "clinic"
    search = request.GET.get("q", "").strip()[:100]
    data = selectors.caseload_queue(clinic=clinic_of(request), clinician=request.user,
                                    mine=mine, wanted=wanted, search=search)
    # The first page holds those who need attention most; the rest a page link away
    # (an unknown or out-of-range page number shows the nearest page).
    page = Paginator(data.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    others = request.GET.copy()
    others.pop("page", None)
    context = {
        "queue": data, "page": page, "page_query": others.urlencode(),
        "wanted": wanted, "mine": mine, "search": search,
        "filters": [(f, _FILTER_LABELS[f], data.counts[f]) for f in selectors.Filter],
        "alert_totals": selectors.counts_for(data.rows),
        "query": request.GET.urlencode(), "refresh": REFRESH_SECONDS,
        "clinic": clinic_of(request),
    }
    partial = request.headers.get("HX-Request") == "true"
    response = render(request, "caseload/_queue.html" if partial else "caseload/queue.html",
                      context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _wanted(value: str) -> selectors.Filter:
    try:
        return selectors.Filter(value)
    except ValueError:  # an unknown filter in a hand-edited URL shows everyone
        return selectors.Filter.ALL


_FILTER_LABELS = {
    selectors.Filter.ALL: gettext_lazy("All"),
    selectors.Filter.CLEARANCE: gettext_lazy("Needs clearance"),
    selectors.Filter.PAUSED: gettext_lazy("Paused"),
    selectors.Filter.INACTIVE: gettext_lazy("Inactive 7+ days"),
}


@clinician_required
def clearance_queue(request: HttpRequest) -> HttpResponse:
    clinic = clinic_of(request)
    return render(request, "caseload/clearance_queue.html", {
        "items": selectors.clearance_queue(clinic=clinic),
        "locks": selectors.locks_open(clinic=clinic),
    })


@clinician_required
@require_http_methods(["GET", "POST"])
def invitations(request: HttpRequest) -> HttpResponse:
    clinic = clinic_of(request)
    form = InvitationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        invitation = services.invitation_create(clinician=request.user, clinic=clinic,
                                                email=form.cleaned_data["email"])
        messages.success(request, _("New invitation link: %(link)s") % {
            "link": request.build_absolute_uri(reverse("join",
                                                       args=[invitation.token]))})
        return redirect("caseload:invitations")
    return render(request, "caseload/invitations.html", {
        "form": form, "invitations": selectors.invitations_open(clinic=clinic),
    }, status=422 if form.errors else 200)


@clinician_required
@require_http_methods(["GET", "POST"])
def patient_new(request: HttpRequest) -> HttpResponse:
    form = PatientCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        invitation = services.patient_create(clinician=request.user, clinic=clinic_of(request),
                                             **form.cleaned_data)
        messages.success(request, _("Account created. Give the patient this link to choose a "
                                    "password: %(link)s") % {
            "link": request.build_absolute_uri(reverse("join",
                                                       args=[invitation.token]))})
        return redirect("caseload:patient", patient_id=invitation.patient_id)
    return render(request, "caseload/patient_new.html", {"form": form},
                  status=422 if form.errors else 200)
