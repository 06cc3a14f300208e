from __future__ import annotations

import datetime
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core import limits
from core.files import checksums_of, shortened_name
from core.models import Timestamped
from core.periods import deadline_on_working_day
from core.workflow import StatusWorkflow, TransitionNotAllowed
from governance.models import ConsultationBody
from meetings.woo import WooGround
from municipalities.models import Municipality, Office, Person, Portfolio


class StaleAgenda(Exception):
    """Someone else changed the agenda since this page was loaded; views answer 409."""


class Purpose(models.TextChoices):
    """What the meeting is asked to do with an item, in the order of the agenda's usual wording."""

    INFORMATION = "information", _("for information")  # ter informatie
    DISCUSSION = "discussion", _("for discussion")  # ter bespreking
    ADVICE = "advice", _("for advice")  # ter advisering
    REGIONAL_POSITION = "regional_position", _("for a regional position")
    DECISION = "decision", _("for decision")  # ter besluitvorming
    ADOPTION = "adoption", _("for adoption")  # ter vaststelling
    CONSENT = "consent", _("for the consent of each college")  # ter instemming


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now: datetime.datetime | None = None) -> MeetingQuerySet:
        return self.filter(starts_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now: datetime.datetime | None = None) -> MeetingQuerySet:
        return self.filter(starts_at__lt=now or timezone.now()).order_by("-starts_at")

    def open_for_items(self, now: datetime.datetime | None = None) -> MeetingQuerySet:
        """Planned meetings still to come, whose agenda is not yet published."""
        return self.upcoming(now).filter(status=Meeting.Status.PLANNED)


class Meeting(StatusWorkflow, Timestamped):
    """A meeting (vergadering) of a consultation body, with its agenda."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        PUBLISHED = "published", _("agenda published")
        HELD = "held", _("held")
        MINUTES_ADOPTED = "minutes_adopted", _("minutes adopted")
        CANCELLED = "cancelled", _("cancelled")

    TRANSITIONS = {
        Status.PLANNED: {Status.PUBLISHED, Status.CANCELLED},
        Status.PUBLISHED: {Status.HELD, Status.CANCELLED},
        Status.HELD: {Status.MINUTES_ADOPTED},
        Status.MINUTES_ADOPTED: set(),
        Status.CANCELLED: set(),
    }
    # The agenda can change in these states; once published, only by addendum.
    AGENDA_OPEN = {Status.PLANNED, Status.PUBLISHED}

    body = models.ForeignKey(
        ConsultationBody, verbose_name=_("consultation body"), on_delete=models.PROTECT, related_name="meetings"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    agenda_deadline = models.DateTimeField(_("agenda closes"))
    documents_deadline = models.DateTimeField(_("documents due"))
    agenda_version = models.PositiveIntegerField(default=0, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True, max_length=limits.NOTE)
    # The iCalendar SEQUENCE of the meeting (RFC 5545, 3.8.7.4): raised by each change of its time or place
    # and by its cancellation, so that calendars replace what they hold; and when that last happened.
    schedule_sequence = models.PositiveIntegerField(default=0, editable=False)
    rescheduled_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["agenda_version"])

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            # Upcoming and past meetings in date order (upcoming(), past(), the admin list and its dates).
            models.Index(fields=["starts_at"], name="meeting_starts_at"),
            # Meetings open for items (open_for_items()): planned, still to come, in date order.
            models.Index(fields=["status", "starts_at"], name="meeting_status_starts_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("A meeting ends after it starts."),
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.body} {local:%d-%m-%Y %H:%M}"

    # What a calendar shows of the meeting: a change to one of these is a new SEQUENCE.
    SCHEDULE_FIELDS = ("starts_at", "ends_at", "location", "status")

    def save(self, *args, **kwargs) -> None:
        creating = self._state.adding
        # One read of what this save may change of the agenda PDF and of the calendar item.
        stored = None if creating else self._stored_fields(kwargs.get("update_fields"))
        shown_before = None
        if stored and self.has_published_agenda:
            shown_before = {name: stored[name] for name in self.AGENDA_PDF_FIELDS if name in stored} or None
        if stored:
            self._count_schedule_change(stored, kwargs)
        with transaction.atomic():
            super().save(*args, **kwargs)
            if creating:
                self._add_fixed_items()
            elif shown_before and shown_before != {name: getattr(self, name) for name in shown_before}:
                self.refresh_agenda_pdf()

    def _count_schedule_change(self, stored: dict, kwargs) -> None:
        moved = any(stored[f] != getattr(self, f) for f in self.SCHEDULE_FIELDS if f != "status" and f in stored)
        cancelled = "status" in stored and stored["status"] != self.status == self.Status.CANCELLED
        if moved or cancelled:
            self.schedule_sequence += 1
            self.rescheduled_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "schedule_sequence", "rescheduled_at"}

    # What the agenda PDF shows of the meeting itself (templates/pdf/agenda.html).
    AGENDA_PDF_FIELDS = ("starts_at", "ends_at", "location", "online_url")

    def _stored_fields(self, update_fields) -> dict | None:
        """The stored values of the fields the agenda PDF or the calendar shows, when this save may change them."""
        names = dict.fromkeys((*self.AGENDA_PDF_FIELDS, *self.SCHEDULE_FIELDS))
        fields = [name for name in names if update_fields is None or name in update_fields]
        return Meeting.objects.filter(pk=self.pk).values(*fields).first() if fields else None

    def refresh_agenda_pdf(self) -> None:
        """After a change the agenda PDF shows that is not an agenda change of its own (a document, the minutes
        to adopt, the time or place, the cancellation): a published agenda gets a new version and its PDF is
        made again, as after an addendum. The task keeps the PDF it has when the new one reads the same."""
        from meetings.tasks import render_agenda_pdf

        if not self.has_published_agenda:
            return
        with transaction.atomic():
            locked = Meeting.objects.select_for_update().get(pk=self.pk)
            locked.agenda_version += 1
            locked.save(update_fields=["agenda_version"])
            self.agenda_version = locked.agenda_version
            render_agenda_pdf.delay_on_commit(self.pk)

    @classmethod
    def for_body(cls, body: ConsultationBody, starts_at: datetime.datetime, **fields) -> Meeting:
        """A new meeting with the body's usual location and deadlines (not yet saved); a deadline that falls
        on a weekend or a Dutch public holiday moves to the working day before (the working-day rule)."""
        fields.setdefault("location", body.usual_location)
        return cls(
            body=body,
            starts_at=starts_at,
            agenda_deadline=deadline_on_working_day(starts_at - datetime.timedelta(days=body.agenda_deadline_days)),
            documents_deadline=deadline_on_working_day(
                starts_at - datetime.timedelta(days=body.documents_deadline_days)
            ),
            **fields,
        )

    def long_name(self) -> str:
        """The body with the day and time in words, as the pages name the meeting."""
        return f"{self.body.name}, {date_format(timezone.localtime(self.starts_at), 'l j F Y H:i')}"

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The meeting must end after it starts.")
        if self.starts_at and self.agenda_deadline and self.agenda_deadline > self.starts_at:
            errors["agenda_deadline"] = _("The agenda must close before the meeting starts.")
        if self.starts_at and self.documents_deadline and self.documents_deadline > self.starts_at:
            errors["documents_deadline"] = _("Documents must be due before the meeting starts.")
        if errors:
            raise ValidationError(errors)

    def _add_fixed_items(self) -> None:
        kinds = [*AgendaItem.OPENING_KINDS, *AgendaItem.CLOSING_KINDS]
        # The agenda is a Dutch document, whatever language its maker reads the portal in.
        with translation.override(settings.LANGUAGE_CODE):
            titles = {kind: str(AgendaItem.FIXED_TITLES[kind]) for kind in kinds}
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=self, kind=kind, title=titles[kind], position=position)
            for position, kind in enumerate(kinds, start=1)
        )

    # Status transitions.

    def _check_version(self, version: int | None) -> None:
        """Refuses a step confirmed on a page that showed an older agenda (`None`: not from such a page)."""
        if version is not None and Meeting.objects.select_for_update().get(pk=self.pk).agenda_version != version:
            raise StaleAgenda(
                _(
                    "Someone else changed this agenda while you were working on it. "
                    "Your change was not saved; the page now shows the latest agenda."
                )
            )

    def publish(self, *, by, version: int | None = None) -> None:
        from meetings.tasks import render_agenda_pdf

        with transaction.atomic():
            self._check_version(version)
            self._transition(self.Status.PUBLISHED, published_at=timezone.now(), published_by=by)
            render_agenda_pdf.delay_on_commit(self.pk)

    @transaction.atomic
    def cancel(self, *, by, reason: str, version: int | None = None) -> None:
        if not reason.strip():
            raise ValidationError({"cancellation_reason": _("Give the reason for cancelling.")})
        limits.check_lengths(Meeting, cancellation_reason=reason.strip())
        self._check_version(version)
        self._transition(self.Status.CANCELLED, cancellation_reason=reason.strip())
        self.refresh_agenda_pdf()  # a published agenda says it is cancelled

    @transaction.atomic
    def mark_held(self, *, by, version: int | None = None) -> None:
        if self.can_become(self.Status.HELD) and not self.has_begun:
            raise TransitionNotAllowed(self.not_begun_message())
        self._check_version(version)
        self._transition(self.Status.HELD)

    def not_begun_message(self) -> str:
        return _("This meeting starts on %(start)s; it can be marked as held once it has begun.") % {
            "start": date_format(timezone.localtime(self.starts_at), "j F Y, H:i")
        }

    @property
    def is_published(self) -> bool:
        return self.status != self.Status.PLANNED

    @property
    def has_published_agenda(self) -> bool:
        """Its agenda went out, with a PDF: published, held, or cancelled after it was published."""
        return self.is_published and (self.status != self.Status.CANCELLED or self.published_at is not None)

    @property
    def agenda_is_open(self) -> bool:
        return self.status in self.AGENDA_OPEN

    @property
    def has_begun(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    # Agenda changes. Each one locks the meeting row, checks the version the
    # editor saw, records an addendum once the agenda is published, keeps the
    # positions a gap-free sequence and bumps the version.

    @transaction.atomic
    def change_agenda(self, *, version: int | None, by, reason: str = "") -> Meeting:
        """Locks the meeting for one agenda change and returns the locked row.

        `version=None` is for steps that do not come from an agenda form (a
        routed submission), which never conflict."""
        locked = Meeting.objects.select_for_update().get(pk=self.pk)
        if not locked.agenda_is_open:
            raise TransitionNotAllowed(
                _("The agenda of a meeting that is %(status)s can no longer change.")
                % {"status": locked.get_status_display()}
            )
        if version is not None and version != locked.agenda_version:
            raise StaleAgenda(
                _(
                    "Someone else changed this agenda while you were working on it. "
                    "Your change was not saved; the page now shows the latest agenda."
                )
            )
        if locked.is_published and not reason.strip():
            raise ValidationError(
                {"reason": _("The agenda is published: give the reason for this change (the addendum).")}
            )
        limits.check_lengths(Addendum, reason=reason.strip())
        return locked

    def _finish_change(self, locked: Meeting, item: AgendaItem | None, change: str, by, reason: str) -> None:
        from meetings.tasks import render_agenda_pdf

        locked.renumber()
        if locked.is_published:
            Addendum.objects.create(meeting=locked, item=item, change=change, reason=reason.strip(), made_by=by)
            render_agenda_pdf.delay_on_commit(locked.pk)
        locked.agenda_version += 1
        locked.save(update_fields=["agenda_version"])
        self.agenda_version = locked.agenda_version

    def add_item(self, *, version: int | None, by, reason: str = "", **fields) -> AgendaItem:
        with transaction.atomic():
            locked = self.change_agenda(version=version, by=by, reason=reason)
            closing = locked.items.filter(kind__in=AgendaItem.CLOSING_KINDS).order_by("position").first()
            position = closing.position if closing else locked.items.count() + 1
            for later in locked.items.filter(position__gte=position).order_by("-position"):
                later.position += 1
                later.save(update_fields=["position"])
            item = AgendaItem(meeting=locked, position=position, is_addendum=locked.is_published, **fields)
            item.full_clean()
            item.save()
            self._finish_change(locked, item, Addendum.Change.ADDED, by, reason)
        return item

    def update_item(self, item: AgendaItem, *, version: int | None, by, reason: str = "", **fields) -> None:
        with transaction.atomic():
            locked = self.change_agenda(version=version, by=by, reason=reason)
            for name, value in fields.items():
                setattr(item, name, value)
            item.full_clean()
            item.save()
            self._finish_change(locked, item, Addendum.Change.CHANGED, by, reason)

    def move_item(self, item: AgendaItem, *, to_position: int, version: int | None, by, reason: str = "") -> None:
        """Moves a regular item to a position among the regular items."""
        with transaction.atomic():
            locked = self.change_agenda(version=version, by=by, reason=reason)
            if item.is_fixed:
                raise TransitionNotAllowed(_("Fixed items (opening, minutes, closing) keep their place."))
            regular = list(locked.items.filter(kind=AgendaItem.Kind.REGULAR).order_by("position"))
            current = next(i for i in regular if i.pk == item.pk)
            first, last = regular[0].position, regular[-1].position
            target = min(max(to_position, first), last)
            if target == current.position:
                return
            regular.remove(current)
            regular.insert(target - first, current)
            for offset, each in enumerate(regular):
                if each.position != first + offset:
                    each.position = first + offset
                    each.save(update_fields=["position"])
            self._finish_change(locked, current, Addendum.Change.MOVED, by, reason)

    def remove_item(self, item: AgendaItem, *, version: int | None, by, reason: str = "") -> None:
        """Before publication an item is deleted; after it, it stays visible as withdrawn."""
        with transaction.atomic():
            locked = self.change_agenda(version=version, by=by, reason=reason)
            if item.is_fixed:
                raise TransitionNotAllowed(_("Fixed items (opening, minutes, closing) cannot be removed."))
            if locked.is_published:
                item.withdrawn = True
                item.save()
                self._finish_change(locked, item, Addendum.Change.WITHDRAWN, by, reason)
            else:
                if hasattr(item, "submission"):
                    item.submission.unroute()
                for document in item.documents.all():
                    if document.submission_id:
                        document.item = None
                        document.save()
                item.delete()
                self._finish_change(locked, None, Addendum.Change.WITHDRAWN, by, reason)

    def renumber(self) -> None:
        """Positions 1..n in the current order, saving only what moved."""
        for number, item in enumerate(self.items.order_by("position", "pk"), start=1):
            if item.position != number:
                item.position = number
                item.save(update_fields=["position"])

    def decision_list_entries(self) -> list[MinutesItem]:
        """For the decision list (besluitenlijst): per agenda item in order, what its minutes record as
        concluded and decided, with the action points. Nothing while the minutes are a draft, and never a
        confidential item: like the agenda PDF, the list goes to everyone who may see the meeting."""
        minutes = Minutes.objects.filter(meeting=self).exclude(status=Minutes.Status.DRAFT).first()
        if minutes is None:
            return []
        return list(
            minutes.items.filter(agenda_item__confidential=False, agenda_item__withdrawn=False)
            .filter(~Q(conclusions="") | Q(action_points__isnull=False))
            .distinct()
            .select_related("agenda_item")
            .prefetch_related("action_points__owner")
            .order_by("agenda_item__position")
        )

    def invited_councils(self) -> list[Office]:
        """For a joint council meeting: the council members and griffiers of the covered municipalities."""
        if self.body.kind != ConsultationBody.Kind.JOINT_COUNCIL:
            return []
        on = timezone.localdate(self.starts_at)
        return list(
            Office.objects.current(on)
            .filter(
                role__in=[Office.Role.COUNCIL_MEMBER, Office.Role.GRIFFIER],
                municipality__in=self.body.covered_municipalities(on),
            )
            .select_related("person", "municipality")
            .order_by("municipality__name", "role", "person__surname")
        )

    def invitations(self) -> dict[Person, list[AgendaItem]]:
        """The portfolio holders invited for the items in their portfolio, on the meeting date, with those
        items: every alderman holding it for the administrative meeting; for the coordination meeting only
        the chair of the portfolio-holder meeting of that policy area."""
        if not self.body.invites_portfolio_holders:
            return {}
        items = [i for i in self.items.all() if i.portfolio_id and not i.withdrawn]
        if not items:
            return {}
        on = timezone.localdate(self.starts_at)
        if self.body.kind == ConsultationBody.Kind.COORDINATION:
            return self._invite_lead_portfolio_holders(items, on)
        offices = (
            Office.objects.current(on)
            .filter(
                role=Office.Role.ALDERMAN,
                portfolios__in={i.portfolio_id for i in items},
                municipality__in=self.body.covered_municipalities(on),
            )
            .select_related("person", "municipality")
            .prefetch_related("portfolios")
            .distinct()
            .order_by("municipality__name", "person__surname")
        )
        invited: dict[Person, list[AgendaItem]] = {}
        for office in offices:
            held = {p.pk for p in office.portfolios.all()}
            person = office.person
            person.invited_for = office.municipality
            invited.setdefault(person, []).extend(i for i in items if i.portfolio_id in held)
        return invited

    def invitees(self) -> list[Person]:
        """Everyone the invitation goes to, once each: the body's chair, members and advisory members on the
        meeting date, the portfolio holders invited for their items and, for a joint council meeting, the
        council members and griffiers of the covered municipalities. Not the secretaries: they send it."""
        on = timezone.localdate(self.starts_at)
        seats = self.body.memberships.current(on).exclude(role="secretary").select_related("person")
        people = {seat.person.pk: seat.person for seat in seats}
        for person in self.invitations():
            people.setdefault(person.pk, person)
        for office in self.invited_councils():
            people.setdefault(office.person_id, office.person)
        return sorted(people.values(), key=lambda p: (p.surname, p.given_name, p.pk))

    def _invite_lead_portfolio_holders(self, items: list[AgendaItem], on: datetime.date) -> dict:
        chaired: dict[Person, set[int]] = {}
        for chair in self.body.lead_portfolio_holders({i.portfolio_id for i in items}, on):
            person = chair.person
            person.invited_for = chair.on_behalf_of
            chaired.setdefault(person, set()).add(chair.body.policy_area_id)
        return {person: [i for i in items if i.portfolio_id in areas] for person, areas in chaired.items()}


class AgendaItem(Timestamped):
    """An item (agendapunt) on a meeting's agenda; numbered by its position."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("opening")
        PREVIOUS_MINUTES = "previous_minutes", _("minutes of the previous meeting")
        ACTION_LIST = "action_list", _("action list")
        REGULAR = "regular", _("item")
        ANY_OTHER_BUSINESS = "any_other_business", _("any other business")
        CLOSING = "closing", _("closing")

    OPENING_KINDS = [Kind.OPENING, Kind.PREVIOUS_MINUTES, Kind.ACTION_LIST]
    CLOSING_KINDS = [Kind.ANY_OTHER_BUSINESS, Kind.CLOSING]
    FIXED_TITLES = {
        Kind.OPENING: _("Opening and announcements"),
        Kind.PREVIOUS_MINUTES: _("Minutes of the previous meeting"),
        Kind.ACTION_LIST: _("Action list"),
        Kind.ANY_OTHER_BUSINESS: _("Any other business"),
        Kind.CLOSING: _("Closing"),
    }

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    title = models.CharField(_("title"), max_length=250)
    explanation = models.TextField(_("explanation"), blank=True, max_length=limits.TEXT)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, blank=True)
    portfolio = models.ForeignKey(
        Portfolio,
        verbose_name=_("policy area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        help_text=_("The aldermen holding this portfolio are invited for this item."),
    )
    confidential = models.BooleanField(
        _("confidential"), default=False, help_text=_("Only members see a confidential item, not advisory members.")
    )
    forwarded_from = models.ForeignKey(
        "self",
        verbose_name=_("forwarded from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forwarded_to",
    )
    is_addendum = models.BooleanField(_("added after publication"), default=False, editable=False)
    withdrawn = models.BooleanField(_("withdrawn"), default=False, editable=False)
    minutes_to_adopt = models.ForeignKey(
        "Minutes",
        verbose_name=_("minutes to adopt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="adoption_items",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def number(self) -> int:
        """Its number on the agenda; for a reader who may not see confidential items, its number among the
        items that reader sees (set by number_without_confidential), so no gap shows that one was left out."""
        return getattr(self, "shown_number", None) or self.position

    @property
    def is_fixed(self) -> bool:
        return self.kind != self.Kind.REGULAR

    def clean(self) -> None:
        if self.kind == self.Kind.REGULAR and not self.purpose:
            raise ValidationError({"purpose": _("Choose the purpose of the item.")})

    def forward(self, *, to: Meeting, by) -> AgendaItem:
        """Puts this item, with its documents, on the agenda of a meeting of the body this body prepares."""
        if self.meeting.body.prepares_id is None or to.body_id != self.meeting.body.prepares_id:
            raise ValidationError(
                {"meeting": _("An item can be forwarded only to a meeting of the body this body prepares.")}
            )
        if to.starts_at <= self.meeting.starts_at:
            raise ValidationError(
                {"meeting": _("Choose a meeting after this one: the prepared meeting comes after its preparation.")}
            )
        if self.forwarded_to.filter(meeting=to).exists():
            raise ValidationError({"meeting": _("This item is already on the agenda of that meeting.")})
        with transaction.atomic():
            copy = to.add_item(
                version=None,
                by=by,
                reason=_("Forwarded from %(meeting)s") % {"meeting": self.meeting} if to.is_published else "",
                title=self.title,
                explanation=self.explanation,
                purpose=self.purpose,
                portfolio=self.portfolio,
                confidential=self.confidential,
                forwarded_from=self,
            )
            for document in self.documents.prefetch_related("versions"):
                document.copy_to(copy)
        return copy


def number_without_confidential(items) -> dict[int, int]:
    """Numbers the non-confidential items consecutively, in agenda order, for readers who may not see the
    confidential ones (docs/adr/0006); returns the numbers by item id, to number other copies of the items."""
    numbers: dict[int, int] = {}
    for item in sorted((i for i in items if not i.confidential), key=lambda i: i.position):
        numbers[item.pk] = len(numbers) + 1
    for item in items:
        if item.pk in numbers:
            item.shown_number = numbers[item.pk]
    return numbers


def renumber(items, numbers: dict[int, int]) -> None:
    """Gives other copies of the items (addenda, invitations, minutes) the numbers of number_without_confidential."""
    for item in items:
        if item is not None and item.pk in numbers:
            item.shown_number = numbers[item.pk]


class Addendum(models.Model):
    """A recorded change to a published agenda, with its reason."""

    class Change(models.TextChoices):
        ADDED = "added", _("item added")
        CHANGED = "changed", _("item changed")
        MOVED = "moved", _("item moved")
        WITHDRAWN = "withdrawn", _("item withdrawn")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="addenda")
    item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="addenda")
    change = models.CharField(_("change"), max_length=20, choices=Change.choices)
    reason = models.TextField(_("reason"), max_length=limits.NOTE)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(_("made at"), default=timezone.now)

    class Meta:
        ordering = ["made_at", "pk"]
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")

    def __str__(self) -> str:
        return f"{self.get_change_display()}: {self.reason}"


class SubmissionQuerySet(models.QuerySet):
    def waiting(self) -> SubmissionQuerySet:
        return self.filter(status=Submission.Status.SUBMITTED)


class Submission(StatusWorkflow, models.Model):
    """A question or proposal submitted for regional consideration, triaged by the coordinator."""

    class Kind(models.TextChoices):
        QUESTION = "question", _("question")
        PROPOSAL = "proposal", _("proposal")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("waiting for triage")
        ANSWERED = "answered", _("answered")
        ROUTED = "routed", _("on an agenda")
        RETURNED = "returned", _("sent back")

    TRANSITIONS = {
        Status.SUBMITTED: {Status.ANSWERED, Status.ROUTED, Status.RETURNED},
        Status.RETURNED: {Status.SUBMITTED},
        Status.ROUTED: {Status.SUBMITTED},  # when its item is taken off a draft agenda
        Status.ANSWERED: set(),
    }

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROPOSAL)
    title = models.CharField(_("title"), max_length=250)
    explanation = models.TextField(_("explanation"), max_length=limits.TEXT)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="submissions"
    )
    portfolio = models.ForeignKey(
        Portfolio,
        verbose_name=_("policy area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submissions",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    preferred_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("preferred meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="preferred_by",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="submissions"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    answer = models.TextField(_("answer"), blank=True, max_length=limits.TEXT)
    return_reason = models.TextField(_("reason for sending back"), blank=True, max_length=limits.NOTE)
    agenda_item = models.OneToOneField(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submission",
    )
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)

    history = HistoricalRecords()

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return self.title

    def _triage(self, to: str, *, by, **fields) -> None:
        self._transition(to, triaged_by=by, triaged_at=timezone.now(), **fields)

    def answer_directly(self, *, by, answer: str) -> None:
        if not answer.strip():
            raise ValidationError({"answer": _("Write the answer.")})
        limits.check_lengths(Submission, answer=answer.strip())
        self._triage(self.Status.ANSWERED, by=by, answer=answer.strip())

    def send_back(self, *, by, reason: str) -> None:
        if not reason.strip():
            raise ValidationError({"return_reason": _("Give the reason for sending it back.")})
        limits.check_lengths(Submission, return_reason=reason.strip())
        self._triage(self.Status.RETURNED, by=by, return_reason=reason.strip())

    def route(self, *, by, meeting: Meeting) -> AgendaItem:
        """Puts the submission, with its documents, on the agenda of a meeting."""
        if meeting.status != Meeting.Status.PLANNED:
            raise ValidationError(
                {
                    "meeting": _("Choose a planned meeting; this one is %(status)s.")
                    % {"status": meeting.get_status_display()}
                }
            )
        if not self.can_become(self.Status.ROUTED):
            raise TransitionNotAllowed(
                _("A submission that is %(status)s cannot be put on an agenda.") % {"status": self.get_status_display()}
            )
        with transaction.atomic():
            item = meeting.add_item(
                version=None,
                by=by,
                title=self.title,
                explanation=self.explanation,
                purpose=self.purpose,
                portfolio=self.portfolio,
            )
            self._triage(self.Status.ROUTED, by=by, agenda_item=item)
            for document in self.documents.all():
                document.item = item
                document.save()
        return item

    def unroute(self) -> None:
        self.agenda_item = None
        self.status = self.Status.SUBMITTED
        self._change_reason = "taken off the agenda"
        self.save()

    def resubmit(self, *, by) -> None:
        if self.status != self.Status.RETURNED:
            raise TransitionNotAllowed(_("Only a submission that was sent back can be submitted again."))
        self._triage(self.Status.SUBMITTED, by=by)


def document_path(instance: DocumentVersion, filename: str) -> str:
    """A safe stored name: a random name with the checked extension, never the uploaded name."""
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class Disclosure(models.TextChoices):
    PUBLIC = "public", _("public")
    WITHHELD = "withheld", _("not public, on a ground of the Woo")
    PARTIAL = "partial", _("public in part: only the redacted version")


class Document(Timestamped):
    """A document (stuk) on an agenda item or a submission; its file comes in versions."""

    title = models.CharField(_("title"), max_length=250)
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("submission"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    # Woo: a document on a public item is published with its agenda unless withheld on a ground of art. 5.1
    # or 5.2; published in part only as a redacted version uploaded for that purpose.
    disclosure = models.CharField(
        _("publication under the Woo"), max_length=20, choices=Disclosure.choices, default=Disclosure.PUBLIC
    )
    woo_ground = models.CharField(_("Woo ground"), max_length=20, choices=WooGround.choices, blank=True)
    woo_motivation = models.TextField(_("motivation"), blank=True, max_length=limits.NOTE)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(item__isnull=False) | Q(submission__isnull=False),
                name="document_belongs_somewhere",
            ),
            models.CheckConstraint(
                condition=Q(disclosure="public") | ~Q(woo_ground=""), name="withheld_document_has_a_ground"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.disclosure != Disclosure.PUBLIC and not self.woo_ground:
            raise ValidationError({"woo_ground": _("Name the ground of the Woo on which it is not published.")})
        if self.disclosure == Disclosure.PUBLIC:
            self.woo_ground = ""

    def public_version(self) -> DocumentVersion | None:
        """The version the public side shows: the latest, or for a document public in part its latest
        redacted version; none for a withheld document (the versions must be prefetched)."""
        versions = list(self.versions.all())
        if self.disclosure == Disclosure.WITHHELD:
            return None
        if self.disclosure == Disclosure.PARTIAL:
            versions = [v for v in versions if v.redacted]
        return versions[-1] if versions else None

    @property
    def current(self) -> DocumentVersion | None:
        versions = list(self.versions.all())
        return versions[-1] if versions else None

    def add_version(self, upload, *, by, content_type: str, redacted: bool = False) -> DocumentVersion:
        checksum, sha512 = checksums_of(upload)
        meeting = self.item.meeting if self.item_id else None
        late = bool(meeting and timezone.now() > meeting.documents_deadline)
        with transaction.atomic():
            # Two people replacing the same document at once: the row lock makes the second wait for the
            # first's number, so each gets its own (the unique constraint on the pair is the last guard).
            Document.objects.select_for_update().get(pk=self.pk)
            number = (self.versions.aggregate(models.Max("number"))["number__max"] or 0) + 1
            version = DocumentVersion.objects.create(
                document=self,
                number=number,
                file=upload,
                original_name=shortened_name(upload.name),
                content_type=content_type,
                size=upload.size,
                sha256=checksum,
                sha512=sha512,
                uploaded_by=by,
                is_late=late,
                redacted=redacted,
            )
        if meeting is not None and not self.item.confidential:
            meeting.refresh_agenda_pdf()  # the agenda PDF lists the documents
        return version

    def copy_to(self, item: AgendaItem) -> Document:
        """The same document, with all its versions (the same stored files), on another item."""
        copy = Document.objects.create(
            title=self.title,
            item=item,
            disclosure=self.disclosure,
            woo_ground=self.woo_ground,
            woo_motivation=self.woo_motivation,
        )
        DocumentVersion.objects.bulk_create(
            DocumentVersion(
                document=copy,
                number=v.number,
                file=v.file.name,
                original_name=v.original_name,
                content_type=v.content_type,
                size=v.size,
                sha256=v.sha256,
                sha512=v.sha512,
                uploaded_by_id=v.uploaded_by_id,
                uploaded_at=v.uploaded_at,
                is_late=v.is_late,
                redacted=v.redacted,
            )
            for v in self.versions.all()
        )
        return copy


class DocumentVersion(models.Model):
    """One uploaded file of a document; a replacement adds a version, the old ones stay."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    # What OParl's File carries (sha512Checksum); empty for a version stored before it was kept, until
    # `manage.py fill_sha512` has read it.
    sha512 = models.CharField(_("SHA-512 checksum"), max_length=128, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    is_late = models.BooleanField(_("late"), default=False)
    redacted = models.BooleanField(
        _("redacted version"),
        default=False,
        help_text=_("A version with the parts that are not public blacked out, for publication in part (Woo)."),
    )

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.number})"


class AgendaPdf(models.Model):
    """The rendered agenda of a meeting at one agenda version, with its checksum; when later versions read
    the same (a change the PDF leaves out), the row moves up to the latest of them instead of a copy."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="pdfs")
    agenda_version = models.PositiveIntegerField()
    file = models.FileField(upload_to="agendas/%Y/", max_length=200)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "-agenda_version"]
        verbose_name = _("agenda PDF")
        verbose_name_plural = _("agenda PDFs")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agenda_version"], name="agenda_pdf_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} (v{self.agenda_version})"


class Attendance(models.Model):
    """Who was at a meeting, in which capacity, and whether present."""

    class Capacity(models.TextChoices):
        MEMBER = "member", _("member")
        CHAIR = "chair", _("chair")
        SECRETARY = "secretary", _("secretary")
        ADVISORY = "advisory", _("advisory member")
        ALDERMAN = "alderman", _("invited alderman")
        GUEST = "guest", _("guest")

    class Presence(models.TextChoices):
        PRESENT = "present", _("present")
        EXCUSED = "excused", _("absent with notice")
        ABSENT = "absent", _("absent")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="attendance")
    guest_name = models.CharField(_("guest"), max_length=200, blank=True)
    capacity = models.CharField(_("capacity"), max_length=20, choices=Capacity.choices)
    on_behalf_of = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    presence = models.CharField(_("presence"), max_length=20, choices=Presence.choices, default=Presence.PRESENT)
    took_minutes = models.BooleanField(_("took the minutes"), default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "capacity", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once_per_person"),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(guest_name=""), name="attendance_person_or_guest"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.person.full_name if self.person_id else self.guest_name


class Apology(models.Model):
    """An invitee's notice that they will not come (afmelding), with whoever comes in their place."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="apologies")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="apologies")
    replacement = models.ForeignKey(
        Person,
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replacing",
        help_text=_("A colleague of your own municipality who comes in your place."),
    )
    replacement_name = models.CharField(
        _("or the name of the replacement"),
        max_length=200,
        blank=True,
        help_text=_("For someone who is not in the list, such as a civil servant from outside the portal."),
    )
    note = models.TextField(_("note for the secretary"), blank=True, max_length=limits.NOTE)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "person__surname"]
        verbose_name = _("apology")
        verbose_name_plural = _("apologies")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="apology_once_per_person"),
            models.CheckConstraint(
                condition=Q(replacement__isnull=True) | Q(replacement_name=""),
                name="apology_one_replacement",
                violation_error_message=_("Choose a replacement or type a name, not both."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.meeting})"

    def clean(self) -> None:
        if self.replacement_id and self.replacement_name.strip():
            raise ValidationError({"replacement_name": _("Choose a replacement or type a name, not both.")})
        if self.replacement_id and self.replacement_id == self.person_id:
            raise ValidationError({"replacement": _("You cannot replace yourself; leave the field empty.")})

    @property
    def replacement_label(self) -> str:
        return self.replacement.full_name if self.replacement_id else self.replacement_name


# "Aldus vastgesteld in de vergadering van de Regionale agendacommissie / het Bestuurlijk
# afstemmingsoverleg van ...": one line per Dutch article of the body's name.
ADOPTION_LINES = {
    ConsultationBody.Article.DE: pgettext_lazy(
        "body named with the article de", "Thus adopted in the meeting of the %(body)s of %(date)s"
    ),
    ConsultationBody.Article.HET: pgettext_lazy(
        "body named with the article het", "Thus adopted in the meeting of the %(body)s of %(date)s"
    ),
}


class Minutes(StatusWorkflow, Timestamped):
    """The minutes (verslag) of a meeting: written per agenda item, sent for comment, adopted at the next meeting."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent for comment")
        ADOPTED = "adopted", pgettext_lazy("minutes", "adopted")

    TRANSITIONS = {Status.DRAFT: {Status.SENT}, Status.SENT: {Status.ADOPTED, Status.DRAFT}, Status.ADOPTED: set()}

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    adopted_in = models.ForeignKey(
        Meeting, verbose_name=_("adopted in"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adoption_line = models.CharField(_("adoption"), max_length=300, blank=True)
    secretary_name = models.CharField(_("the secretary"), max_length=200, blank=True)
    chair_name = models.CharField(_("the chair"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return f"{_('Minutes')} {self.meeting}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.ADOPTED

    def adoption_item(self) -> AgendaItem | None:
        return AgendaItem.objects.filter(minutes_to_adopt=self).select_related("meeting").first()

    @transaction.atomic
    def send(self, *, by) -> None:
        """Sends the minutes to the members for comment, and puts their adoption on the body's next meeting."""
        from meetings.tasks import render_minutes_pdf

        self._transition(self.Status.SENT, sent_at=timezone.now())
        following = (
            Meeting.objects.filter(body=self.meeting.body, starts_at__gt=self.meeting.starts_at)
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("starts_at")
            .first()
        )
        if following is not None and not AgendaItem.objects.filter(minutes_to_adopt=self).exists():
            item = following.items.filter(kind=AgendaItem.Kind.PREVIOUS_MINUTES).first()
            with translation.override(settings.LANGUAGE_CODE):
                title = str(_("Adoption of the minutes of %(date)s")) % {
                    "date": date_format(timezone.localtime(self.meeting.starts_at).date())
                }
            if item is not None:
                item.title, item.minutes_to_adopt = title, self
                item.save()
                following.refresh_agenda_pdf()
        render_minutes_pdf.delay_on_commit(self.pk)

    @transaction.atomic
    def adopt(self, *, by, in_meeting: Meeting) -> None:
        """Adopted in a later meeting of the same body: stamped, signed by name and locked."""
        from meetings.tasks import render_minutes_pdf

        self.check_adoption(in_meeting)
        self._transition(self.Status.ADOPTED, adopted_in=in_meeting, **self.adoption_fields(in_meeting))
        render_minutes_pdf.delay_on_commit(self.pk)

    def check_adoption(self, in_meeting: Meeting) -> None:
        """Raises ValidationError when the minutes cannot be adopted in that meeting."""
        if in_meeting.body_id != self.meeting.body_id:
            raise ValidationError(_("Minutes are adopted in a meeting of the same body."))
        if in_meeting.starts_at <= self.meeting.starts_at:
            raise ValidationError(_("Minutes are adopted in a later meeting."))
        if in_meeting.status not in (Meeting.Status.PUBLISHED, Meeting.Status.HELD):
            raise ValidationError(_("Minutes are adopted in a meeting that takes place: publish its agenda first."))
        if in_meeting.starts_at > timezone.now():
            raise ValidationError(
                _("Minutes are adopted in the meeting itself: that meeting has not begun yet (%(date)s).")
                % {"date": date_format(timezone.localtime(in_meeting.starts_at).date())}
            )

    def adoption_fields(self, in_meeting: Meeting) -> dict[str, str]:
        """The adoption line and the names that sign it, as the adopted minutes will show them."""
        on = timezone.localtime(in_meeting.starts_at).date()
        members = in_meeting.body.members_on(on)
        secretary = next((m.person.full_name for m in members if m.role == "secretary"), "")
        chair = next((m.person.full_name for m in members if m.role == "chair"), "")
        with translation.override(settings.LANGUAGE_CODE):
            line = str(ADOPTION_LINES[in_meeting.body.name_article]) % {
                "body": in_meeting.body.name,
                "date": date_format(on),
            }
        return {"adoption_line": line, "secretary_name": secretary, "chair_name": chair}


class MinutesItem(models.Model):
    """The minutes of one agenda item: the discussion and the conclusions."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="items")
    agenda_item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="minutes_item")
    discussion = models.TextField(_("discussion"), blank=True, max_length=limits.MINUTES)
    conclusions = models.TextField(_("conclusions and decisions"), blank=True, max_length=limits.LONG_TEXT)
    version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["agenda_item__position"]
        verbose_name = _("minutes of an item")
        verbose_name_plural = _("minutes of items")

    def __str__(self) -> str:
        return str(self.agenda_item)

    @transaction.atomic
    def write(self, *, version: int, discussion: str, conclusions: str) -> None:
        """Autosave: refused when a newer text was saved since (another tab, a reconnect), or past its bounds."""
        limits.check_lengths(MinutesItem, discussion=discussion, conclusions=conclusions)
        locked = MinutesItem.objects.select_for_update().select_related("minutes").get(pk=self.pk)
        if locked.minutes.is_locked:
            raise TransitionNotAllowed(_("The minutes are adopted; corrections go in an erratum."))
        if locked.version != version:
            raise StaleAgenda(
                _("A newer text was saved in another tab or window. Yours was not saved; copy it before reloading.")
            )
        locked.discussion, locked.conclusions, locked.version = discussion, conclusions, locked.version + 1
        locked.save()
        self.discussion, self.conclusions, self.version = locked.discussion, locked.conclusions, locked.version


class ActionPointQuerySet(models.QuerySet):
    def open(self) -> ActionPointQuerySet:
        return self.filter(status=ActionPoint.Status.OPEN)

    def overdue_first(self) -> ActionPointQuerySet:
        today = timezone.localdate()
        return self.annotate(
            overdue=models.Case(models.When(due_on__lt=today, then=0), default=1, output_field=models.IntegerField())
        ).order_by("overdue", "due_on", "pk")


class ActionPoint(models.Model):
    """An action point (actiepunt) from the minutes: what, who, by when."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    minutes_item = models.ForeignKey(MinutesItem, on_delete=models.CASCADE, related_name="action_points")
    body = models.ForeignKey(ConsultationBody, on_delete=models.PROTECT, related_name="action_points", editable=False)
    what = models.TextField(_("what"), max_length=limits.NOTE)
    owner = models.ForeignKey(Person, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="action_points")
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    dropped_reason = models.TextField(_("reason for dropping"), blank=True, max_length=limits.NOTE)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    objects = ActionPointQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("action point")
        verbose_name_plural = _("action points")

    def __str__(self) -> str:
        return self.what[:80]

    def save(self, *args, **kwargs) -> None:
        if self.minutes_item_id and not self.body_id:
            self.body = self.minutes_item.minutes.meeting.body
        super().save(*args, **kwargs)

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()

    def clean(self) -> None:
        errors = {}
        meeting = self.minutes_item.agenda_item.meeting if self.minutes_item_id else None
        if meeting and self.due_on and self.due_on < timezone.localtime(meeting.starts_at).date():
            errors["due_on"] = _("An action point cannot be due before the meeting it comes from.")
        if self.owner_id:
            on = timezone.localtime(meeting.starts_at).date() if meeting else timezone.localdate()
            if not Office.objects.current(on).filter(person_id=self.owner_id).exists():
                errors["owner"] = _("%(person)s holds no office; choose an owner who does.") % {"person": self.owner}
        if errors:
            raise ValidationError(errors)

    def mark_done(self, *, by) -> None:
        if self.status != self.Status.OPEN:
            raise TransitionNotAllowed(_("Only an open action point can be marked done."))
        self.status, self.closed_by, self.closed_at = self.Status.DONE, by, timezone.now()
        self.save()

    def drop(self, *, by, reason: str) -> None:
        if self.status != self.Status.OPEN:
            raise TransitionNotAllowed(_("Only an open action point can be dropped."))
        if not reason.strip():
            raise ValidationError({"dropped_reason": _("Give the reason for dropping it.")})
        limits.check_lengths(ActionPoint, dropped_reason=reason.strip())
        self.status, self.dropped_reason = self.Status.DROPPED, reason.strip()
        self.closed_by, self.closed_at = by, timezone.now()
        self.save()


class MinutesComment(models.Model):
    """A member's comment on minutes sent for comment."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=limits.DESCRIPTION)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]

    def save(self, *args, **kwargs) -> None:
        # The comment comes straight from the minutes page, without a form: its bound is checked here.
        limits.check_lengths(MinutesComment, text=self.text)
        super().save(*args, **kwargs)


class Erratum(models.Model):
    """A correction to adopted minutes, with its reason; the minutes themselves stay as adopted."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="errata")
    correction = models.TextField(_("correction"), max_length=limits.TEXT)
    reason = models.TextField(_("reason"), max_length=limits.NOTE)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["made_at"]

    def __str__(self) -> str:
        return self.correction[:60]


class MinutesPdf(models.Model):
    """The rendered minutes in one status, with its checksum; a concept while not adopted."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="pdfs")
    status = models.CharField(max_length=20)
    file = models.FileField(upload_to="minutes/%Y/", max_length=200)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["minutes", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["minutes", "status"], name="minutes_pdf_once_per_status")]

    def __str__(self) -> str:
        return f"{self.minutes} ({self.status})"
