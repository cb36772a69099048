from django.urls import path

from backstride.web.runlog import views

app_name = "runlog"
urlpatterns = [
    path("today/", views.today, name="today"),
    path("today/run/", views.timer, name="timer"),
    path("log/", views.session_log, name="log"),
    path("checkin/", views.checkin, name="checkin"),
    path("decisions/<int:pk>/", views.decision, name="decision"),
    path("progress/", views.progress, name="progress"),
]
