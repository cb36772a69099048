from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backstride.web.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from backstride.web.accounts import sessions, two_factor

        # At every log-in: the session's start (timeouts) and whether it owes a code.
        user_logged_in.connect(sessions.on_user_logged_in, dispatch_uid="backstride-session")
        user_logged_in.connect(two_factor.on_user_logged_in, dispatch_uid="backstride-otp")
