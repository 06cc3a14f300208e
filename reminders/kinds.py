"""What each kind of reminder is about, who gets it and when.

Each kind plans, for one object, the reminders it should have right now
(`plan`). Planning is repeated whenever the object changes and by a periodic
sweep; a reminder that is no longer in the plan when its time comes is
skipped, not sent. Recipients are taken from the offices and memberships on
the day the reminder is due."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from decisions.models import CollegeDecision, CouncilTrack, RegionalProposal
from governance.models import ConsultationBody, Membership, MonthlyEvaluation
from meetings.models import ActionPoint, AgendaItem, Document, Meeting, Minutes, Submission
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


def secretaries(body: ConsultationBody, on: datetime.date) -> list[Person]:
    return [m.person for m in body.members_on(on).filter(role=Membership.Role.SECRETARY)]


def office_holders(role: str, on: datetime.date, municipality: Municipality | None = None) -> list[Person]:
    offices = Office.objects.current(on).filter(role=role).select_related("person")
    if municipality is not None:
        offices = offices.filter(municipality=municipality)
    return [office.person for office in offices]


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

    def link(self, obj) -> str:
        raise NotImplementedError

    def subject(self, obj) -> str:
        raise NotImplementedError

    def context(self, obj) -> dict:
        return {"object": obj}

    @property
    def template_name(self) -> str:
        return f"reminders/email/{self.kind}.txt"


def upcoming_meetings() -> models.QuerySet:
    return Meeting.objects.filter(starts_at__gte=timezone.now()).select_related("body")


class AgendaDeadline(ReminderKind):
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
        returned = Submission.objects.filter(preferred_meeting=meeting, status=Submission.Status.RETURNED)
        recipients += list(Person.objects.filter(user__in=returned.values("submitted_by")))
        anchor = anchor_of(meeting.agenda_deadline)
        return [Due(person, due_at, anchor, meeting.agenda_deadline) for person in dict.fromkeys(recipients)]

    def open_objects(self):
        return upcoming_meetings().filter(status=Meeting.Status.PLANNED)

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

    def link(self, item: AgendaItem) -> str:
        return reverse("meeting_detail", args=[item.meeting_id]) + f"#item-{item.pk}"

    def subject(self, item: AgendaItem) -> str:
        return _("No documents yet for “%(title)s” (%(meeting)s)") % {"title": item.title, "meeting": item.meeting}

    def context(self, item: AgendaItem) -> dict:
        return {"object": item, "meeting": item.meeting, "documents_deadline": when(item.meeting.documents_deadline)}


class AgendaUnpublished(ReminderKind):
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


class MinutesUnsent(ReminderKind):
    kind = Reminder.Kind.MINUTES_UNSENT
    model = Meeting

    def plan(self, meeting: Meeting, conf: ReminderSettings) -> list[Due]:
        if meeting.status not in (Meeting.Status.PUBLISHED, Meeting.Status.HELD):
            return []
        minutes = Minutes.objects.filter(meeting=meeting).first()
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

    def link(self, evaluation: MonthlyEvaluation) -> str:
        return reverse("evaluation_edit", args=[evaluation.pk])

    def subject(self, evaluation: MonthlyEvaluation) -> str:
        return _("%(title)s (%(cooperation)s)") % {"title": evaluation.title, "cooperation": evaluation.cooperation}

    def context(self, evaluation: MonthlyEvaluation) -> dict:
        item = evaluation.agenda_item
        return {"object": evaluation, "meeting": item.meeting if item else None}


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
    )
}


def kinds_for(model: type[models.Model]) -> list[ReminderKind]:
    return [spec for spec in KINDS.values() if spec.model is model]
