"""Reminder figures: how long the quarter-hourly planning sweep (a full run
and an incremental run with nothing changed) and one dispatcher run take at a
realistic size, and the queries per reminder sent. Run with
`DEBUG=1 .venv/bin/python -m pytest bench -q -s`."""

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meetings.models import ActionPoint, AgendaItem, Meeting, Minutes, MinutesItem
from reminders import delivery
from reminders.models import Reminder
from reminders.planning import plan_all, sweep
from reminders.tasks import SEND_BATCH, dispatch_due_reminders
from tests.factories import PersonFactory
from tests.meetings.conftest import Region

pytestmark = pytest.mark.django_db


def test_reminder_figures(django_capture_on_commit_callbacks):
    region = Region()
    now = timezone.now()
    for weeks in range(1, 41):  # forty planned meetings
        Meeting.for_body(region.secretaries, now + datetime.timedelta(weeks=weeks)).save()
    held = Meeting.for_body(region.secretaries, now - datetime.timedelta(days=30))
    held.save()
    item = MinutesItem.objects.create(
        minutes=Minutes.objects.create(meeting=held), agenda_item=held.items.get(kind=AgendaItem.Kind.OPENING)
    )
    owners = [PersonFactory() for _ in range(50)]
    for n in range(500):  # five hundred open action points, half of them overdue
        due_on = timezone.localdate() + datetime.timedelta(days=(n % 60) - 30)
        ActionPoint.objects.create(minutes_item=item, what=f"Actie {n}", owner=owners[n % 50], due_on=due_on)

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        added = plan_all()
    sweep_ms = (time.perf_counter() - start) * 1000
    print(
        f"\nplanning sweep over 40 meetings and 500 action points: {sweep_ms:.0f} ms, "
        f"{len(queries)} queries, {added} added (all existed already)"
    )

    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        added = sweep()
    print(
        "incremental sweep right after (the setup still within its 5-minute margin): "
        f"{(time.perf_counter() - start) * 1000:.0f} ms, "
        f"{len(queries)} queries, {added} added"
    )

    due = Reminder.objects.due().count()
    start = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=False):
        claimed = dispatch_due_reminders()
    dispatch_ms = (time.perf_counter() - start) * 1000
    ids = list(Reminder.objects.filter(status=Reminder.Status.CLAIMED).values_list("pk", flat=True))
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        for batch in range(0, len(ids), SEND_BATCH):
            delivery.send_many(ids[batch : batch + SEND_BATCH])
    send_ms = (time.perf_counter() - start) * 1000
    statements = [q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    print(
        f"dispatcher run claiming {claimed} of {due} due reminders: {dispatch_ms:.0f} ms; "
        f"sending them (locmem mail, batches of {SEND_BATCH}): {send_ms / max(claimed, 1):.1f} ms and "
        f"{len(statements) / max(claimed, 1):.2f} queries per reminder"
    )


SENDING_SMTP_PORT = 8902
SENDING_COUNT = 2000


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("batch", [SEND_BATCH, 100])
def test_sending_figures(settings, batch):
    """2,000 due reminders sent through `send_many` in the dispatcher's batches to an SMTP server on the
    loopback interface, each row committed on its own as the worker commits it: mails per second and
    queries per reminder. On PostgreSQL with `DATABASE_URL=... --create-db` the commits are real ones."""
    from aiosmtpd.controller import Controller

    from meetings.models import ActionPoint
    from reminders.kinds import ActionOverdue
    from reminders.models import ReminderSettings
    from reminders.planning import plan_many

    region = Region()
    held = Meeting.for_body(region.secretaries, timezone.now() - datetime.timedelta(days=30))
    held.save()
    item = MinutesItem.objects.create(
        minutes=Minutes.objects.create(meeting=held), agenda_item=held.items.get(kind=AgendaItem.Kind.OPENING)
    )
    owners = [PersonFactory() for _ in range(200)]
    due_on = timezone.localdate() - datetime.timedelta(days=ReminderSettings.get_solo().action_overdue_days + 1)
    points = ActionPoint.objects.bulk_create(
        [
            ActionPoint(
                minutes_item=item, body=region.secretaries, what=f"Actie {n}", owner=owners[n % 200], due_on=due_on
            )
            for n in range(SENDING_COUNT)
        ]
    )
    for first in range(0, len(points), 500):
        plan_many(points[first : first + 500], [ActionOverdue()])
    due = Reminder.objects.due().filter(kind=Reminder.Kind.ACTION_OVERDUE)
    ids = list(due.values_list("pk", flat=True))
    due.update(status=Reminder.Status.CLAIMED, claimed_at=timezone.now())

    class Sink:
        received = 0
        connections = 0

        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            Sink.connections += 1
            session.host_name = hostname
            return responses

        async def handle_DATA(self, server, session, envelope):
            Sink.received += 1
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=SENDING_SMTP_PORT)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", SENDING_SMTP_PORT
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    try:
        start = time.perf_counter()
        with connection.execute_wrapper(count):
            outcomes = [
                o for first in range(0, len(ids), batch) for o in delivery.send_many(ids[first : first + batch])
            ]
        seconds = time.perf_counter() - start
    finally:
        controller.stop()
    sent = sum(o.status == Reminder.Status.SENT for o in outcomes)
    print(
        f"\nsending {len(ids)} reminders over SMTP ({connection.vendor}, batches of {batch}): {seconds:.1f} s, "
        f"{len(ids) / seconds:.0f} mails/s, {queries / len(ids):.2f} queries per reminder, "
        f"{Sink.connections} SMTP connections, {Sink.received} mails received, {sent} sent"
    )
    assert sent == Sink.received == len(ids) == SENDING_COUNT
