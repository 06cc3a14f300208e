"""What each kind of reminder is about, who gets it and when.

Each kind plans, for one object, the reminders it should have right now
(`plan`). Planning is repeated whenever the object changes and by a periodic
sweep; a reminder that is no longer in the plan when its time comes is
skipped, not sent. Recipients are taken from the offices and memberships on
the day the reminder is due.

Event notices (work that arrived: an item answered, an agenda published, a
decision to sign) are reminders due at the moment of the event, once per
moment. They go only to whoever may open the page they link to when they go
out, checked with that page's own permission-checked fetch."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from adoption.models import Adoption
from arrangements.access import get_cycle_document_for_user
from covenant.models import CovenantEvaluation, LeavingNotice
from decisions.access import get_decision_for_user, get_track_for_user
from decisions.models import CollegeDecision, CouncilTrack, RegionalProposal
from governance.models import ConsultationBody, Membership, MonthlyEvaluation
from meetings.access import get_meeting_for_user, get_submission_for_user
from meetings.minutes_views import get_minutes_for_user
from meetings.models import ActionPoint, AgendaItem, Document, Meeting, Minutes, MinutesComment, Submission
from municipalities.models import Municipality, Office, Person
from reminders.models import Reminder, ReminderSettings


@dataclass(frozen=True)
class Due:
    recipient: Person
    due_at: datetime.datetime
    # The date the reminder is about (a deadline, a due date): sent once per anchor.
    anchor: str
    # After this moment the reminder no longer helps anyone: skipped, not sent late.
    moment: datetime.datetime | None = None


def start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass
class Lookups:
    """The secretaries, office holders and minutes of a chunk of objects, read in a few queries, so that
    planning a thousand meetings does not ask the database a thousand times who their secretary is."""

    # body id -> secretary memberships (all periods; the day is checked in Python)
    secretaries: dict[int, list[Membership]] = field(default_factory=dict)
    # (role, municipality id) -> offices (all periods)
    offices: dict[tuple[str, int], list[Office]] = field(default_factory=dict)
    # meeting id -> its minutes, for the meetings whose minutes were looked up
    minutes: dict[int, Minutes | None] = field(default_factory=dict)
    # meeting id -> submitters of items sent back that preferred it
    returned: dict[int, list[Person]] = field(default_factory=dict)

    def preload_secretaries(self, body_ids: Iterable[int]) -> None:
        wanted = set(body_ids) - self.secretaries.keys()
        if not wanted:
            return
        self.secretaries.update({pk: [] for pk in wanted})
        for membership in Membership.objects.filter(body__in=wanted, role=Membership.Role.SECRETARY).select_related(
            "person"
        ):
            self.secretaries[membership.body_id].append(membership)

    def preload_offices(self, roles: Iterable[str], municipality_ids: Iterable[int]) -> None:
        roles, municipality_ids = set(roles), set(municipality_ids)
        wanted = {(r, m) for r in roles for m in municipality_ids} - self.offices.keys()
        if not wanted:
            return
        self.offices.update({key: [] for key in wanted})
        offices = Office.objects.filter(
            role__in={r for r, _m in wanted}, municipality__in={m for _r, m in wanted}
        ).select_related("person")
        for office in offices.order_by("starts_on", "pk"):
            if (office.role, office.municipality_id) in wanted:
                self.offices[office.role, office.municipality_id].append(office)

    def preload_minutes(self, meeting_ids: Iterable[int]) -> None:
        wanted = set(meeting_ids) - self.minutes.keys()
        if wanted:
            self.minutes.update(dict.fromkeys(wanted))
            self.minutes.update({m.meeting_id: m for m in Minutes.objects.filter(meeting__in=wanted)})

    def preload_returned(self, meeting_ids: Iterable[int]) -> None:
        wanted = set(meeting_ids) - self.returned.keys()
        if not wanted:
            return
        self.returned.update({pk: [] for pk in wanted})
        returned = Submission.objects.filter(
            preferred_meeting__in=wanted, status=Submission.Status.RETURNED, submitted_by__person__isnull=False
        ).select_related("submitted_by__person")
        for submission in returned.order_by("pk"):
            self.returned[submission.preferred_meeting_id].append(submission.submitted_by.person)


_lookups: ContextVar[Lookups | None] = ContextVar("reminder_lookups", default=None)


@contextlib.contextmanager
def preloaded(spec: ReminderKind, objects: Sequence[models.Model], lookups: Lookups | None = None) -> Iterator[None]:
    """Plans (or checks) `objects` of one kind with their recipients read once for all of them."""
    lookups = lookups or _lookups.get() or Lookups()
    spec.preload(objects, lookups)
    token = _lookups.set(lookups)
    try:
        yield
    finally:
        _lookups.reset(token)


def runs_on(period, on: datetime.date) -> bool:
    return period.starts_on <= on and (period.ends_on is None or period.ends_on >= on)


def secretaries(body: ConsultationBody, on: datetime.date) -> list[Person]:
    lookups = _lookups.get()
    if lookups is not None and body.pk in lookups.secretaries:
        return [m.person for m in lookups.secretaries[body.pk] if runs_on(m, on)]
    return [m.person for m in body.members_on(on).filter(role=Membership.Role.SECRETARY)]


def office_holders(role: str, on: datetime.date, municipality: Municipality | None = None) -> list[Person]:
    lookups = _lookups.get()
    if lookups is not None and municipality is not None and (role, municipality.pk) in lookups.offices:
        return [o.person for o in lookups.offices[role, municipality.pk] if runs_on(o, on)]
    offices = Office.objects.current(on).filter(role=role).select_related("person")
    if municipality is not None:
        offices = offices.filter(municipality=municipality)
    return [office.person for office in offices]


def minutes_of(meeting: Meeting) -> Minutes | None:
    lookups = _lookups.get()
    if lookups is not None and meeting.pk in lookups.minutes:
        return lookups.minutes[meeting.pk]
    return Minutes.objects.filter(meeting=meeting).first()


def returned_submitters(meeting: Meeting) -> list[Person]:
    lookups = _lookups.get()
    if lookups is not None and meeting.pk in lookups.returned:
        return list(lookups.returned[meeting.pk])
    returned = Submission.objects.filter(preferred_meeting=meeting, status=Submission.Status.RETURNED)
    return list(Person.objects.filter(user__in=returned.values("submitted_by")))


def anchor_of(moment: datetime.datetime) -> str:
    """The same text for the same moment, whether it came from the database (UTC) or a form (local)."""
    return moment.astimezone(datetime.UTC).isoformat()


def when(dt: datetime.datetime) -> str:
    return date_format(timezone.localtime(dt), "l j F Y, H:i")


def on(day: datetime.date) -> str:
    return date_format(day, "l j F Y")


class ReminderKind:
    kind: str
    model: type[models.Model]

    def plan(self, obj, conf: ReminderSettings) -> list[Due]:
        raise NotImplementedError

    def open_objects(self) -> models.QuerySet:
        """The objects that may still need this reminder, for the periodic sweep."""
        raise NotImplementedError

    def affected(self, changes: Changes) -> models.QuerySet | None:
        """The open objects whose recipients may have changed with these offices, memberships or people
        (none when the kind's recipients do not derive from them): the incremental sweep plans only these."""
        return None

    def preload(self, objects: Sequence[models.Model], lookups: Lookups) -> None:
        """Reads the recipients of a chunk of objects in one go (see `preloaded`)."""

    def for_sending(self) -> models.QuerySet:
        """The objects as sending reads them: with what the subject, the link and the mail show."""
        return self.open_objects().model._default_manager.all()

    def still_due(self, reminder: Reminder, obj, conf: ReminderSettings, now: datetime.datetime) -> str:
        """Empty when the reminder should go out now; otherwise why not. The plan of the one object,
        with its recipients read beforehand for the whole batch (`preloaded`)."""
        for due in self.plan(obj, conf):
            if due.recipient.pk == reminder.recipient_id and due.due_at == reminder.due_at:
                if due.moment is not None and now >= due.moment:
                    return "its moment has passed"
                return ""
        return "no longer due"

    def link(self, obj) -> str:
        raise NotImplementedError

    def subject(self, obj) -> str:
        raise NotImplementedError

    def context(self, obj) -> dict:
        return {"object": obj}

    def attachments(self, obj, reminder: Reminder) -> list[tuple[str, bytes, str]]:
        """Files the mail carries (file name, content, MIME type); none for most kinds."""
        return []

    @property
    def template_name(self) -> str:
        return f"reminders/email/{self.kind}.txt"


@dataclass(frozen=True)
class Changes:
    """What changed among offices, memberships and people since the last sweep: where recipients may differ."""

    municipalities: frozenset[int] = frozenset()
    bodies: frozenset[int] = frozenset()
    people: frozenset[int] = frozenset()
    # An office of regional coordinator changed: they receive the evaluations of the whole region.
    coordinators: bool = False

    def __bool__(self) -> bool:
        return bool(self.municipalities or self.bodies or self.people or self.coordinators)


class MeetingSecretaries:
    """Kinds whose recipients are the secretaries of the meeting's body."""

    def affected(self, changes: Changes):
        return self.open_objects().filter(body__in=changes.bodies) if changes.bodies else None

    def preload(self, objects, lookups: Lookups) -> None:
        lookups.preload_secretaries(meeting.body_id for meeting in objects)

    def for_sending(self):
        return Meeting.objects.select_related("body")


def upcoming_meetings() -> models.QuerySet:
    return Meeting.objects.filter(starts_at__gte=timezone.now()).select_related("body")


class AgendaDeadline(MeetingSecretaries, ReminderKind):
    kind = Reminder.Kind.AGENDA_DEADLINE
    model = Meeting

    def plan(self, meeting: Meeting, conf: ReminderSettings) -> list[Due]:
        if meeting.status != Meeting.Status.PLANNED:
            return []
        due_at = conf.on_day(
            timezone.localdate(meeting.agenda_deadline) - datetime.timedelta(conf.agenda_deadline_days)
        )
        day = timezone.localdate(due_at)
        recipients = secretaries(meeting.body, day)
        # Submitters whose item was sent back and may come back before the agenda closes.
        recipients += returned_submitters(meeting)
        anchor = anchor_of(meeting.agenda_deadline)
        return [Due(person, due_at, anchor, meeting.agenda_deadline) for person in dict.fromkeys(recipients)]

    def open_objects(self):
        return upcoming_meetings().filter(status=Meeting.Status.PLANNED)

    def affected(self, changes: Changes):
        if not (changes.bodies or changes.people):
            return None
        returned = Submission.objects.filter(
            status=Submission.Status.RETURNED, submitted_by__person__in=changes.people
        ).values("preferred_meeting")
        return self.open_objects().filter(models.Q(body__in=changes.bodies) | models.Q(pk__in=returned))

    def preload(self, objects, lookups: Lookups) -> None:
        super().preload(objects, lookups)
        lookups.preload_returned(meeting.pk for meeting in objects)

    def link(self, meeting: Meeting) -> str:
        return reverse("meeting_detail", args=[meeting.pk])

    def subject(self, meeting: Meeting) -> str:
        return _("The agenda of %(meeting)s closes on %(deadline)s") % {
            "meeting": meeting,
            "deadline": when(meeting.agenda_deadline),
        }


class DocumentsMissing(ReminderKind):
    kind = Reminder.Kind.DOCUMENTS_MISSING
    model = AgendaItem

    def plan(self, item: AgendaItem, conf: ReminderSettings) -> list[Due]:
        meeting = item.meeting
        submission = getattr(item, "submission", None)  # with_submitter() loads it in the same query
        has_documents = item.has_documents if hasattr(item, "has_documents") else item.documents.exists()
        if (
            item.withdrawn
            or meeting.status not in Meeting.AGENDA_OPEN
            or submission is None
            or getattr(submission.submitted_by, "person", None) is None
            or has_documents
        ):
            return []
        # Before the documents are due, so there is still time to send them.
        due_day = timezone.localdate(meeting.documents_deadline) - datetime.timedelta(conf.documents_missing_days)
        anchor = anchor_of(meeting.documents_deadline)
        return [Due(submission.submitted_by.person, conf.on_day(due_day), anchor, meeting.starts_at)]

    @staticmethod
    def with_submitter(items: models.QuerySet) -> models.QuerySet:
        return items.select_related("meeting__body", "submission__submitted_by__person").annotate(
            has_documents=models.Exists(Document.objects.filter(item=models.OuterRef("pk")))
        )

    def open_objects(self):
        return self.with_submitter(
            AgendaItem.objects.filter(
                meeting__starts_at__gte=timezone.now(),
                meeting__status__in=Meeting.AGENDA_OPEN,
                submission__isnull=False,
                withdrawn=False,
            )
        )

    def affected(self, changes: Changes):
        # The submitter's log-in linked to (or taken from) a person.
        if not changes.people:
            return None
        return self.open_objects().filter(submission__submitted_by__person__in=changes.people)

    def for_sending(self):
        return self.with_submitter(AgendaItem.objects.all())

    # The submitter's own submission, not the agenda item: a draft agenda does not exist for the submitter,
    # and the secretariat may have retitled the item or marked it confidential (docs/adr/0006).
    def link(self, item: AgendaItem) -> str:
        return reverse("submission_detail", args=[item.submission.pk])

    def subject(self, item: AgendaItem) -> str:
        return _("No documents yet for “%(title)s” (%(meeting)s)") % {
            "title": item.submission.title,
            "meeting": item.meeting,
        }

    def context(self, item: AgendaItem) -> dict:
        return {
            "object": item.submission,
            "meeting": item.meeting,
            "documents_deadline": when(item.meeting.documents_deadline),
        }


class AgendaUnpublished(MeetingSecretaries, ReminderKind):
    kind = Reminder.Kind.AGENDA_UNPUBLISHED
    model = Meeting

    def plan(self, meeting: Meeting, conf: ReminderSettings) -> list[Due]:
        if meeting.status != Meeting.Status.PLANNED:
            return []
        due_at = conf.on_day(timezone.localdate(meeting.starts_at) - datetime.timedelta(conf.agenda_unpublished_days))
        anchor = anchor_of(meeting.starts_at)
        return [Due(person, due_at, anchor, meeting.starts_at) for person in secretaries(meeting.body, due_at.date())]

    def open_objects(self):
        return upcoming_meetings().filter(status=Meeting.Status.PLANNED)

    def link(self, meeting: Meeting) -> str:
        return reverse("meeting_agenda", args=[meeting.pk])

    def subject(self, meeting: Meeting) -> str:
        return _("The agenda of %(meeting)s is not yet published") % {"meeting": meeting}


class MinutesUnsent(MeetingSecretaries, ReminderKind):
    kind = Reminder.Kind.MINUTES_UNSENT
    model = Meeting

    def plan(self, meeting: Meeting, conf: ReminderSettings) -> list[Due]:
        if meeting.status not in (Meeting.Status.PUBLISHED, Meeting.Status.HELD):
            return []
        minutes = minutes_of(meeting)
        if minutes is not None and minutes.status != Minutes.Status.DRAFT:
            return []
        due_at = conf.on_day(timezone.localdate(meeting.starts_at) + datetime.timedelta(conf.minutes_unsent_days))
        anchor = anchor_of(meeting.starts_at)
        return [Due(person, due_at, anchor) for person in secretaries(meeting.body, due_at.date())]

    def open_objects(self):
        return (
            Meeting.objects.filter(status__in=[Meeting.Status.PUBLISHED, Meeting.Status.HELD])
            .exclude(minutes__status__in=[Minutes.Status.SENT, Minutes.Status.ADOPTED])
            .select_related("body")
        )

    def preload(self, objects, lookups: Lookups) -> None:
        super().preload(objects, lookups)
        lookups.preload_minutes(meeting.pk for meeting in objects)

    def link(self, meeting: Meeting) -> str:
        return reverse("minutes_edit", args=[meeting.pk])

    def subject(self, meeting: Meeting) -> str:
        return _("The minutes of %(meeting)s have not been sent yet") % {"meeting": meeting}


class CollegePending(ReminderKind):
    """First the municipal secretary, who records the decision; later the mayor too."""

    kind = Reminder.Kind.COLLEGE_PENDING
    model = CollegeDecision
    role = Office.Role.MUNICIPAL_SECRETARY

    def days(self, conf: ReminderSettings) -> int:
        return conf.college_secretary_days

    def still_open(self, decision: CollegeDecision) -> bool:
        return decision.outcome not in CollegeDecision.DECIDED_OUTCOMES

    def plan(self, decision: CollegeDecision, conf: ReminderSettings) -> list[Due]:
        proposal = decision.proposal
        if proposal.status != RegionalProposal.Status.SENT or not proposal.sent_on or not self.still_open(decision):
            return []
        due_at = conf.on_day(proposal.sent_on + datetime.timedelta(self.days(conf)))
        holders = office_holders(self.role, due_at.date(), decision.municipality)
        return [Due(person, due_at, proposal.sent_on.isoformat()) for person in holders]

    def open_objects(self):
        return CollegeDecision.objects.filter(proposal__status=RegionalProposal.Status.SENT).select_related(
            "proposal", "municipality"
        )

    def affected(self, changes: Changes):
        return self.open_objects().filter(municipality__in=changes.municipalities) if changes.municipalities else None

    def preload(self, objects, lookups: Lookups) -> None:
        lookups.preload_offices({self.role}, (decision.municipality_id for decision in objects))

    def for_sending(self):
        return CollegeDecision.objects.select_related("proposal", "municipality")

    def link(self, decision: CollegeDecision) -> str:
        return reverse("decision_record", args=[decision.pk])

    def subject(self, decision: CollegeDecision) -> str:
        return _("The college of %(municipality)s has not yet decided on “%(proposal)s”") % {
            "municipality": decision.municipality,
            "proposal": decision.proposal.title,
        }

    def context(self, decision: CollegeDecision) -> dict:
        return {"object": decision, "sent_on": on(decision.proposal.sent_on)}


class CollegePendingMayor(CollegePending):
    kind = Reminder.Kind.COLLEGE_PENDING_MAYOR
    role = Office.Role.MAYOR

    def days(self, conf: ReminderSettings) -> int:
        return conf.college_mayor_days

    def still_open(self, decision: CollegeDecision) -> bool:
        return not decision.is_final

    def link(self, decision: CollegeDecision) -> str:
        return reverse("proposal_detail", args=[decision.proposal_id])


class CouncilDeadline(ReminderKind):
    kind = Reminder.Kind.COUNCIL_DEADLINE
    model = CouncilTrack

    def plan(self, track: CouncilTrack, conf: ReminderSettings) -> list[Due]:
        latest = track.latest_college_decision
        if (
            latest is None
            or track.sent_to_council_on
            or track.status in (CouncilTrack.Status.DECIDED, CouncilTrack.Status.NOT_NEEDED)
            or track.proposal.status in (RegionalProposal.Status.WITHDRAWN, RegionalProposal.Status.CLOSED)
        ):
            return []
        due_at = conf.on_day(latest - datetime.timedelta(conf.council_deadline_days))
        griffiers = office_holders(Office.Role.GRIFFIER, due_at.date(), track.municipality)
        return [
            Due(person, due_at, latest.isoformat(), start_of(latest + datetime.timedelta(1))) for person in griffiers
        ]

    def open_objects(self):
        return (
            CouncilTrack.objects.filter(council_date__isnull=False, sent_to_council_on__isnull=True)
            .exclude(status__in=[CouncilTrack.Status.DECIDED, CouncilTrack.Status.NOT_NEEDED])
            .select_related("proposal", "municipality")
        )

    def affected(self, changes: Changes):
        return self.open_objects().filter(municipality__in=changes.municipalities) if changes.municipalities else None

    def preload(self, objects, lookups: Lookups) -> None:
        lookups.preload_offices({Office.Role.GRIFFIER}, (track.municipality_id for track in objects))

    def for_sending(self):
        return CouncilTrack.objects.select_related("proposal", "municipality")

    def link(self, track: CouncilTrack) -> str:
        return reverse("council_track_edit", args=[track.pk])

    def subject(self, track: CouncilTrack) -> str:
        return _("Council of %(municipality)s: “%(proposal)s” must be in the college by %(date)s") % {
            "municipality": track.municipality,
            "proposal": track.proposal.title,
            "date": on(track.latest_college_decision),
        }

    def context(self, track: CouncilTrack) -> dict:
        return {
            "object": track,
            "latest": on(track.latest_college_decision),
            "council_date": on(track.council_date),
        }


class ActionDue(ReminderKind):
    kind = Reminder.Kind.ACTION_DUE
    model = ActionPoint

    def plan(self, action: ActionPoint, conf: ReminderSettings) -> list[Due]:
        if action.status != ActionPoint.Status.OPEN:
            return []
        due_at = conf.on_day(action.due_on - datetime.timedelta(conf.action_due_days))
        return [Due(action.owner, due_at, action.due_on.isoformat(), start_of(action.due_on + datetime.timedelta(1)))]

    def open_objects(self):
        return ActionPoint.objects.open().select_related("owner")

    def for_sending(self):
        return ActionPoint.objects.select_related("owner", "body")

    def link(self, action: ActionPoint) -> str:
        return reverse("my_action_points")

    def subject(self, action: ActionPoint) -> str:
        return _("Action point due on %(date)s: %(what)s") % {"date": on(action.due_on), "what": action.what[:80]}

    def context(self, action: ActionPoint) -> dict:
        return {"object": action, "due_on": on(action.due_on)}


class ActionOverdue(ActionDue):
    kind = Reminder.Kind.ACTION_OVERDUE

    def plan(self, action: ActionPoint, conf: ReminderSettings) -> list[Due]:
        if action.status != ActionPoint.Status.OPEN:
            return []
        due_at = conf.on_day(action.due_on + datetime.timedelta(conf.action_overdue_days))
        return [Due(action.owner, due_at, action.due_on.isoformat())]

    def subject(self, action: ActionPoint) -> str:
        return _("Action point overdue since %(date)s: %(what)s") % {
            "date": on(action.due_on),
            "what": action.what[:80],
        }


class EvaluationCreated(ReminderKind):
    kind = Reminder.Kind.EVALUATION
    model = MonthlyEvaluation

    def plan(self, evaluation: MonthlyEvaluation, conf: ReminderSettings) -> list[Due]:
        due_at = evaluation.created_at.replace(microsecond=0)
        coordinators = office_holders(Office.Role.REGIONAL_COORDINATOR, timezone.localdate(due_at))
        return [Due(person, due_at, evaluation.month.isoformat()) for person in coordinators]

    def open_objects(self):
        return MonthlyEvaluation.objects.filter(created_at__gte=timezone.now() - datetime.timedelta(days=31))

    def affected(self, changes: Changes):
        return self.open_objects() if changes.coordinators else None

    def for_sending(self):
        return MonthlyEvaluation.objects.select_related("cooperation", "agenda_item__meeting__body")

    def link(self, evaluation: MonthlyEvaluation) -> str:
        return reverse("evaluation_edit", args=[evaluation.pk])

    def subject(self, evaluation: MonthlyEvaluation) -> str:
        return _("%(title)s (%(cooperation)s)") % {"title": evaluation.title, "cooperation": evaluation.cooperation}

    def context(self, evaluation: MonthlyEvaluation) -> dict:
        item = evaluation.agenda_item
        return {"object": evaluation, "meeting": item.meeting if item else None}


# Event notices.

# A notice of an event helps while the event is fresh: one that could not go out
# within two days (a worker that was down) is skipped, not sent late.
EVENT_FRESH = datetime.timedelta(days=2)


def with_login(people: models.QuerySet[Person], *, but: int | None = None) -> list[Person]:
    """The people who can log in to open the page a notice links to, without the user whose step it was."""
    people = people.filter(user__isnull=False, user__is_active=True).select_related("user")
    if but is not None:
        people = people.exclude(user=but)
    return list(people.order_by("pk").distinct())


def in_office(roles, municipality_id: int, on: datetime.date) -> models.QuerySet[Person]:
    return Person.objects.filter(
        pk__in=Office.objects.current(on).filter(role__in=roles, municipality=municipality_id).values("person")
    )


def body_secretaries(body_id: int, on: datetime.date) -> models.QuerySet[Person]:
    secretariat = Membership.objects.current(on).filter(body=body_id, role=Membership.Role.SECRETARY)
    return Person.objects.filter(pk__in=secretariat.values("person"))


def opens(fetch, user, pk: int, **kwargs) -> bool:
    """Whether the permission-checked fetch of the page lets the user in (not 404, not 403)."""
    try:
        fetch(user, pk, **kwargs)
    except (Http404, PermissionDenied):
        return False
    return True


def latest_history(obj, **filters) -> tuple[datetime.datetime | None, int | None]:
    """When the last history row of that kind was written, and by whom: for a step the model stamps no time on."""
    row = obj.history.filter(**filters).order_by("-history_date").values_list("history_date", "history_user").first()
    return row or (None, None)


class EventNotice(ReminderKind):
    """Something happened that someone must act on: due at that moment, so sent once per event, and a
    second event (a second publication, a second return) is a new notice."""

    def moment_of(self, obj) -> datetime.datetime | None:
        """When the event happened, or None when the object is not (or no longer) in that state."""
        raise NotImplementedError

    def recipients(self, obj) -> list[Person]:
        raise NotImplementedError

    def may_open(self, user, obj) -> bool:
        raise NotImplementedError

    def recent(self, since: datetime.datetime) -> models.QuerySet:
        raise NotImplementedError

    def fresh_until(self, obj, moment: datetime.datetime) -> datetime.datetime:
        return moment + EVENT_FRESH

    def plan(self, obj, conf: ReminderSettings) -> list[Due]:
        moment = self.moment_of(obj)
        if moment is None:
            return []
        until = self.fresh_until(obj, moment)
        # Planned again just before sending: whoever may no longer open the page is left out then.
        # A stale notice goes to no one anyway, so who may open it need not be asked.
        check = timezone.now() < until
        return [
            Due(person, moment, anchor_of(moment), until)
            for person in self.recipients(obj)
            if not check or self.may_open(person.user, obj)
        ]

    def open_objects(self) -> models.QuerySet:
        return self.recent(timezone.now() - EVENT_FRESH)

    def still_due(self, reminder: Reminder, obj, conf: ReminderSettings, now: datetime.datetime) -> str:
        """The event still stands, and the recipient is still one and may still open the page: asked for
        this one recipient only, not for everyone the notice went to."""
        moment = self.moment_of(obj)
        if moment is None or moment != reminder.due_at:
            return "no longer due"
        person = reminder.recipient
        if not any(p.pk == person.pk for p in self.recipients(obj)):
            return "no longer due"
        if now >= self.fresh_until(obj, moment):
            return "its moment has passed"
        if not self.may_open(person.user, obj):
            return "no longer due"
        return ""


class SubmissionAnswered(EventNotice):
    """The coordinator triaged an item: its submitter hears what happened to it."""

    kind = Reminder.Kind.SUBMISSION_ANSWERED
    model = Submission
    status = Submission.Status.ANSWERED

    def moment_of(self, submission: Submission) -> datetime.datetime | None:
        if submission.status != self.status:
            return None
        return submission.triaged_at

    def recipients(self, submission: Submission) -> list[Person]:
        return with_login(Person.objects.filter(user=submission.submitted_by_id), but=submission.triaged_by_id)

    def may_open(self, user, submission: Submission) -> bool:
        return opens(get_submission_for_user, user, submission.pk)

    def recent(self, since):
        return Submission.objects.filter(status=self.status, triaged_at__gte=since).select_related(
            "agenda_item__meeting__body"
        )

    def affected(self, changes: Changes):
        return self.open_objects().filter(submitted_by__person__in=changes.people) if changes.people else None

    def for_sending(self):
        return Submission.objects.select_related("agenda_item__meeting__body")

    def link(self, submission: Submission) -> str:
        return reverse("submission_detail", args=[submission.pk])

    def subject(self, submission: Submission) -> str:
        return _("Your item “%(title)s” has been answered") % {"title": submission.title}


class SubmissionReturned(SubmissionAnswered):
    kind = Reminder.Kind.SUBMISSION_RETURNED
    status = Submission.Status.RETURNED

    def subject(self, submission: Submission) -> str:
        return _("Your item “%(title)s” has been sent back") % {"title": submission.title}


class SubmissionRouted(SubmissionAnswered):
    kind = Reminder.Kind.SUBMISSION_ROUTED
    status = Submission.Status.ROUTED

    def moment_of(self, submission: Submission) -> datetime.datetime | None:
        item = submission.agenda_item if submission.agenda_item_id else None
        if item is None or item.withdrawn or item.meeting.is_cancelled:
            return None
        return super().moment_of(submission)

    def subject(self, submission: Submission) -> str:
        return _("Your item “%(title)s” is on the agenda of %(meeting)s") % {
            "title": submission.title,
            "meeting": submission.agenda_item.meeting,
        }

    def context(self, submission: Submission) -> dict:
        meeting = submission.agenda_item.meeting
        return {"object": submission, "meeting": meeting, "documents_deadline": when(meeting.documents_deadline)}


class ProposalSent(EventNotice):
    """A regional proposal reached the college: its secretaries (and loco-secretarissen) record the decision."""

    kind = Reminder.Kind.PROPOSAL_SENT
    model = CollegeDecision

    def moment_of(self, decision: CollegeDecision) -> datetime.datetime | None:
        untouched = (
            decision.outcome == CollegeDecision.Outcome.PENDING
            and decision.signing == CollegeDecision.Signing.OPEN
            and not decision.intended_on
        )
        if not untouched or decision.proposal.status != RegionalProposal.Status.SENT:
            return None
        return decision.version.frozen_at

    def recipients(self, decision: CollegeDecision) -> list[Person]:
        return with_login(in_office(Office.SECRETARY_ROLES, decision.municipality_id, timezone.localdate()))

    def may_open(self, user, decision: CollegeDecision) -> bool:
        return opens(get_decision_for_user, user, decision.pk, perm="record")

    def recent(self, since):
        return CollegeDecision.objects.filter(
            proposal__status=RegionalProposal.Status.SENT,
            outcome=CollegeDecision.Outcome.PENDING,
            version__frozen_at__gte=since,
        ).select_related("proposal__body", "municipality", "version")

    def affected(self, changes: Changes):
        return self.open_objects().filter(municipality__in=changes.municipalities) if changes.municipalities else None

    def for_sending(self):
        return CollegeDecision.objects.select_related("proposal__body", "municipality", "version")

    def link(self, decision: CollegeDecision) -> str:
        return reverse("decision_record", args=[decision.pk])

    def subject(self, decision: CollegeDecision) -> str:
        return _("For the college of %(municipality)s: “%(proposal)s”") % {
            "municipality": decision.municipality,
            "proposal": decision.proposal.title,
        }

    def context(self, decision: CollegeDecision) -> dict:
        return {"object": decision, "sent_on": on(decision.proposal.sent_on)}


class DecisionToSign(EventNotice):
    """A recorded decision waits for signing: the mayor signs and the secretary co-signs, or a substitute
    in office on the decision date (Gemeentewet art. 59a). The secretary who recorded it knows already."""

    kind = Reminder.Kind.DECISION_TO_SIGN
    model = CollegeDecision

    def recorded(self, decision: CollegeDecision) -> datetime.datetime | None:
        if decision.signing != CollegeDecision.Signing.TO_SIGN:
            return None
        moment, _by = latest_history(
            decision, history_change_reason="recorded", signing=CollegeDecision.Signing.TO_SIGN
        )
        return moment

    def moment_of(self, decision: CollegeDecision) -> datetime.datetime | None:
        if decision.proposal.status not in (RegionalProposal.Status.SENT, RegionalProposal.Status.DECIDED):
            return None
        return self.recorded(decision)

    def recipients(self, decision: CollegeDecision) -> list[Person]:
        signatories = in_office(
            Office.MAYOR_ROLES | Office.SECRETARY_ROLES, decision.municipality_id, timezone.localdate()
        )
        return with_login(signatories, but=decision.recorded_by_id)

    def may_open(self, user, decision: CollegeDecision) -> bool:
        # Only who still has a signature to give: a mayor who signed, or a second secretary once one
        # co-signed, is no longer waited for.
        return bool(decision.parts_to_sign_by(user)) and opens(get_decision_for_user, user, decision.pk, perm="sign")

    def recent(self, since):
        recorded = CollegeDecision.history.filter(history_change_reason="recorded", history_date__gte=since)
        return (
            CollegeDecision.objects.to_sign()
            .filter(pk__in=recorded.values("id"))
            .select_related("proposal", "municipality", "version")
        )

    def affected(self, changes: Changes):
        return self.open_objects().filter(municipality__in=changes.municipalities) if changes.municipalities else None

    def for_sending(self):
        return CollegeDecision.objects.select_related("proposal", "municipality", "version")

    def link(self, decision: CollegeDecision) -> str:
        return reverse("my_signatures")

    def subject(self, decision: CollegeDecision) -> str:
        return _("To sign: the decision of %(municipality)s on “%(proposal)s”") % {
            "municipality": decision.municipality,
            "proposal": decision.proposal.title,
        }

    def context(self, decision: CollegeDecision) -> dict:
        return {"object": decision, "decided_on": on(decision.decided_on)}


class CouncilStep(EventNotice):
    """The college's step handed the council track to the griffier: an intended decision to send to the
    council, or a signed decision to inform the council of. One notice per step, at the moment of the
    college's step; the griffier's later steps on the same track are the griffier's own doing."""

    kind = Reminder.Kind.COUNCIL_STEP
    model = CouncilTrack

    def moment_of(self, track: CouncilTrack) -> datetime.datetime | None:
        decision = track.decision
        if decision is None or track.sent_to_council_on or track.status == CouncilTrack.Status.NOT_NEEDED:
            return None
        if track.proposal.status not in (RegionalProposal.Status.SENT, RegionalProposal.Status.DECIDED):
            return None
        _step, whose = track.next_step()
        if whose != str(_("griffier")):
            return None
        if track.is_two_step and decision.intended_on:
            moment, _by = latest_history(decision, history_change_reason="intended decision")
            return moment
        if track.involvement == CouncilTrack.Involvement.INFORMED and decision.is_final:
            return max(filter(None, [decision.mayor_signed_at, decision.secretary_signed_at]), default=None)
        # Framework setting and zienswijze are the council's turn from the start, as the griffier set them.
        return None

    def recipients(self, track: CouncilTrack) -> list[Person]:
        return with_login(in_office({Office.Role.GRIFFIER}, track.municipality_id, timezone.localdate()))

    def may_open(self, user, track: CouncilTrack) -> bool:
        return opens(get_track_for_user, user, track.pk, keep=True)

    def recent(self, since):
        intended = CollegeDecision.history.filter(history_change_reason="intended decision", history_date__gte=since)
        return (
            CouncilTrack.objects.filter(sent_to_council_on__isnull=True)
            .filter(
                models.Q(decision__in=intended.values("id"))
                | models.Q(decision__mayor_signed_at__gte=since)
                | models.Q(decision__secretary_signed_at__gte=since)
            )
            .select_related("proposal", "municipality", "decision__version")
        )

    def affected(self, changes: Changes):
        return self.open_objects().filter(municipality__in=changes.municipalities) if changes.municipalities else None

    def for_sending(self):
        return CouncilTrack.objects.select_related("proposal", "municipality", "decision__version")

    def link(self, track: CouncilTrack) -> str:
        return reverse("council_track_edit", args=[track.pk])

    def subject(self, track: CouncilTrack) -> str:
        return _("Council of %(municipality)s, “%(proposal)s”: %(step)s") % {
            "municipality": track.municipality,
            "proposal": track.proposal.title,
            "step": track.next_step()[0],
        }

    def context(self, track: CouncilTrack) -> dict:
        decision = track.decision
        return {
            "object": track,
            "step": track.next_step()[0],
            "intended_on": on(decision.intended_on) if track.is_two_step and decision.intended_on else "",
            "decided_on": on(decision.decided_on) if decision.is_final else "",
        }


class CommentOnMinutes(EventNotice):
    """A member commented on minutes sent for comment: the body's secretary, who writes them, hears of it."""

    kind = Reminder.Kind.MINUTES_COMMENT
    model = MinutesComment

    def moment_of(self, comment: MinutesComment) -> datetime.datetime | None:
        minutes = comment.minutes
        if minutes.status == Minutes.Status.ADOPTED or minutes.meeting.is_cancelled:
            return None
        return comment.created_at

    def recipients(self, comment: MinutesComment) -> list[Person]:
        return with_login(
            body_secretaries(comment.minutes.meeting.body_id, timezone.localdate()), but=comment.author_id
        )

    def may_open(self, user, comment: MinutesComment) -> bool:
        return opens(get_minutes_for_user, user, comment.minutes_id, write=True)

    def recent(self, since):
        return MinutesComment.objects.filter(created_at__gte=since).select_related(
            "minutes__meeting__body", "author__person"
        )

    def affected(self, changes: Changes):
        return self.open_objects().filter(minutes__meeting__body__in=changes.bodies) if changes.bodies else None

    def for_sending(self):
        return MinutesComment.objects.select_related("minutes__meeting__body", "author__person")

    def link(self, comment: MinutesComment) -> str:
        return reverse("minutes_detail", args=[comment.minutes_id])

    def subject(self, comment: MinutesComment) -> str:
        return _("Comment on the minutes of %(meeting)s") % {"meeting": comment.minutes.meeting}

    def context(self, comment: MinutesComment) -> dict:
        person = getattr(comment.author, "person", None)
        return {"object": comment, "meeting": comment.minutes.meeting, "author": person or comment.author}


class ItemForwarded(EventNotice):
    """An item was forwarded to a meeting of the body this one prepares: its secretary fits it in."""

    kind = Reminder.Kind.ITEM_FORWARDED
    model = AgendaItem

    def forwarded(self, item: AgendaItem) -> tuple[datetime.datetime | None, int | None]:
        # The item stamps no time of its own: its first history row is the forwarding.
        return latest_history(item, history_type="+")

    def moment_of(self, item: AgendaItem) -> datetime.datetime | None:
        if not item.forwarded_from_id or item.withdrawn or item.meeting.status not in Meeting.AGENDA_OPEN:
            return None
        moment, _by = self.forwarded(item)
        return moment

    def recipients(self, item: AgendaItem) -> list[Person]:
        _moment, by = self.forwarded(item)
        return with_login(body_secretaries(item.meeting.body_id, timezone.localdate()), but=by)

    def may_open(self, user, item: AgendaItem) -> bool:
        return opens(get_meeting_for_user, user, item.meeting_id, prepare=True)

    def recent(self, since):
        created = AgendaItem.history.filter(history_type="+", history_date__gte=since, forwarded_from__isnull=False)
        return AgendaItem.objects.filter(
            pk__in=created.values("id"), withdrawn=False, meeting__status__in=Meeting.AGENDA_OPEN
        ).select_related("meeting__body", "forwarded_from__meeting__body")

    def affected(self, changes: Changes):
        return self.open_objects().filter(meeting__body__in=changes.bodies) if changes.bodies else None

    def for_sending(self):
        return AgendaItem.objects.select_related("meeting__body", "forwarded_from__meeting__body")

    def link(self, item: AgendaItem) -> str:
        return reverse("meeting_agenda", args=[item.meeting_id])

    def subject(self, item: AgendaItem) -> str:
        return _("“%(title)s” has been forwarded to %(meeting)s") % {"title": item.title, "meeting": item.meeting}

    def context(self, item: AgendaItem) -> dict:
        source = item.forwarded_from.meeting if item.forwarded_from_id else None
        return {"object": item, "meeting": item.meeting, "source": source}


class AgendaPublished(EventNotice):
    """The agenda is out. Superseded by the meeting invitation (MeetingInvitation), which reaches every
    invitee with the meeting as a calendar item: this kind plans nobody any more, and a notice of it still
    pending from before is skipped as no longer due."""

    kind = Reminder.Kind.AGENDA_PUBLISHED
    model = Meeting

    def moment_of(self, meeting: Meeting) -> datetime.datetime | None:
        if meeting.status != Meeting.Status.PUBLISHED:
            return None
        return meeting.published_at

    def fresh_until(self, meeting: Meeting, moment: datetime.datetime) -> datetime.datetime:
        return min(moment + EVENT_FRESH, meeting.starts_at)

    def recipients(self, meeting: Meeting) -> list[Person]:
        return []

    def may_open(self, user, meeting: Meeting) -> bool:
        return opens(get_meeting_for_user, user, meeting.pk)

    def recent(self, since):
        return Meeting.objects.filter(status=Meeting.Status.PUBLISHED, published_at__gte=since).select_related("body")

    def affected(self, changes: Changes):
        return self.open_objects().filter(body__in=changes.bodies) if changes.bodies else None

    def for_sending(self):
        return Meeting.objects.select_related("body")

    def link(self, meeting: Meeting) -> str:
        return reverse("meeting_detail", args=[meeting.pk])

    def subject(self, meeting: Meeting) -> str:
        return _("The agenda of %(meeting)s has been published") % {"meeting": meeting}

    def context(self, meeting: Meeting) -> dict:
        return {"object": meeting, "starts": when(meeting.starts_at)}


class MeetingInvitation(EventNotice):
    """The invitation, once the agenda is published: to every invitee (meetings.Meeting.invitees), with the
    meeting as a calendar item (METHOD:REQUEST) and the agenda PDF. The mail names only the body, the time
    and the place; the agenda PDF holds no confidential item."""

    kind = Reminder.Kind.MEETING_INVITATION
    model = Meeting
    method = "REQUEST"

    def moment_of(self, meeting: Meeting) -> datetime.datetime | None:
        if meeting.status != Meeting.Status.PUBLISHED:
            return None
        return meeting.published_at

    def fresh_until(self, meeting: Meeting, moment: datetime.datetime) -> datetime.datetime:
        return meeting.starts_at

    def preload(self, objects, lookups: Lookups) -> None:
        # A batch asks once per reminder: the invitees of each meeting are worked out once for the batch.
        for meeting in objects:
            meeting._invitees = meeting.invitees()

    def recipients(self, meeting: Meeting) -> list[Person]:
        return meeting._invitees if hasattr(meeting, "_invitees") else meeting.invitees()

    def may_open(self, user, meeting: Meeting) -> bool:
        return True  # an invitation needs no log-in: it says only who meets when and where

    def recent(self, since):
        return Meeting.objects.filter(status=Meeting.Status.PUBLISHED, starts_at__gte=timezone.now()).select_related(
            "body"
        )

    def affected(self, changes: Changes):
        return self.open_objects().filter(body__in=changes.bodies) if changes.bodies else None

    def for_sending(self):
        return Meeting.objects.select_related("body")

    def link(self, meeting: Meeting) -> str:
        return reverse("apology", args=[meeting.pk])

    def subject(self, meeting: Meeting) -> str:
        return _("Invitation: %(meeting)s") % {"meeting": meeting.long_name()}

    def context(self, meeting: Meeting) -> dict:
        from reminders.delivery import absolute

        return {
            "object": meeting,
            "starts": when(meeting.starts_at),
            "meeting_url": absolute(reverse("meeting_detail", args=[meeting.pk])),
        }

    def attachments(self, meeting: Meeting, reminder: Reminder) -> list[tuple[str, bytes, str]]:
        from meetings import calendar
        from reminders.delivery import absolute

        ics = calendar.invitation(
            meeting,
            attendee_email=reminder.recipient.email,
            attendee_name=reminder.recipient.full_name,
            organizer_email=settings.DEFAULT_FROM_EMAIL,
            url=absolute(reverse("meeting_detail", args=[meeting.pk])),
            cancel=self.method == "CANCEL",
        )
        files = [("uitnodiging.ics", ics, f'text/calendar; charset="utf-8"; method={self.method}')]
        pdf = meeting.pdfs.first() if self.method != "CANCEL" else None
        if pdf is not None:
            with pdf.file.open("rb") as handle:
                files.append((pdf.file.name.rsplit("/", 1)[-1], handle.read(), "application/pdf"))
        return files


class MeetingUpdate(MeetingInvitation):
    """A new time or place after the invitation went out: the same calendar item with a higher SEQUENCE, to
    whoever got the invitation (an invitation still to go out carries the new time itself)."""

    kind = Reminder.Kind.MEETING_UPDATE

    @staticmethod
    def _invited(meeting_ids: list[int]) -> dict[int, set[int]]:
        """Per meeting, who received its invitation."""
        invited: dict[int, set[int]] = {pk: set() for pk in meeting_ids}
        for meeting_id, person_id in Reminder.objects.filter(
            kind=Reminder.Kind.MEETING_INVITATION,
            content_type=ContentType.objects.get_for_model(Meeting),
            object_id__in=meeting_ids,
            status=Reminder.Status.SENT,
        ).values_list("object_id", "recipient"):
            invited[meeting_id].add(person_id)
        return invited

    def preload(self, objects, lookups: Lookups) -> None:
        super().preload(objects, lookups)
        invited = self._invited([meeting.pk for meeting in objects])
        for meeting in objects:
            meeting._invited = invited[meeting.pk]

    def recipients(self, meeting: Meeting) -> list[Person]:
        invited = meeting._invited if hasattr(meeting, "_invited") else self._invited([meeting.pk])[meeting.pk]
        invitees = super().recipients(meeting) if invited else []
        return [person for person in invitees if person.pk in invited]

    def moment_of(self, meeting: Meeting) -> datetime.datetime | None:
        if meeting.status != Meeting.Status.PUBLISHED or not meeting.rescheduled_at or not meeting.published_at:
            return None
        return meeting.rescheduled_at if meeting.rescheduled_at > meeting.published_at else None

    def recent(self, since):
        return super().recent(since).filter(rescheduled_at__gte=since)

    def subject(self, meeting: Meeting) -> str:
        return _("Changed: %(meeting)s") % {"meeting": meeting.long_name()}


class MeetingCancelled(MeetingUpdate):
    """The meeting is cancelled after its agenda was published: the calendar item is cancelled (METHOD:CANCEL),
    for whoever has it in their calendar."""

    kind = Reminder.Kind.MEETING_CANCELLED
    method = "CANCEL"

    def moment_of(self, meeting: Meeting) -> datetime.datetime | None:
        if meeting.status != Meeting.Status.CANCELLED or not meeting.published_at or not meeting.rescheduled_at:
            return None
        return meeting.rescheduled_at

    def recent(self, since):
        return Meeting.objects.filter(
            status=Meeting.Status.CANCELLED, published_at__isnull=False, rescheduled_at__gte=since
        ).select_related("body")

    def fresh_until(self, meeting: Meeting, moment: datetime.datetime) -> datetime.datetime:
        return max(meeting.starts_at, moment + EVENT_FRESH)

    def link(self, meeting: Meeting) -> str:
        return reverse("meeting_detail", args=[meeting.pk])

    def subject(self, meeting: Meeting) -> str:
        return _("Cancelled: %(meeting)s") % {"meeting": meeting.long_name()}


# The region's arrangements.


class OpinionRound(EventNotice):
    """A joint arrangement opened the councils' zienswijze round on a document of its budget cycle: the
    griffier and the municipal secretaries of each participant hear of it, with the end of the period."""

    kind = Reminder.Kind.OPINION_ROUND
    model = CouncilTrack

    def moment_of(self, track: CouncilTrack) -> datetime.datetime | None:
        if track.proposal.cycle_document_or_none() is None or track.outcome or not track.sent_version_id:
            return None
        if track.status == CouncilTrack.Status.NOT_NEEDED:
            return None
        return track.sent_version.frozen_at

    def recipients(self, track: CouncilTrack) -> list[Person]:
        roles = {Office.Role.GRIFFIER, *Office.SECRETARY_ROLES}
        return with_login(in_office(roles, track.municipality_id, timezone.localdate()))

    def may_open(self, user, track: CouncilTrack) -> bool:
        document = track.proposal.cycle_document_or_none()
        return document is not None and opens(lambda u, pk: get_cycle_document_for_user(u, pk), user, document.pk)

    def recent(self, since):
        return CouncilTrack.objects.filter(
            proposal__cycle_document__isnull=False, sent_version__frozen_at__gte=since, outcome=""
        ).select_related("proposal__cycle_document__arrangement", "municipality", "sent_version")

    def affected(self, changes: Changes):
        return self.open_objects().filter(municipality__in=changes.municipalities) if changes.municipalities else None

    def for_sending(self):
        return CouncilTrack.objects.select_related(
            "proposal__cycle_document__arrangement", "municipality", "sent_version"
        )

    def link(self, track: CouncilTrack) -> str:
        return reverse("cycle_document_detail", args=[track.proposal.cycle_document_or_none().pk])

    def subject(self, track: CouncilTrack) -> str:
        return _("Zienswijze of the council of %(municipality)s on “%(title)s”") % {
            "municipality": track.municipality,
            "title": track.proposal.title,
        }

    def context(self, track: CouncilTrack) -> dict:
        document = track.proposal.cycle_document_or_none()
        return {"object": track, "document": document, "end": on(document.opinion_end) if document.opinion_end else ""}


class OpinionDue(ReminderKind):
    """The councils' period on a joint arrangement's document ends soon and the council has not given its
    zienswijze yet: its griffier hears of it as many days before as for any council deadline."""

    kind = Reminder.Kind.OPINION_DUE
    model = CouncilTrack

    def plan(self, track: CouncilTrack, conf: ReminderSettings) -> list[Due]:
        document = track.proposal.cycle_document_or_none()
        if document is None or track.outcome or track.status == CouncilTrack.Status.NOT_NEEDED:
            return []
        end = document.opinion_end
        if end is None:
            return []
        due_at = conf.on_day(end - datetime.timedelta(conf.council_deadline_days))
        griffiers = office_holders(Office.Role.GRIFFIER, due_at.date(), track.municipality)
        return [Due(person, due_at, end.isoformat(), start_of(end + datetime.timedelta(1))) for person in griffiers]

    def open_objects(self):
        return (
            CouncilTrack.objects.filter(proposal__cycle_document__isnull=False, outcome="")
            .exclude(status=CouncilTrack.Status.NOT_NEEDED)
            .select_related("proposal__cycle_document__arrangement", "municipality")
        )

    def affected(self, changes: Changes):
        return self.open_objects().filter(municipality__in=changes.municipalities) if changes.municipalities else None

    def preload(self, objects, lookups: Lookups) -> None:
        lookups.preload_offices({Office.Role.GRIFFIER}, (track.municipality_id for track in objects))

    def for_sending(self):
        return CouncilTrack.objects.select_related("proposal__cycle_document__arrangement", "municipality")

    def link(self, track: CouncilTrack) -> str:
        return reverse("council_track_edit", args=[track.pk])

    def subject(self, track: CouncilTrack) -> str:
        return _("Council of %(municipality)s: the zienswijze on “%(title)s” is due by %(date)s") % {
            "municipality": track.municipality,
            "title": track.proposal.title,
            "date": on(track.proposal.cycle_document_or_none().opinion_end),
        }

    def context(self, track: CouncilTrack) -> dict:
        document = track.proposal.cycle_document_or_none()
        return {"object": track, "document": document, "end": on(document.opinion_end)}


class AdoptionDue(ReminderKind):
    """An adopting municipality's advice is due: its reviewer (or, without one, its secretaries) hear of it a
    few days before, as for an action point."""

    kind = Reminder.Kind.ADOPTION_DUE
    model = Adoption

    def plan(self, adoption: Adoption, conf: ReminderSettings) -> list[Due]:
        if (
            adoption.advised_on
            or adoption.withdrawn
            or adoption.proposal.status
            in (
                RegionalProposal.Status.CLOSED,
                RegionalProposal.Status.WITHDRAWN,
            )
        ):
            return []
        due_at = conf.on_day(adoption.due_on - datetime.timedelta(conf.action_due_days))
        if adoption.reviewer_id:
            people = [adoption.reviewer]
        else:
            people = office_holders(Office.Role.MUNICIPAL_SECRETARY, due_at.date(), adoption.municipality)
        until = start_of(adoption.due_on + datetime.timedelta(1))
        return [Due(person, due_at, adoption.due_on.isoformat(), until) for person in people]

    def open_objects(self):
        return Adoption.objects.due().select_related("proposal", "municipality", "reviewer")

    def affected(self, changes: Changes):
        return self.open_objects().filter(municipality__in=changes.municipalities) if changes.municipalities else None

    def for_sending(self):
        return Adoption.objects.select_related("proposal", "municipality", "reviewer")

    def link(self, adoption: Adoption) -> str:
        return reverse("adoption_edit", args=[adoption.pk])

    def subject(self, adoption: Adoption) -> str:
        return _("Adoption by %(municipality)s: advice on “%(title)s” due %(date)s") % {
            "municipality": adoption.municipality,
            "title": adoption.proposal.title,
            "date": on(adoption.due_on),
        }

    def context(self, adoption: Adoption) -> dict:
        return {"object": adoption, "due_on": on(adoption.due_on)}


class LeavingNoticeGiven(EventNotice):
    """A municipality gave notice to leave the cooperation: every participant's secretary and griffier hear
    the dates."""

    kind = Reminder.Kind.LEAVING_NOTICE
    model = LeavingNotice

    def moment_of(self, notice: LeavingNotice) -> datetime.datetime | None:
        return notice.created_at.replace(microsecond=0)

    def recipients(self, notice: LeavingNotice) -> list[Person]:
        cooperation = notice.participation.cooperation
        roles = {Office.Role.GRIFFIER, Office.Role.MUNICIPAL_SECRETARY}
        offices = Office.objects.current(timezone.localdate()).filter(
            role__in=roles, municipality__in=cooperation.participants_on(notice.notice_on)
        )
        return with_login(Person.objects.filter(pk__in=offices.values("person")))

    def may_open(self, user, notice: LeavingNotice) -> bool:
        from covenant.views import get_cooperation_for_user

        return opens(get_cooperation_for_user, user, notice.participation.cooperation_id)

    def recent(self, since):
        return LeavingNotice.objects.filter(created_at__gte=since).select_related(
            "participation__cooperation", "participation__municipality"
        )

    def for_sending(self):
        return LeavingNotice.objects.select_related("participation__cooperation", "participation__municipality")

    def link(self, notice: LeavingNotice) -> str:
        return reverse("covenant_detail", args=[notice.participation.cooperation_id])

    def subject(self, notice: LeavingNotice) -> str:
        return _("%(municipality)s leaves %(cooperation)s") % {
            "municipality": notice.participation.municipality,
            "cooperation": notice.participation.cooperation,
        }

    def context(self, notice: LeavingNotice) -> dict:
        return {"object": notice, "dates": notice.dates_text()}


# The coordinator hears of the covenant's evaluation this many days before it is due.
EVALUATION_LEAD = datetime.timedelta(days=28)


class CovenantEvaluationDue(ReminderKind):
    kind = Reminder.Kind.COVENANT_EVALUATION
    model = CovenantEvaluation

    def plan(self, evaluation: CovenantEvaluation, conf: ReminderSettings) -> list[Due]:
        if evaluation.reported_on:
            return []
        due_at = conf.on_day(evaluation.due_on - EVALUATION_LEAD)
        coordinators = office_holders(Office.Role.REGIONAL_COORDINATOR, due_at.date())
        return [Due(person, due_at, evaluation.due_on.isoformat()) for person in coordinators]

    def open_objects(self):
        return CovenantEvaluation.objects.filter(reported_on__isnull=True).select_related("cooperation")

    def affected(self, changes: Changes):
        return self.open_objects() if changes.coordinators else None

    def for_sending(self):
        return CovenantEvaluation.objects.select_related("cooperation")

    def link(self, evaluation: CovenantEvaluation) -> str:
        return reverse("covenant_detail", args=[evaluation.cooperation_id])

    def subject(self, evaluation: CovenantEvaluation) -> str:
        return _("The evaluation of %(cooperation)s is due on %(date)s") % {
            "cooperation": evaluation.cooperation,
            "date": on(evaluation.due_on),
        }

    def context(self, evaluation: CovenantEvaluation) -> dict:
        return {"object": evaluation, "due_on": on(evaluation.due_on)}


KINDS: dict[str, ReminderKind] = {
    spec.kind: spec
    for spec in (
        AgendaDeadline(),
        DocumentsMissing(),
        AgendaUnpublished(),
        MinutesUnsent(),
        CollegePending(),
        CollegePendingMayor(),
        CouncilDeadline(),
        ActionDue(),
        ActionOverdue(),
        EvaluationCreated(),
        SubmissionAnswered(),
        SubmissionReturned(),
        SubmissionRouted(),
        ProposalSent(),
        DecisionToSign(),
        CouncilStep(),
        CommentOnMinutes(),
        ItemForwarded(),
        AgendaPublished(),
        MeetingInvitation(),
        MeetingUpdate(),
        MeetingCancelled(),
        OpinionRound(),
        OpinionDue(),
        AdoptionDue(),
        LeavingNoticeGiven(),
        CovenantEvaluationDue(),
    )
}


def kinds_for(model: type[models.Model]) -> list[ReminderKind]:
    return [spec for spec in KINDS.values() if spec.model is model]
