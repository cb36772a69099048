from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "backstride.web.outcomes"
    label = "outcomes"
    verbose_name = "Outcome questionnaires"
    default_auto_field = "django.db.models.BigAutoField"
