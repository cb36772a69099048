from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "backstride.web.backups"
    label = "backups"
