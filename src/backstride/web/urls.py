"""URL map. Patient pages are behind ``accounts.access``, clinician pages (``clinic/``)
behind ``caseload.access``; tests/web/test_access.py sweeps them all."""

from django.urls import include, path

from backstride.web.api import v1 as api_v1
from backstride.web.caseload.views import join
from backstride.web.programs import views as program_views

urlpatterns = [
    path("", program_views.home, name="home"),
    path("accounts/tokens/", include("backstride.web.api.urls")),
    path("accounts/", include("backstride.web.accounts.urls")),
    path("", include("backstride.web.programs.urls")),
    path("", include("backstride.web.runlog.urls")),
    path("learn/", include("backstride.web.education.urls")),
    path("activities/", include("backstride.web.activities.urls")),
    path("", include("backstride.web.exports.urls")),
    path("messages/", include("backstride.web.messaging.urls")),
    path("report/", include("backstride.web.adverse_events.urls")),
    path("questionnaires/", include("backstride.web.outcomes.urls")),
    path("my-data/", include("backstride.web.privacy.urls")),
    path("clinic/", include("backstride.web.caseload.urls")),
    path("join/<str:token>/", join.join, name="join"),
    path("api/v1/", api_v1.urls()),  # JSON API: its own auth and error shape
]

handler404 = "backstride.web.education.views.not_found"
handler500 = "backstride.web.education.views.server_error"
