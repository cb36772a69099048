from django.apps import AppConfig


class AdverseEventsConfig(AppConfig):
    name = "backstride.web.adverse_events"
    label = "adverse_events"
    default_auto_field = "django.db.models.BigAutoField"
