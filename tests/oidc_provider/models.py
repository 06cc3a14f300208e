from django.conf import settings
from django.db import models


class Profile(models.Model):
    """What the provider says about one of its users: claims, and test knobs whose names start with "_"."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    claims = models.JSONField(default=dict)

    def __str__(self) -> str:
        return str(self.user)
