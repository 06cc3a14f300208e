from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self) -> None:
        from core import hardening  # noqa: F401 - registers the security.txt deploy check
