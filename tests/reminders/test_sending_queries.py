"""Sending reads what the reminders are about once per batch: under three queries per reminder sent,
however many are due."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import ActionPoint, AgendaItem, Meeting, Minutes, MinutesItem
from reminders import delivery
from reminders.models import Reminder
from reminders.tasks import SEND_BATCH, dispatch_due_reminders
from tests.factories import PersonFactory
from tests.reminders.conftest import aware

SETUP = aware(2027, 1, 4, 9, 0)
SEND = aware(2027, 1, 27, 9, 0)  # the action points are due in three days


def due_reminders(region, count: int) -> None:
    """`count` action points overdue on 1 February, and the agenda reminders of planned meetings."""
    with time_machine.travel(SETUP, tick=False):
        held = Meeting.for_body(region.secretaries, aware(2027, 1, 11, 14, 0))
        held.save()
        for week in range(count // 5):
            Meeting.for_body(region.secretaries, aware(2027, 2, 2, 9, 0) + datetime.timedelta(hours=week)).save()
    minutes = Minutes.objects.create(meeting=held)
    item = MinutesItem.objects.create(minutes=minutes, agenda_item=held.items.get(kind=AgendaItem.Kind.OPENING))
    owners = [PersonFactory() for _ in range(5)]
    with time_machine.travel(SETUP, tick=False):
        for n in range(count):
            ActionPoint.objects.create(
                minutes_item=item, what=f"Actie {n}", owner=owners[n % 5], due_on=datetime.date(2027, 1, 29)
            )


@pytest.mark.parametrize("count", [10, 60])
def test_each_reminder_costs_under_three_queries_to_send(region, secretary, count, django_capture_on_commit_callbacks):
    due_reminders(region, count)
    with time_machine.travel(SEND, tick=False):
        with django_capture_on_commit_callbacks(execute=False) as queued:
            claimed = dispatch_due_reminders()
        batches = [callback.args[0][0] for callback in queued]
        assert all(len(batch) <= SEND_BATCH for batch in batches) and sum(map(len, batches)) == claimed
        with CaptureQueriesContext(connection) as queries:
            outcomes = [outcome for batch in batches for outcome in delivery.send_many(batch)]
    sent = [o for o in outcomes if o.status == Reminder.Status.SENT]
    assert len(sent) >= count and len(mail.outbox) == len(sent)
    # Without the savepoints the test's own transaction adds around each reminder's commit.
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) / claimed < 3, "\n".join(s[:150] for s in statements)
    assert not Reminder.objects.filter(status=Reminder.Status.CLAIMED).exists()


def test_a_batch_skips_what_is_no_longer_due_and_sends_the_rest(region, secretary):
    due_reminders(region, 10)
    done = ActionPoint.objects.order_by("pk").first()
    with time_machine.travel(SEND, tick=False):
        with CaptureQueriesContext(connection):
            dispatch_due_reminders()
        # Closed without a save the reminders heard of.
        ActionPoint.objects.filter(pk=done.pk).update(status=ActionPoint.Status.DONE)
        ids = list(Reminder.objects.filter(status=Reminder.Status.CLAIMED).values_list("pk", flat=True))
        delivery.send_many(ids)
    skipped = Reminder.objects.get(object_id=done.pk, kind=Reminder.Kind.ACTION_DUE)
    assert skipped.status == Reminder.Status.SKIPPED and skipped.note == "no longer due"
    others = Reminder.objects.filter(pk__in=ids, kind=Reminder.Kind.ACTION_DUE).exclude(pk=skipped.pk)
    assert {r.status for r in others} == {Reminder.Status.SENT} and others.count() == 9
