"""Abstract bases only: core holds no tables of its own."""

from django.db import models
from django.utils import timezone


class Timestamped(models.Model):
    """When a row was made and last changed: what open-data harvesters ask for (OParl `created`/`modified`,
    the `modified_since` filter) and what caches validate against."""

    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    modified_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        # Stamped here rather than by auto_now, so that a save of a few fields (update_fields) stamps it too.
        self.modified_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "modified_at"}
        super().save(*args, **kwargs)
