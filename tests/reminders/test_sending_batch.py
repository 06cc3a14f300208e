"""A send task's reminders go out over one connection to the mail server, still each locked and committed
on its own; the dispatcher claims round after round while more are due, up to what may be in flight."""

import socket
import threading

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.db import connection
from django.test.utils import CaptureQueriesContext

from municipalities.models import Person
from reminders import delivery, tasks
from reminders.models import Digest, Reminder
from reminders.tasks import SEND_BATCH, dispatch_due_reminders, send_digests
from tests.reminders.conftest import aware
from tests.reminders.test_sending_queries import SEND, due_reminders


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailServer:
    """An SMTP server that counts the connections made to it and keeps the Message-IDs it accepted;
    `hang_up_at` makes it answer that message with 421 (closing the connection)."""

    def __init__(self) -> None:
        self.connections = 0
        self.message_ids: list[str] = []
        self.hang_up_at: int | None = None
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.hang_up_at == len(self.message_ids) + 1:
                self.hang_up_at = None
                return "421 Service not available, closing transmission channel"
            header = next(line for line in envelope.content.splitlines() if line.startswith(b"Message-ID:"))
            self.message_ids.append(header.split(b":", 1)[1].strip().decode())
        return "250 OK"


@pytest.fixture
def mail_server(settings):
    server = MailServer()
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", controller.port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield server
    controller.stop()


def claimed_batches(django_capture_on_commit_callbacks) -> list[list[int]]:
    with django_capture_on_commit_callbacks(execute=False) as queued:
        dispatch_due_reminders()
    return [callback.args[0][0] for callback in queued]


def claimed_action_reminders(django_capture_on_commit_callbacks) -> list[int]:
    """The claimed reminders about the action points, each of which goes out as a mail."""
    claimed = [pk for batch in claimed_batches(django_capture_on_commit_callbacks) for pk in batch]
    return list(Reminder.objects.filter(pk__in=claimed, kind=Reminder.Kind.ACTION_DUE).values_list("pk", flat=True))


def test_a_batch_goes_out_over_one_connection_each_mail_once(
    region, secretary, mail_server, django_capture_on_commit_callbacks
):
    due_reminders(region, 10)
    with time_machine.travel(SEND, tick=False):
        batch = claimed_action_reminders(django_capture_on_commit_callbacks)
        outcomes = delivery.send_many(batch)
        # A second delivery of the same task finds them sent.
        again = delivery.send_many(batch)
    assert len(batch) == 10 and {o.status for o in outcomes} == {Reminder.Status.SENT}
    assert {o.status for o in again} == {"gone"}
    assert mail_server.connections == 1
    sent = Reminder.objects.filter(pk__in=batch)
    assert sorted(mail_server.message_ids) == sorted(r.message_id for r in sent)
    assert {r.status for r in sent} == {Reminder.Status.SENT}


def test_a_connection_lost_mid_batch_puts_that_reminder_back_and_sends_the_rest_over_a_new_one(
    region, secretary, mail_server, django_capture_on_commit_callbacks
):
    due_reminders(region, 10)
    mail_server.hang_up_at = 3
    with time_machine.travel(SEND, tick=False):
        batch = claimed_action_reminders(django_capture_on_commit_callbacks)
        outcomes = delivery.send_many(batch)
    assert [o.status for o in outcomes].count(Reminder.Status.PENDING) == 1
    assert outcomes[2].status == Reminder.Status.PENDING and "SMTPDataError" in outcomes[2].detail
    put_back = Reminder.objects.get(pk=batch[2])
    assert put_back.status == Reminder.Status.PENDING and put_back.attempts == 1
    assert put_back.retry_after == SEND + delivery.backoff(1)
    assert mail_server.connections == 2 and len(mail_server.message_ids) == len(batch) - 1
    # After the backoff it goes out, once.
    with time_machine.travel(put_back.retry_after, tick=False):
        assert claimed_batches(django_capture_on_commit_callbacks) == [[put_back.pk]]
        assert delivery.send_many([put_back.pk])[0].status == Reminder.Status.SENT
    assert len(set(mail_server.message_ids)) == len(mail_server.message_ids) == len(batch)


def test_the_dispatcher_claims_round_after_round_up_to_what_may_be_in_flight(
    region, monkeypatch, django_capture_on_commit_callbacks
):
    due_reminders(region, 10)
    monkeypatch.setattr(tasks, "BATCH", 4)
    monkeypatch.setattr(tasks, "IN_FLIGHT", 10)
    with time_machine.travel(SEND, tick=False):
        due = Reminder.objects.due().count()
        first = claimed_batches(django_capture_on_commit_callbacks)
        # Nothing more while ten wait for a worker.
        assert claimed_batches(django_capture_on_commit_callbacks) == []
        for batch in first:
            delivery.send_many(batch)
        second = claimed_batches(django_capture_on_commit_callbacks)
    assert [len(batch) for batch in first] == [4, 4, 2]
    assert sum(map(len, second)) == min(due - 10, 10) and all(len(b) <= SEND_BATCH for b in second)
    assert len({pk for batch in first + second for pk in batch}) == sum(map(len, first + second))


def digest_queries(region, count: int, mail_server, django_capture_on_commit_callbacks) -> int:
    due_reminders(region, count)
    Person.objects.filter(reminder_delivery=Person.Delivery.EMAIL).update(reminder_delivery=Person.Delivery.DIGEST)
    with time_machine.travel(SEND, tick=False):
        for batch in claimed_batches(django_capture_on_commit_callbacks):
            delivery.send_many(batch)
    with time_machine.travel(aware(2027, 1, 28, 7, 0), tick=False), CaptureQueriesContext(connection) as queries:
        sent = send_digests()
    assert sent == Digest.objects.filter(sent_at__isnull=False).count() == len(mail_server.message_ids)
    assert mail_server.connections == 1
    return len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]) / sent


@pytest.mark.parametrize("count", [10, 40])
def test_digests_go_out_over_one_connection_with_queries_per_person_not_per_reminder(
    region, secretary, mail_server, count, django_capture_on_commit_callbacks
):
    # Five owners with two or eight reminders each; the secretary with the meetings' reminders.
    assert digest_queries(region, count, mail_server, django_capture_on_commit_callbacks) < 12
