from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "backstride.web.exports"
    label = "exports"
    verbose_name = "Send to watch and calendar"
    default_auto_field = "django.db.models.BigAutoField"
