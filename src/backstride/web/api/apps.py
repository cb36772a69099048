from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "backstride.web.api"
    label = "api"
    verbose_name = "API"
