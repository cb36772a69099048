from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "backstride.web.safety"
    label = "safety"
    default_auto_field = "django.db.models.BigAutoField"
