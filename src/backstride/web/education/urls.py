from django.urls import path

from backstride.web.education import views

app_name = "education"
urlpatterns = [
    path("", views.cards, name="cards"),
    path("sources/", views.sources, name="sources"),
]
