from django.urls import path

from backstride.web.programs import views

app_name = "programs"
urlpatterns = [
    path("screening/", views.screening_start, name="screening_start"),
    path("screening/step/<slug:step>/", views.screening_step, name="screening_step"),
    path("screening/review/", views.screening_review, name="screening_review"),
    path("screening/<int:pk>/", views.screening_result, name="screening_result"),
    path("plan/", views.plan_calendar, name="plan"),
    path("plan/setup/", views.plan_setup, name="plan_setup"),
]
