from django.urls import path

from backstride.web.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("upload/", views.upload, name="upload"),
    path("upload/several/", views.bulk_upload, name="bulk"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/original/", views.activity_original, name="original"),
]
