import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from governance.models import Membership
from reminders import delivery
from reminders.models import Reminder
from reminders.tasks import dispatch_due_reminders
from tests.meetings.conftest import Region


def aware(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


def at_eight(day: datetime.date, plus_days: int = 0) -> datetime.datetime:
    """The default moment day-counted reminders go out."""
    day += datetime.timedelta(days=plus_days)
    return aware(day.year, day.month, day.day, 8, 0)


@pytest.fixture
def region(db) -> Region:
    return Region()


@pytest.fixture
def secretary(region):
    """The secretary of the secretaries' meeting."""
    return region.seat(region.secretaries, Membership.Role.SECRETARY)


@pytest.fixture
def run_due(django_capture_on_commit_callbacks):
    """Runs what beat and the worker do at a moment: the dispatcher claims and
    queues, then each queued send runs. Returns the e-mails sent."""

    def run(at: datetime.datetime) -> list:
        sent_before = len(mail.outbox)
        with time_machine.travel(at, tick=False):
            with django_capture_on_commit_callbacks(execute=False) as queued:
                count = dispatch_due_reminders()
            # One send task per batch of claimed reminders; each reminder in exactly one batch.
            assert sum(len(callback.args[0][0]) for callback in queued) == count
            for reminder in Reminder.objects.filter(status=Reminder.Status.CLAIMED):
                delivery.send_one(reminder.pk)
        return mail.outbox[sent_before:]

    return run
