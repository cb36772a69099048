from django.urls import path

from backstride.web.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("backstride-data.zip", views.archive, name="archive"),
    path("fhir.json", views.fhir_bundle, name="fhir"),
    path("erase/", views.erase, name="erase"),
]
