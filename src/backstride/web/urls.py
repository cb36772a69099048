"""URL map. Every patient page is behind ``accounts.access``; tests/web sweeps them all."""

from django.urls import include, path

from backstride.web.programs import views as program_views

urlpatterns = [
    path("", program_views.home, name="home"),
    path("accounts/", include("backstride.web.accounts.urls")),
    path("", include("backstride.web.programs.urls")),
    path("", include("backstride.web.runlog.urls")),
    path("learn/", include("backstride.web.education.urls")),
]

handler404 = "backstride.web.education.views.not_found"
handler500 = "backstride.web.education.views.server_error"
