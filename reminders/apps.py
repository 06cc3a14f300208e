from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("reminders")

    def ready(self) -> None:
        from django_celery_beat.models import PeriodicTask

        from reminders import signals  # noqa: F401

        # The scheduler's own model names have no Dutch translation in its package.
        PeriodicTask._meta.verbose_name = _("periodic task")
        PeriodicTask._meta.verbose_name_plural = _("periodic tasks")
        apps.get_app_config("django_celery_beat").verbose_name = _("Periodic Tasks")
