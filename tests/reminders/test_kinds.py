"""Each kind of reminder becomes due at the right moment, for the right people."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from decisions.models import CollegeDecision, CouncilTrack
from governance.models import Membership
from meetings.models import ActionPoint, AgendaItem, Document, Meeting, Minutes, Purpose, Submission
from municipalities.models import Office, Person
from reminders.models import Reminder, ReminderSettings
from reminders.planning import plan_all, plan_reminders
from tests.decisions.conftest import Covenant
from tests.factories import MembershipFactory, OfficeFactory, PersonFactory
from tests.reminders.conftest import at_eight, aware

D = datetime.date
Kind = Reminder.Kind


def kinds_of(**filters) -> list:
    return sorted(Reminder.objects.filter(**filters).values_list("kind", flat=True))


@pytest.fixture
def planned_meeting(region, secretary):
    with time_machine.travel(aware(2027, 3, 1, 9, 0), tick=False):
        meeting = Meeting.for_body(region.secretaries, aware(2027, 3, 22, 14, 0))
        meeting.save()
    return meeting


def test_a_planned_meeting_reminds_its_secretary_before_the_agenda_closes_and_before_it_is_published(
    planned_meeting, secretary, run_due
):
    conf = ReminderSettings.get_solo()
    closes = timezone.localdate(planned_meeting.agenda_deadline)
    deadline = Reminder.objects.get(kind=Kind.AGENDA_DEADLINE)
    assert deadline.recipient == secretary.person
    assert deadline.due_at == at_eight(closes, -conf.agenda_deadline_days)
    unpublished = Reminder.objects.get(kind=Kind.AGENDA_UNPUBLISHED)
    assert unpublished.due_at == at_eight(D(2027, 3, 22), -conf.agenda_unpublished_days)

    assert run_due(deadline.due_at - datetime.timedelta(minutes=1)) == []
    mails = run_due(deadline.due_at)
    assert [m.to for m in mails] == [[secretary.person.email]]
    assert "sluit" in mails[0].subject and planned_meeting.body.name in mails[0].subject
    assert f"/vergaderingen/{planned_meeting.pk}/" in mails[0].body

    mails = run_due(unpublished.due_at)
    assert len(mails) == 1 and "nog niet gepubliceerd" in mails[0].subject


def test_publishing_the_agenda_sets_the_unpublished_reminder_aside(planned_meeting, secretary, run_due):
    planned_meeting.publish(by=secretary)
    unpublished = Reminder.objects.get(kind=Kind.AGENDA_UNPUBLISHED)
    assert unpublished.status == Reminder.Status.SKIPPED and unpublished.note == "no longer due"
    assert run_due(unpublished.due_at) == []


def test_a_reminder_whose_moment_passed_is_skipped_not_sent_late(planned_meeting, run_due):
    """The worker was down for days: the meeting has begun, so no 'agenda not published' mail any more."""
    reminder = Reminder.objects.get(kind=Kind.AGENDA_UNPUBLISHED)
    assert run_due(planned_meeting.starts_at + datetime.timedelta(hours=1)) == []
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SKIPPED
    assert reminder.note == "its moment has passed"
    assert not reminder.sent_at


def test_moving_the_meeting_replaces_the_pending_reminders(planned_meeting):
    old = set(Reminder.objects.filter(kind=Kind.AGENDA_UNPUBLISHED).values_list("due_at", flat=True))
    planned_meeting.starts_at += datetime.timedelta(days=7)
    planned_meeting.agenda_deadline += datetime.timedelta(days=7)
    planned_meeting.save()
    pending = Reminder.objects.filter(kind=Kind.AGENDA_UNPUBLISHED, status=Reminder.Status.PENDING)
    assert pending.count() == 1 and pending.get().due_at not in old
    assert Reminder.objects.filter(kind=Kind.AGENDA_UNPUBLISHED, status=Reminder.Status.SKIPPED).count() == 1


def test_a_sent_back_submitter_is_reminded_that_the_agenda_closes(region, planned_meeting, secretary):
    submitter = PersonFactory(with_login=True)
    submission = Submission.objects.create(
        title="Regionale energiestrategie",
        purpose=Purpose.DISCUSSION,
        preferred_meeting=planned_meeting,
        submitted_by=submitter.user,
        municipality=region.haarlem,
    )
    assert Reminder.objects.filter(kind=Kind.AGENDA_DEADLINE).count() == 1
    submission.send_back(by=secretary, reason="Graag een kernboodschap toevoegen.")
    recipients = set(Reminder.objects.filter(kind=Kind.AGENDA_DEADLINE).values_list("recipient", flat=True))
    assert recipients == {secretary.person.pk, submitter.pk}


def test_a_routed_item_without_documents_reminds_its_submitter_until_documents_come(
    region, planned_meeting, secretary, run_due
):
    submitter = PersonFactory(with_login=True)
    submission = Submission.objects.create(
        title="Woonagenda",
        purpose=Purpose.DISCUSSION,
        preferred_meeting=planned_meeting,
        submitted_by=submitter.user,
        municipality=region.haarlem,
    )
    item = submission.route(by=secretary, meeting=planned_meeting)
    reminder = Reminder.objects.get(kind=Kind.DOCUMENTS_MISSING)
    assert reminder.recipient == submitter and reminder.object_id == item.pk
    documents_due = timezone.localdate(planned_meeting.documents_deadline)
    assert reminder.due_at == at_eight(documents_due, -ReminderSettings.get_solo().documents_missing_days)

    Document.objects.create(item=item, title="Notitie woonagenda")
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SKIPPED
    assert not [m for m in run_due(reminder.due_at) if m.to == [submitter.email]]
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SKIPPED and not reminder.sent_at


def test_minutes_not_sent_remind_the_secretary_days_after_the_meeting(region, secretary, run_due):
    with time_machine.travel(aware(2027, 1, 4, 9, 0), tick=False):
        meeting = Meeting.for_body(region.secretaries, aware(2027, 1, 25, 14, 0))
        meeting.save()
        meeting.publish(by=secretary)
    reminder = Reminder.objects.get(kind=Kind.MINUTES_UNSENT)
    assert reminder.due_at == at_eight(D(2027, 1, 25), ReminderSettings.get_solo().minutes_unsent_days)
    minutes = Minutes.objects.create(meeting=meeting)
    assert Reminder.objects.get(kind=Kind.MINUTES_UNSENT).status == Reminder.Status.PENDING
    mails = run_due(reminder.due_at)
    assert len(mails) == 1 and "verslag" in mails[0].subject.lower()
    assert minutes.status == Minutes.Status.DRAFT


@pytest.fixture
def covenant(db) -> Covenant:
    return Covenant()


def test_a_pending_college_decision_reminds_the_secretary_then_the_mayor_in_office_on_that_day(covenant, run_due):
    """The secretary of Haarlem leaves office before the reminder is due: her successor gets it."""
    haarlem = covenant.municipalities["Haarlem"]
    leaving = Office.objects.get(municipality=haarlem, role=Office.Role.MUNICIPAL_SECRETARY)
    leaving.ends_on = D(2027, 2, 10)
    leaving.save()
    successor = PersonFactory(given_name="Nieuwe", surname="Secretaris")
    OfficeFactory(
        person=successor, role=Office.Role.MUNICIPAL_SECRETARY, municipality=haarlem, starts_on=D(2027, 2, 11)
    )
    proposal = covenant.proposal()
    by = covenant.secretaries["Haarlem"]
    covenant.adopt(proposal, by, D(2027, 2, 1))
    proposal.send(by=by, on=D(2027, 2, 1))
    conf = ReminderSettings.get_solo()

    decision = CollegeDecision.objects.get(proposal=proposal, municipality=haarlem)
    to_secretary = Reminder.objects.get(kind=Kind.COLLEGE_PENDING, object_id=decision.pk)
    assert to_secretary.recipient == successor
    assert to_secretary.due_at == at_eight(D(2027, 2, 1), conf.college_secretary_days)
    to_mayor = Reminder.objects.get(kind=Kind.COLLEGE_PENDING_MAYOR, object_id=decision.pk)
    assert to_mayor.recipient == covenant.mayors["Haarlem"].person
    assert Reminder.objects.filter(kind=Kind.COLLEGE_PENDING).count() == 4

    mails = run_due(to_secretary.due_at)
    assert len(mails) == 4 and any(m.to == [successor.email] for m in mails)
    assert all("nog niet besloten" in m.subject for m in mails)


def test_a_recorded_decision_stops_the_secretary_reminder_but_not_the_mayors_until_approved(covenant, run_due):
    proposal = covenant.proposal()
    by = covenant.secretaries["Haarlem"]
    covenant.adopt(proposal, by, D(2027, 2, 1))
    proposal.send(by=by, on=D(2027, 2, 1))
    decision = CollegeDecision.objects.get(proposal=proposal, municipality=covenant.municipalities["Haarlem"])
    with time_machine.travel(aware(2027, 2, 9, 10, 0), tick=False):
        decision.record(
            by=by,
            lock_version=decision.lock_version,
            outcome=CollegeDecision.Outcome.AGREED,
            decided_on=D(2027, 2, 9),
            reference="2027/123",
        )
    assert Reminder.objects.get(kind=Kind.COLLEGE_PENDING, object_id=decision.pk).status == Reminder.Status.SKIPPED
    assert Reminder.objects.get(kind=Kind.COLLEGE_PENDING_MAYOR, object_id=decision.pk).status == (
        Reminder.Status.PENDING
    )


def test_a_council_deadline_reminds_the_griffier_before_the_latest_college_date(covenant, run_due):
    haarlem = covenant.municipalities["Haarlem"]
    griffier = PersonFactory(given_name="Gert", surname="Griffier")
    OfficeFactory(person=griffier, role=Office.Role.GRIFFIER, municipality=haarlem, starts_on=D(2020, 1, 1))
    proposal = covenant.proposal()
    by = covenant.secretaries["Haarlem"]
    covenant.adopt(proposal, by, D(2027, 2, 1))
    proposal.send(by=by, on=D(2027, 2, 1))
    track = CouncilTrack.objects.get(proposal=proposal, municipality=haarlem)
    track.council_date = D(2027, 5, 27)
    track.status = CouncilTrack.Status.PLANNED
    track.save()
    reminder = Reminder.objects.get(kind=Kind.COUNCIL_DEADLINE)
    latest = track.latest_college_decision
    assert reminder.recipient == griffier
    assert reminder.due_at == at_eight(latest, -ReminderSettings.get_solo().council_deadline_days)
    mails = [m for m in run_due(reminder.due_at) if m.to == [griffier.email]]
    assert len(mails) == 1 and "Raad van Haarlem" in mails[0].subject
    assert f"/raadstrajecten/{track.pk}/" in mails[0].body


@pytest.fixture
def action_point(region, secretary):
    with time_machine.travel(aware(2027, 1, 4, 9, 0), tick=False):
        meeting = Meeting.for_body(region.secretaries, aware(2027, 1, 11, 14, 0))
        meeting.save()
        meeting.publish(by=secretary)
    minutes = Minutes.objects.create(meeting=meeting)
    from meetings.models import MinutesItem

    agenda_item = meeting.items.get(kind=AgendaItem.Kind.OPENING)
    item = MinutesItem.objects.create(minutes=minutes, agenda_item=agenda_item)
    owner = PersonFactory(with_login=True, given_name="Olga", surname="Eigenaar", language=Person.Language.ENGLISH)
    return ActionPoint.objects.create(minutes_item=item, what="Notitie rondsturen", owner=owner, due_on=D(2027, 2, 1))


def test_an_action_point_reminds_its_owner_before_and_after_the_due_date_in_her_language(action_point, run_due):
    conf = ReminderSettings.get_solo()
    due = Reminder.objects.get(kind=Kind.ACTION_DUE)
    overdue = Reminder.objects.get(kind=Kind.ACTION_OVERDUE)
    assert due.due_at == at_eight(D(2027, 2, 1), -conf.action_due_days)
    assert overdue.due_at == at_eight(D(2027, 2, 1), conf.action_overdue_days)
    owner = [action_point.owner.email]
    mails = [m for m in run_due(due.due_at) if m.to == owner]
    assert len(mails) == 1 and mails[0].subject.startswith("Action point due on")
    assert "Dear Olga Eigenaar" in mails[0].body and "Notitie rondsturen" in mails[0].body
    mails = [m for m in run_due(overdue.due_at) if m.to == owner]
    assert len(mails) == 1 and mails[0].subject.startswith("Action point overdue")


def test_closing_the_action_point_stops_the_overdue_reminder(action_point, run_due):
    action_point.status = ActionPoint.Status.DONE
    action_point.save()
    overdue = Reminder.objects.get(kind=Kind.ACTION_OVERDUE)
    assert overdue.status == Reminder.Status.SKIPPED
    assert not [m for m in run_due(overdue.due_at) if m.to == [action_point.owner.email]]


def test_the_unique_key_makes_a_second_creation_a_no_op(action_point):
    before = Reminder.objects.count()
    assert plan_reminders(action_point) == 0
    assert plan_all() == 0
    assert Reminder.objects.count() == before
    existing = Reminder.objects.get(kind=Kind.ACTION_DUE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            kind=existing.kind,
            content_type=existing.content_type,
            object_id=existing.object_id,
            recipient=existing.recipient,
            due_at=existing.due_at,
        )


def test_the_sweep_plans_what_no_save_announced(region, planned_meeting, secretary):
    """A second secretary joins the body: the quarter-hourly sweep adds her reminders."""
    second = PersonFactory()
    MembershipFactory(body=region.secretaries, person=second, role=Membership.Role.SECRETARY, starts_on=D(2021, 1, 1))
    assert not Reminder.objects.filter(recipient=second).exists()
    with time_machine.travel(aware(2027, 3, 2, 9, 0), tick=False):
        added = plan_all()
    assert added == 2
    assert kinds_of(recipient=second) == [Kind.AGENDA_DEADLINE, Kind.AGENDA_UNPUBLISHED]
