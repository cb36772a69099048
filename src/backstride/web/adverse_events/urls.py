from django.urls import path

from backstride.web.adverse_events import views

app_name = "adverse_events"
urlpatterns = [
    path("", views.report, name="report"),
]
