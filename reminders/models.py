from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from solo.models import SingletonModel

from core import limits
from municipalities.models import Person


class ReminderSettings(SingletonModel):
    """The lead times of the reminders and how hard the portal tries to deliver them."""

    agenda_deadline_days = models.PositiveSmallIntegerField(
        _("agenda closes: days before"), default=3, help_text=_("Reminds submitters and the secretary.")
    )
    documents_missing_days = models.PositiveSmallIntegerField(
        _("documents missing: days before the documents are due"), default=2
    )
    agenda_unpublished_days = models.PositiveSmallIntegerField(
        _("agenda not published: days before the meeting"), default=7
    )
    college_secretary_days = models.PositiveSmallIntegerField(
        _("college decision pending: days after sending (municipal secretary)"), default=14
    )
    college_mayor_days = models.PositiveSmallIntegerField(
        _("college decision pending: days after sending (mayor)"), default=21
    )
    council_deadline_days = models.PositiveSmallIntegerField(
        _("council deadline: days before the latest college date"), default=7
    )
    action_due_days = models.PositiveSmallIntegerField(_("action point: days before the due date"), default=3)
    action_overdue_days = models.PositiveSmallIntegerField(_("action point: days after the due date"), default=1)
    minutes_unsent_days = models.PositiveSmallIntegerField(_("minutes not sent: days after the meeting"), default=10)
    send_hour = models.PositiveSmallIntegerField(
        _("hour of the day reminders go out"),
        default=8,
        help_text=_("For reminders counted in days; between 6 and 22."),
    )
    max_attempts = models.PositiveSmallIntegerField(_("attempts before a reminder fails"), default=5)
    claim_timeout_seconds = models.PositiveIntegerField(
        _("seconds before a claimed reminder is handed out again"),
        default=600,
        help_text=_("After a worker stopped in the middle of sending."),
    )

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")

    def __str__(self) -> str:
        return str(_("Reminder settings"))

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if not 6 <= self.send_hour <= 22:
            raise ValidationError({"send_hour": _("Choose an hour between 6 and 22.")})
        if self.max_attempts < 1:
            raise ValidationError({"max_attempts": _("At least one attempt.")})
        if self.claim_timeout_seconds < 30:
            raise ValidationError({"claim_timeout_seconds": _("At least 30 seconds.")})

    def on_day(self, day: datetime.date) -> datetime.datetime:
        """The moment on that day when day-counted reminders go out, in the portal's time zone."""
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(self.send_hour)))


class Digest(models.Model):
    """The one e-mail a day that gathers the reminders of a person who chose a digest."""

    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="digests")
    day = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="one_digest_per_person_day")]
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")

    def __str__(self) -> str:
        return f"{self.recipient} {self.day:%d-%m-%Y}"

    @property
    def key(self) -> str:
        return f"digest:{self.recipient_id}:{self.day.isoformat()}"

    @property
    def stable_message_id(self) -> str:
        return message_id_for(self.key)


def message_id_for(key: str) -> str:
    """A Message-ID that is the same every time for the same key, so a resent mail is recognisably the same."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("<> ") or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


class ReminderQuerySet(models.QuerySet):
    def due(self, now: datetime.datetime | None = None) -> ReminderQuerySet:
        now = now or timezone.now()
        return self.filter(
            Q(retry_after__isnull=True) | Q(retry_after__lte=now),
            status=Reminder.Status.PENDING,
            due_at__lte=now,
        )

    def delivered_to(self, person: Person) -> ReminderQuerySet:
        """The notification list: everything that reached the person, however it was delivered."""
        return self.filter(recipient=person, status=Reminder.Status.SENT)

    def unread(self) -> ReminderQuerySet:
        return self.filter(read_at__isnull=True)


class Reminder(models.Model):
    """One reminder to one person about one thing at one moment; sent at most once."""

    class Kind(models.TextChoices):
        AGENDA_DEADLINE = "agenda_deadline", _("agenda closes soon")
        DOCUMENTS_MISSING = "documents_missing", _("documents missing")
        AGENDA_UNPUBLISHED = "agenda_unpublished", _("agenda not yet published")
        COLLEGE_PENDING = "college_pending", _("college decision pending")
        COLLEGE_PENDING_MAYOR = "college_pending_mayor", _("college decision pending (mayor)")
        COUNCIL_DEADLINE = "council_deadline", _("council deadline approaching")
        ACTION_DUE = "action_due", _("action point due")
        ACTION_OVERDUE = "action_overdue", _("action point overdue")
        MINUTES_UNSENT = "minutes_unsent", _("minutes not yet sent")
        EVALUATION = "evaluation", _("monthly evaluation")
        # Notices of something that just happened, sent once at that moment.
        SUBMISSION_ANSWERED = "submission_answered", _("your item was answered")
        SUBMISSION_RETURNED = "submission_returned", _("your item was sent back")
        SUBMISSION_ROUTED = "submission_routed", _("your item is on an agenda")
        PROPOSAL_SENT = "proposal_sent", _("regional proposal for your college")
        DECISION_TO_SIGN = "decision_to_sign", _("college decision to sign")
        COUNCIL_STEP = "council_step", _("council step to take")
        MINUTES_COMMENT = "minutes_comment", _("comment on minutes")
        ITEM_FORWARDED = "item_forwarded", _("item forwarded to your meeting")
        AGENDA_PUBLISHED = "agenda_published", _("agenda published")
        # Meeting invitations with a calendar item (RFC 5546): on publication, on a new time or place, on
        # cancellation; to everyone invited, whether or not they log in.
        MEETING_INVITATION = "meeting_invitation", _("meeting invitation")
        MEETING_UPDATE = "meeting_update", _("meeting moved")
        MEETING_CANCELLED = "meeting_cancelled", _("meeting cancelled")
        # The region's arrangements: a zienswijze round opened, an adoption's advice due, a notice of leaving,
        # the covenant's evaluation due.
        OPINION_ROUND = "opinion_round", _("zienswijze round opened")
        OPINION_DUE = "opinion_due", _("zienswijze period ends")
        ADOPTION_DUE = "adoption_due", _("adoption advice due")
        LEAVING_NOTICE = "leaving_notice", _("notice of leaving")
        COVENANT_EVALUATION = "covenant_evaluation", _("covenant evaluation due")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        CLAIMED = "claimed", _("being sent")
        SENT = "sent", _("sent")
        SKIPPED = "skipped", _("skipped")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    about = GenericForeignKey("content_type", "object_id")
    recipient = models.ForeignKey(
        Person, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="reminders"
    )
    due_at = models.DateTimeField(_("due at"))
    # What the reminder is about in time (a deadline, a due date), so that new
    # lead times or a new hour of sending never send the same reminder again.
    anchor = models.CharField(_("about the date"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    retry_after = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivery = models.CharField(_("delivered as"), max_length=10, choices=Person.Delivery.choices, blank=True)
    digest = models.ForeignKey(Digest, on_delete=models.SET_NULL, null=True, blank=True, related_name="reminders")
    message_id = models.CharField(_("message id"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    note = models.TextField(
        _("note"), blank=True, max_length=limits.NOTE, help_text=_("Why it was skipped, or the last error.")
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    changed_at = models.DateTimeField(_("last change"), default=timezone.now)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-due_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient", "due_at"], name="one_reminder_per_key"
            )
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="reminder_status_due"),
            models.Index(fields=["recipient", "status", "read_at"], name="reminder_recipient_list"),
            models.Index(fields=["content_type", "object_id"], name="reminder_about"),
            # The janitor: claimed rows by the moment they were claimed.
            models.Index(fields=["claimed_at"], condition=Q(status="claimed"), name="reminder_claimed"),
            # The daily digest: what reached people who chose a digest and is not yet in one.
            models.Index(
                fields=["recipient"],
                condition=Q(status="sent", delivery="digest", digest__isnull=True),
                name="reminder_digest_waiting",
            ),
            # The admin list, newest first, a page at a time.
            models.Index(fields=["due_at", "id"], name="reminder_due_list"),
            # The operations page: sent and skipped today.
            models.Index(fields=["status", "sent_at"], name="reminder_status_sent"),
            models.Index(fields=["status", "changed_at"], name="reminder_status_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({timezone.localtime(self.due_at):%d-%m-%Y %H:%M})"

    def save(self, *args, **kwargs) -> None:
        self.changed_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "changed_at"}
        super().save(*args, **kwargs)

    @property
    def key(self) -> str:
        return (
            f"{self.kind}:{self.content_type_id}:{self.object_id}:{self.recipient_id}:"
            f"{self.due_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"
        )

    @property
    def stable_message_id(self) -> str:
        return message_id_for(self.key)


class TaskRun(models.Model):
    """When a periodic task of the portal last ran, for the coordinator's status page."""

    name = models.CharField(max_length=100, unique=True)
    finished_at = models.DateTimeField()
    result = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("task run")
        verbose_name_plural = _("task runs")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def record(cls, name: str, result: str = "") -> None:
        cls.objects.update_or_create(name=name, defaults={"finished_at": timezone.now(), "result": result[:200]})


class PlanningMark(models.Model):
    """How far the planning sweep got for one kind of reminder: what it has seen up to, and where a run
    that stopped halfway picks up."""

    kind = models.CharField(_("kind"), max_length=30, unique=True)
    # Changes up to this moment have been planned (None: never swept; the first run plans everything).
    swept_until = models.DateTimeField(null=True, blank=True)
    # A run in progress covers the changes up to this moment, and has done the objects up to `cursor`.
    run_until = models.DateTimeField(null=True, blank=True)
    cursor = models.PositiveBigIntegerField(default=0)
    # Plan every open object, not only those a change touched (new lead times; an explicit full run).
    full = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("planning mark")
        verbose_name_plural = _("planning marks")

    def __str__(self) -> str:
        return self.kind
