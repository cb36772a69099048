from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "backstride.web.education"
    label = "education"
    default_auto_field = "django.db.models.BigAutoField"
