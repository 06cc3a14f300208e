"""The periodic work behind reminders. Beat runs the dispatcher every minute;
the rows in the reminder table, not long-delayed messages on the broker, are
what must not be lost."""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from municipalities.models import Person
from reminders import delivery
from reminders.models import Reminder, ReminderSettings, TaskRun
from reminders.planning import sweep

logger = logging.getLogger(__name__)

# Reminders claimed per round of the dispatcher: one transaction, committed before the next round.
BATCH = 500
# Reminders per send task: what they are about is read once for the batch, and the mails share one
# connection to the mail server; each is still locked and committed on its own.
SEND_BATCH = 25
# Claimed and not yet sent, at most: what two workers send well within the claim timeout. Every
# day-counted reminder falls due at the same hour, so a run claims round after round up to this
# many instead of 500 a minute, and stops claiming while the workers are behind.
IN_FLIGHT = 10_000
# A run that keeps finding more stops after this long; the next run, a minute later, goes on.
DISPATCH_SECONDS = 20


@shared_task
def dispatch_due_reminders() -> int:
    """Claims the reminders that are due, a round of `BATCH` at a time, and queues their send tasks as
    each round commits; until none is left, `IN_FLIGHT` are claimed or `DISPATCH_SECONDS` have passed."""
    started = time.monotonic()
    room = IN_FLIGHT - Reminder.objects.filter(status=Reminder.Status.CLAIMED).count()
    claimed = 0
    while room > 0:
        wanted = min(BATCH, room)
        count = claim_round(wanted)
        claimed, room = claimed + count, room - count
        if count < wanted or time.monotonic() - started > DISPATCH_SECONDS:
            break
    TaskRun.record("dispatch", f"{claimed} queued")
    return claimed


def claim_round(limit: int) -> int:
    """Claims up to `limit` due reminders, oldest first, and queues one send task per `SEND_BATCH`
    once the claim is committed."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Reminder.objects.due(now)
            .order_by("due_at")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        Reminder.objects.filter(pk__in=ids).update(status=Reminder.Status.CLAIMED, claimed_at=now, changed_at=now)
        for start in range(0, len(ids), SEND_BATCH):
            send_reminders.delay_on_commit(ids[start : start + SEND_BATCH])
    return len(ids)


@shared_task
def send_reminder(reminder_id: int) -> str:
    outcome = delivery.send_one(reminder_id)
    return f"{outcome.status} {outcome.detail}".strip()


@shared_task
def send_reminders(reminder_ids: list[int]) -> str:
    outcomes = delivery.send_many(reminder_ids)
    return f"{sum(o.status == Reminder.Status.SENT for o in outcomes)} of {len(outcomes)} sent"


@shared_task
def return_stuck_reminders() -> int:
    """The janitor: a reminder claimed longer than the timeout lost its worker or its message; hand it out again."""
    conf = ReminderSettings.get_solo()
    cutoff = timezone.now() - timezone.timedelta(seconds=conf.claim_timeout_seconds)
    with transaction.atomic():
        ids = list(
            Reminder.objects.filter(status=Reminder.Status.CLAIMED, claimed_at__lt=cutoff)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        Reminder.objects.filter(pk__in=ids).update(
            status=Reminder.Status.PENDING, claimed_at=None, changed_at=timezone.now()
        )
    if ids:
        logger.warning("Returned %s reminders stuck in claimed to pending", len(ids))
    TaskRun.record("janitor", f"{len(ids)} returned")
    return len(ids)


@shared_task
def plan_reminders(full: bool = False) -> int:
    """The quarter-hourly sweep: only what changed since the last run, unless `full`."""
    added = sweep(full=full)
    TaskRun.record("plan", f"{added} added")
    return added


@shared_task
def send_digests() -> int:
    """Once a day: one e-mail per person who chose a digest and has something in it."""
    today = timezone.localdate()
    people = (
        Reminder.objects.filter(status=Reminder.Status.SENT, delivery=Person.Delivery.DIGEST, digest__isnull=True)
        .order_by()  # without the default ordering, which DISTINCT would include
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    conf = ReminderSettings.get_solo()
    sent = 0
    with delivery.mail_connection() as connection:
        for person_id in list(people):
            outcome = delivery.send_digest(person_id, today, connection, conf)
            sent += outcome.status == Reminder.Status.SENT
    TaskRun.record("digest", f"{sent} sent")
    return sent
