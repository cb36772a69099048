from django.urls import path

from backstride.web.messaging import views

app_name = "messaging"
urlpatterns = [
    path("", views.patient_thread, name="thread"),
]
