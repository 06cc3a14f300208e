from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Log-in and accounts")

    def ready(self) -> None:
        # The coordinator's page of two-step verification; it also takes django-otp's device pages out.
        # The session records follow the log-ins and log-outs (signal receivers in accounts/sessions.py).
        from accounts import (
            admin_second_factor,  # noqa: F401
            sessions,  # noqa: F401
        )
