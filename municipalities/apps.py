from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    verbose_name = _("Municipalities and people")

    def ready(self) -> None:
        from municipalities import signals  # noqa: F401
