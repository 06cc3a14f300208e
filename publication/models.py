"""Woo publication: the act that makes one thing public (Wet open overheid art. 3.3), and its record."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import limits
from core.files import checksums_of
from core.workflow import TransitionNotAllowed
from publication import diwoo


class PublicationQuerySet(models.QuerySet):
    def live(self) -> PublicationQuerySet:
        """What the public side shows: published and neither withdrawn nor replaced."""
        return self.filter(state=Publication.State.PUBLISHED)

    def for_target(self, kind: str, target) -> PublicationQuerySet:
        return self.filter(target_key=Publication.key_for(kind, target))


class Publication(models.Model):
    """One publication under the Woo: what was made public, when, by whom, in which information category."""

    class Kind(models.TextChoices):
        AGENDA = "agenda", _("agenda")
        DECISION_LIST = "decision_list", _("decision list")
        MINUTES = "minutes", _("minutes")
        COLLEGE_DECISION = "college_decision", _("college decision")
        WORK_PROGRAMME = "work_programme", _("work programme")
        PROGRESS_REPORT = "progress_report", _("progress report")
        COVENANT = "covenant", _("covenant")

    class State(models.TextChoices):
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")
        REPLACED = "replaced", _("replaced by a newer version")

    # The field that points at what each kind publishes.
    TARGET_FIELD = {
        Kind.AGENDA: "meeting",
        Kind.DECISION_LIST: "meeting",
        Kind.MINUTES: "minutes",
        Kind.COLLEGE_DECISION: "college_decision",
        Kind.WORK_PROGRAMME: "work_programme",
        Kind.PROGRESS_REPORT: "work_programme",
        Kind.COVENANT: "cooperation",
    }

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="publications"
    )
    minutes = models.ForeignKey(
        "meetings.Minutes", on_delete=models.PROTECT, null=True, blank=True, related_name="publications"
    )
    college_decision = models.ForeignKey(
        "decisions.CollegeDecision", on_delete=models.PROTECT, null=True, blank=True, related_name="publications"
    )
    work_programme = models.ForeignKey(
        "governance.WorkProgramme", on_delete=models.PROTECT, null=True, blank=True, related_name="publications"
    )
    cooperation = models.ForeignKey(
        "governance.Cooperation", on_delete=models.PROTECT, null=True, blank=True, related_name="publications"
    )
    # "<kind>:<pk of the target>": one live publication per target (the constraint below).
    target_key = models.CharField(max_length=60, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    title = models.CharField(
        _("official title"), max_length=300, help_text=_("The title under which the Woo index lists it.")
    )
    publisher = models.URLField(_("publisher"), max_length=200, help_text=_("The TOOI identifier of the publisher."))
    publisher_name = models.CharField(_("publisher's name"), max_length=200)
    information_category = models.CharField(
        _("information category"), max_length=200, choices=diwoo.InformationCategory.choices
    )
    handling = models.CharField(_("document handling"), max_length=200, choices=diwoo.DocumentHandling.choices)
    handled_on = models.DateField(_("date of the handling"))
    created_on = models.DateField(_("date of the document"))

    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PUBLISHED)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    removal_reason = models.CharField(
        _("reason for removal"), max_length=200, choices=diwoo.RemovalReason.choices, blank=True
    )
    withdrawn_reason = models.TextField(_("reason for withdrawing"), blank=True, max_length=limits.NOTE)
    # When it was withdrawn or replaced: the sitemap's lastmod, so the Woo index learns of the change.
    withdrawn_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    replaced_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces", editable=False
    )
    # The PDF as published, kept with its checksum (rendered by a task after the act; a covenant's is uploaded).
    file = models.FileField(_("file"), upload_to="publications/%Y/", max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    sha512 = models.CharField(max_length=128, blank=True)  # OParl's File.sha512Checksum
    size = models.PositiveBigIntegerField(null=True, blank=True)

    history = HistoricalRecords()

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        indexes = [models.Index(fields=["state", "published_at"]), models.Index(fields=["target_key"])]
        constraints = [
            models.UniqueConstraint(
                fields=["target_key"],
                condition=Q(state="published"),
                name="one_live_publication_per_target",
                violation_error_message=_("This is already published."),
            ),
            models.CheckConstraint(
                condition=~Q(state="withdrawn") | ~Q(withdrawn_reason=""), name="withdrawal_has_a_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public_publication", args=[self.pk])

    @classmethod
    def key_for(cls, kind: str, target) -> str:
        return f"{kind}:{target.pk}"

    @property
    def target(self):
        return getattr(self, self.TARGET_FIELD[self.kind])

    @property
    def is_live(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def file_name(self) -> str:
        return f"{self.get_kind_display()}-{self.pk}.pdf".replace(" ", "-")

    @classmethod
    @transaction.atomic
    def publish(cls, kind: str, target, *, by, **metadata) -> Publication:
        """Publishes `target` as `kind`; a live publication of the same target is replaced by this one
        (its reason: a newer version), so a harvester that had the old one learns of the new."""
        key = cls.key_for(kind, target)
        previous = cls.objects.select_for_update().filter(target_key=key, state=cls.State.PUBLISHED).first()
        version = (cls.objects.filter(target_key=key).aggregate(models.Max("version"))["version__max"] or 0) + 1
        if previous is not None:
            previous.state = cls.State.REPLACED
            previous.removal_reason = diwoo.REPLACED_REASON
            previous.withdrawn_at = timezone.now()
            previous.withdrawn_by = by
            previous._change_reason = "replaced"
            previous.save(update_fields=["state", "removal_reason", "withdrawn_at", "withdrawn_by"])
        publication = cls(kind=kind, target_key=key, version=version, published_by=by, **metadata)
        setattr(publication, cls.TARGET_FIELD[kind], target)
        limits.check_lengths(cls, title=publication.title)
        publication.save()
        if previous is not None:
            previous.replaced_by = publication
            previous.save(update_fields=["replaced_by"])
        if kind != cls.Kind.COVENANT:
            from publication.tasks import render_publication_pdf

            render_publication_pdf.delay_on_commit(publication.pk)
        return publication

    @transaction.atomic
    def withdraw(self, *, by, reason: str, removal_reason: str = "") -> None:
        """Withdraws a live publication (it stays in the sitemaps with its reason, so the Woo index drops it)."""
        locked = Publication.objects.select_for_update().get(pk=self.pk)
        if locked.state != self.State.PUBLISHED:
            raise TransitionNotAllowed(_("Only a publication that is still public can be withdrawn."))
        if not reason.strip():
            raise ValidationError({"reason": _("Give the reason for withdrawing.")})
        limits.check_lengths(Publication, withdrawn_reason=reason.strip())
        self.state = self.State.WITHDRAWN
        self.withdrawn_reason = reason.strip()
        self.withdrawn_at = timezone.now()
        self.withdrawn_by = by
        self.removal_reason = removal_reason or diwoo.WITHDRAWN_REASON
        self._change_reason = "withdrawn"
        self.save()

    def attach(self, upload) -> None:
        """Keeps an uploaded file (a signed covenant) as the publication's PDF, with its checksum."""
        self.sha256, self.sha512 = checksums_of(upload)
        self.size = upload.size
        self.file.save(self.file_name, upload, save=False)
        self.save(update_fields=["file", "sha256", "sha512", "size"])

    @property
    def lastmod(self) -> datetime.datetime:
        return self.withdrawn_at or self.published_at


class PublisherSetting(models.Model):
    """Who publishes for a cooperation: its own TOOI identifier (a joint arrangement in the TOOI list of
    samenwerkingsorganisaties), or the municipality that keeps its secretariat and publishes on its behalf."""

    cooperation = models.OneToOneField(
        "governance.Cooperation", on_delete=models.CASCADE, related_name="publisher", verbose_name=_("cooperation")
    )
    tooi = models.URLField(
        _("TOOI identifier"),
        max_length=200,
        blank=True,
        help_text=_(
            "Its identifier in the TOOI lists, for a joint arrangement in the list of samenwerkingsorganisaties."
        ),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    on_behalf_of = models.ForeignKey(
        "municipalities.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by the municipality"),
        help_text=_("When the cooperation has no TOOI identifier of its own: the municipality of its secretariat."),
    )

    class Meta:
        verbose_name = _("publisher of a cooperation")
        verbose_name_plural = _("publishers of cooperations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(tooi="") | Q(on_behalf_of__isnull=False),
                name="publisher_has_an_identity",
                violation_error_message=_("Give a TOOI identifier or the municipality that publishes."),
            )
        ]

    def __str__(self) -> str:
        return str(self.cooperation)

    def clean(self) -> None:
        if self.tooi and not diwoo.is_known_organisation(self.tooi):
            raise ValidationError({"tooi": _("This is not an organisation in the TOOI lists of DiWoo 0.9.8.")})

    def identity(self) -> tuple[str, str]:
        if self.tooi:
            return self.tooi, self.name or str(self.cooperation)
        return diwoo.publisher_for_municipality(self.on_behalf_of.cbs_code), str(self.on_behalf_of)
