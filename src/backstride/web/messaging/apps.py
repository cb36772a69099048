from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "backstride.web.messaging"
    label = "messaging"
    default_auto_field = "django.db.models.BigAutoField"
