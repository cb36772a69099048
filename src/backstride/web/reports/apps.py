from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "backstride.web.reports"
    label = "reports"
    verbose_name = "Reports and exports"
