"""URL map. Patient pages are behind ``accounts.access``, clinician pages (``clinic/``)
behind ``caseload.access``; tests/web/test_access.py sweeps them all."""

from django.urls import include, path

from backstride.web.caseload.views import join
from backstride.web.programs import views as program_views

urlpatterns = [
    path("", program_views.home, name="home"),
    path("accounts/", include("backstride.web.accounts.urls")),
    path("", include("backstride.web.programs.urls")),
    path("", include("backstride.web.runlog.urls")),
    path("learn/", include("backstride.web.education.urls")),
    path("activities/", include("backstride.web.activities.urls")),
    path("", include("backstride.web.exports.urls")),
    path("messages/", include("backstride.web.messaging.urls")),
    path("report/", include("backstride.web.adverse_events.urls")),
    path("clinic/", include("backstride.web.caseload.urls")),
    path("join/<str:token>/", join.join, name="join"),
]

handler404 = "backstride.web.education.views.not_found"
handler500 = "backstride.web.education.views.server_error"
