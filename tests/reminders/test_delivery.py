"""Sending: once, with a stable Message-ID, retried with backoff, failed visibly, gathered in digests."""

import datetime
import socket

import pytest
import time_machine
from django.core import mail

from meetings.models import Meeting
from municipalities.models import Person
from reminders import delivery
from reminders.models import Digest, Reminder, ReminderSettings
from reminders.tasks import dispatch_due_reminders, return_stuck_reminders, send_digests
from tests.reminders.conftest import aware

D = datetime.date


@pytest.fixture
def meeting(region, secretary):
    """A planned meeting: its secretary has two reminders (agenda closes, agenda not published)."""
    with time_machine.travel(aware(2027, 3, 1, 9, 0), tick=False):
        meeting = Meeting.for_body(region.secretaries, aware(2027, 3, 22, 14, 0))
        meeting.save()
    return meeting


# The agenda closes on 12 March: "closes soon" is due on the 9th, "not yet published" on the 15th.
LATER = aware(2027, 3, 10, 9, 0)
LATEST = aware(2027, 3, 15, 9, 0)


def run_both(run_due) -> list:
    return run_due(LATER) + run_due(LATEST)


def test_each_reminder_is_sent_once_with_a_message_id_derived_from_its_key(meeting, secretary, run_due):
    mails = run_both(run_due)
    assert len(mails) == 2
    reminders = Reminder.objects.filter(status=Reminder.Status.SENT)
    assert {m.extra_headers["Message-ID"] for m in mails} == {r.message_id for r in reminders}
    assert all(r.message_id == r.stable_message_id and r.message_id.endswith("@localhost>") for r in reminders)
    assert all("regioportaal" not in r.message_id for r in reminders)  # derived from the key, nothing guessed
    # A second dispatcher run and a second delivery of the same task send nothing.
    assert run_due(LATEST + datetime.timedelta(minutes=1)) == []
    assert delivery.send_one(reminders[0].pk).status == "gone"
    assert len(mail.outbox) == 2


def test_the_message_id_is_the_same_for_the_same_key():
    reminder = Reminder(kind="action_due", content_type_id=7, object_id=3, recipient_id=5, due_at=aware(2027, 1, 1, 8))
    again = Reminder(kind="action_due", content_type_id=7, object_id=3, recipient_id=5, due_at=aware(2027, 1, 1, 8))
    other = Reminder(kind="action_due", content_type_id=7, object_id=3, recipient_id=6, due_at=aware(2027, 1, 1, 8))
    assert reminder.stable_message_id == again.stable_message_id != other.stable_message_id


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable_mail_server(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2


def test_a_mail_error_is_retried_with_backoff_then_fails_visibly(meeting, unreachable_mail_server, run_due):
    conf = ReminderSettings.get_solo()
    conf.max_attempts = 3
    conf.save()
    run_due(LATER)
    reminder = Reminder.objects.filter(kind="agenda_deadline").get()
    assert reminder.status == Reminder.Status.PENDING and reminder.attempts == 1
    assert reminder.retry_after == LATER + datetime.timedelta(minutes=1)
    assert "ConnectionRefusedError" in reminder.note
    # Not before the backoff has passed.
    run_due(LATER + datetime.timedelta(seconds=30))
    reminder.refresh_from_db()
    assert reminder.attempts == 1
    run_due(LATER + datetime.timedelta(minutes=1))
    reminder.refresh_from_db()
    assert reminder.attempts == 2 and reminder.retry_after == LATER + datetime.timedelta(minutes=3)
    run_due(LATER + datetime.timedelta(minutes=3))
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.FAILED and reminder.attempts == 3


def test_the_janitor_hands_out_again_what_stayed_claimed_too_long(meeting):
    with time_machine.travel(LATER, tick=False):
        assert dispatch_due_reminders() == 1  # the send task never runs: the worker died
    assert Reminder.objects.filter(status=Reminder.Status.CLAIMED).count() == 1
    timeout = ReminderSettings.get_solo().claim_timeout_seconds
    with time_machine.travel(LATER + datetime.timedelta(seconds=timeout - 1), tick=False):
        assert return_stuck_reminders() == 0
    with time_machine.travel(LATER + datetime.timedelta(seconds=timeout + 1), tick=False):
        assert return_stuck_reminders() == 1
    assert Reminder.objects.filter(status=Reminder.Status.PENDING).count() == 2


def test_in_portal_only_sends_no_mail_but_lists_the_reminder(meeting, secretary, run_due, client_for):
    Person.objects.filter(user=secretary).update(reminder_delivery=Person.Delivery.PORTAL)
    assert run_both(run_due) == []
    assert Reminder.objects.filter(status=Reminder.Status.SENT, delivery="portal").count() == 2
    page = client_for(secretary).get("/meldingen/").content.decode()
    assert "De agenda van Overleg gemeentesecretarissen" in page and "2 ongelezen" in page


@pytest.fixture
def second_meeting(region, meeting):
    """The day after: its agenda closes on 13 March, "closes soon" is due on the 10th."""
    with time_machine.travel(aware(2027, 3, 1, 9, 0), tick=False):
        second = Meeting.for_body(region.secretaries, aware(2027, 3, 23, 14, 0))
        second.save()
    return second


DIGEST_TIME = aware(2027, 3, 11, 8, 15)


def test_a_digest_gathers_the_days_reminders_in_one_mail_once(meeting, second_meeting, secretary, run_due):
    Person.objects.filter(user=secretary).update(reminder_delivery=Person.Delivery.DIGEST)
    assert run_due(LATER) == []
    with time_machine.travel(DIGEST_TIME, tick=False):
        assert send_digests() == 1
        assert send_digests() == 0
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.subject == "Uw herinneringen van 11-03-2027"
    assert "2 herinneringen van het regioportaal" in digest.body
    assert digest.body.count("sluit op") == 2
    assert f"/vergaderingen/{second_meeting.pk}/" in digest.body
    assert digest.extra_headers["Message-ID"] == Digest.objects.get().message_id
    assert Reminder.objects.filter(status=Reminder.Status.SENT, digest__isnull=True).count() == 0


def test_a_digest_leaves_out_what_was_done_since(meeting, second_meeting, secretary, run_due):
    Person.objects.filter(user=secretary).update(reminder_delivery=Person.Delivery.DIGEST)
    run_due(LATER)
    second_meeting.publish(by=secretary)
    with time_machine.travel(DIGEST_TIME, tick=False):
        assert send_digests() == 1
    assert "Eén herinnering van het regioportaal" in mail.outbox[0].body
    assert f"/vergaderingen/{second_meeting.pk}/" not in mail.outbox[0].body
    # Still in the notification list, with why it was not in the digest.
    left_out = Reminder.objects.get(object_id=second_meeting.pk, kind="agenda_deadline")
    assert left_out.status == Reminder.Status.SENT and left_out.note == "left out of the digest: no longer due"


def test_digests_are_per_person(region, meeting, second_meeting, secretary, run_due):
    from governance.models import Membership
    from reminders.planning import plan_all

    second = region.seat(region.secretaries, Membership.Role.SECRETARY)
    Person.objects.filter(user__in=[secretary, second]).update(reminder_delivery=Person.Delivery.DIGEST)
    with time_machine.travel(aware(2027, 3, 2, 9, 0), tick=False):
        plan_all()
    run_due(LATER)
    with time_machine.travel(DIGEST_TIME, tick=False):
        assert send_digests() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([secretary.person.email, second.person.email])
    assert all("2 herinneringen" in m.body for m in mail.outbox)


def test_new_lead_times_or_hour_do_not_send_a_reminder_again(meeting, secretary, run_due):
    assert len(run_due(LATER)) == 1
    conf = ReminderSettings.get_solo()
    conf.send_hour, conf.agenda_deadline_days = 9, 2
    conf.save()
    from reminders.planning import plan_all

    with time_machine.travel(LATER, tick=False):
        plan_all()
    assert run_due(aware(2027, 3, 11, 10, 0)) == []
    assert Reminder.objects.filter(kind="agenda_deadline").count() == 1


def test_a_line_break_in_an_action_point_gives_a_one_line_subject(region, secretary, run_due):
    from meetings.models import ActionPoint, AgendaItem, Minutes, MinutesItem
    from tests.factories import PersonFactory

    with time_machine.travel(aware(2027, 1, 4, 9, 0), tick=False):
        held = Meeting.for_body(region.secretaries, aware(2027, 1, 11, 14, 0))
        held.save()
    minutes = Minutes.objects.create(meeting=held)
    item = MinutesItem.objects.create(minutes=minutes, agenda_item=held.items.get(kind=AgendaItem.Kind.OPENING))
    owner = PersonFactory()
    ActionPoint.objects.create(
        minutes_item=item, what="Notitie rondsturen\nBcc: iedereen@example.nl", owner=owner, due_on=D(2027, 2, 1)
    )
    mails = [m for m in run_due(aware(2027, 2, 3, 9, 0)) if m.to == [owner.email]]
    assert len(mails) == 1
    assert "\n" not in mails[0].subject and mails[0].subject.endswith("Notitie rondsturen Bcc: iedereen@example.nl")
    assert mails[0].bcc == []
