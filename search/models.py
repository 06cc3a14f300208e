"""The full-text index: one entry per searchable thing, kept current from the apps' own saves, and the text
extracted from uploaded documents (docs/adr/0016-full-text-search.md)."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentText(models.Model):
    """The text of one uploaded document version, as the extraction task found it."""

    class Status(models.TextChoices):
        EXTRACTED = "extracted", _("extracted")
        FAILED = "failed", _("failed")
        UNSUPPORTED = "unsupported", _("no text to extract from this type")

    version = models.OneToOneField("meetings.DocumentVersion", on_delete=models.CASCADE, related_name="text")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    text = models.TextField(blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    extracted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document text")
        verbose_name_plural = _("document texts")

    def __str__(self) -> str:
        return f"{self.version}: {self.get_status_display()}"


class SearchEntry(models.Model):
    """One searchable thing, with what the visibility rules need to decide in SQL who may find it."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("meeting")
        ITEM = "item", _("agenda item")
        DOCUMENT = "document", _("document")
        MINUTES = "minutes", _("minutes")
        ACTION_POINT = "action_point", _("action point")
        PROPOSAL = "proposal", _("regional proposal")
        DECISION = "decision", _("college decision")
        COUNCIL_TRACK = "council_track", _("council track")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    vector = SearchVectorField(null=True, editable=False)
    date = models.DateField(null=True)
    # The filters, and the keys of the visibility rules (search/visibility.py).
    body_id = models.PositiveBigIntegerField(null=True)
    meeting_id = models.PositiveBigIntegerField(null=True)
    municipality_id = models.PositiveBigIntegerField(null=True)
    proposal_id = models.PositiveBigIntegerField(null=True)
    confidential = models.BooleanField(default=False)
    # For meeting things: the agenda went out to the members (a draft is its secretariat's); for minutes
    # and action points: the minutes left the draft; for a college decision: it is final (signed).
    released = models.BooleanField(default=False)
    # Of a document's versions, the latest (the one the signed-in search shows).
    latest = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_entry_per_object")]
        indexes = [models.Index(fields=["kind", "body_id"]), models.Index(fields=["date"])]
        # The GIN index on `vector` is made on PostgreSQL only (migration 0002).

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
