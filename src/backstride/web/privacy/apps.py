from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "backstride.web.privacy"
    label = "privacy"
    verbose_name = "Your data: download and erasure"
