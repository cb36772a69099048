from django.urls import path

from backstride.web.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("<str:key>/week-<int:week>/", views.answer, name="answer"),
]
