from django.apps import AppConfig


class RunlogConfig(AppConfig):
    name = "backstride.web.runlog"
    label = "runlog"
    default_auto_field = "django.db.models.BigAutoField"
