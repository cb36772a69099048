"""The account's API token pages (the API itself is ``v1.urls()``)."""

from django.urls import path

from backstride.web.api import views

app_name = "tokens"
urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
]
