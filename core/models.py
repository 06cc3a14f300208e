"""Abstract bases only: core holds no tables of its own."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


class StoredFile(models.Model):
    """A file someone uploaded to an object, kept with its original name, its type as checked by content
    (core/uploads) and its checksum. A concrete subclass adds the object it belongs to and `upload_to`."""

    title = models.CharField(_("title"), max_length=250)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def keep(cls, upload, *, title: str, by, **owner):
        """Stores an upload that passed the upload field's content check, for its owner object."""
        from core.files import sha256_of, shortened_name

        name = shortened_name(upload.name)
        return cls.objects.create(
            title=(title or "").strip() or name,
            file=upload,
            original_name=name,
            content_type=getattr(upload, "checked_content_type", "application/octet-stream"),
            size=upload.size,
            sha256=sha256_of(upload),
            uploaded_by=by,
            **owner,
        )


def stored_file_path(instance, filename: str) -> str:
    import uuid

    return f"{instance._meta.app_label}/{timezone.now():%Y}/{uuid.uuid4().hex}"
