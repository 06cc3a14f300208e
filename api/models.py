import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in the address of a person's own calendar feed; renewing it makes the old address answer 404."""

    person = models.OneToOneField(
        "municipalities.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self) -> str:
        return str(self.person)

    def renew(self) -> None:
        self.token, self.created_at = new_token(), timezone.now()
        self.save(update_fields=["token", "created_at"])
