from django.urls import path

from backstride.web.exports import views

app_name = "exports"
urlpatterns = [
    path("plan/workouts/<int:pk>.fit", views.workout, name="workout"),
    path("plan/workouts/week-<int:week>.zip", views.workout_week, name="workout_week"),
    path("plan/calendar/", views.calendar, name="calendar"),
    path("plan/calendar.ics", views.calendar_download, name="calendar_ics"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
