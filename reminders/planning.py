"""Keeping the reminder table in line with the objects it reminds about."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from reminders.kinds import KINDS, ReminderKind, kinds_for
from reminders.models import Reminder, ReminderSettings

logger = logging.getLogger(__name__)

NO_LONGER_DUE = "no longer due"
DELIVERED = (Reminder.Status.SENT, Reminder.Status.CLAIMED, Reminder.Status.FAILED)


def plan_reminders(obj: models.Model, kinds: list[ReminderKind] | None = None) -> int:
    """Creates the reminders `obj` needs now and sets aside pending ones it no
    longer needs (a moved meeting, a decision taken). Runs inside the caller's
    transaction, so a reminder exists exactly when the change that made it due
    is committed. Returns how many reminders were added."""
    return plan_many([obj], kinds)


def plan_many(objects: Sequence[models.Model], kinds: list[ReminderKind] | None = None) -> int:
    """`plan_reminders` for several objects of one model, with one look at the
    reminder table for all of them."""
    objects = [obj for obj in objects if obj.pk is not None]
    if not objects:
        return 0
    kinds = kinds if kinds is not None else kinds_for(type(objects[0]))
    if not kinds:
        return 0
    conf = ReminderSettings.get_solo()
    content_type = ContentType.objects.get_for_model(objects[0])
    now = timezone.now()
    # A reminder whose moment has already passed helps no one (an action point
    # entered after its due date gets no "due soon", only "overdue").
    wanted = {
        (spec.kind, obj.pk, due.recipient.pk, due.due_at): due
        for obj in objects
        for spec in kinds
        for due in spec.plan(obj, conf)
        if due.moment is None or (due.due_at < due.moment and now < due.moment)
    }
    with transaction.atomic():
        existing = Reminder.objects.filter(
            content_type=content_type,
            object_id__in=[obj.pk for obj in objects],
            kind__in=[spec.kind for spec in kinds],
        ).only("pk", "kind", "object_id", "recipient_id", "due_at", "anchor", "status", "note")
        stale, revived, delivered = [], [], set()
        for reminder in existing:
            key = (reminder.kind, reminder.object_id, reminder.recipient_id, reminder.due_at)
            if reminder.status in DELIVERED:
                delivered.add((reminder.kind, reminder.object_id, reminder.recipient_id, reminder.anchor))
            if key in wanted:
                wanted.pop(key)
                if reminder.status == Reminder.Status.SKIPPED and reminder.note == NO_LONGER_DUE:
                    revived.append(reminder.pk)
            elif reminder.status == Reminder.Status.PENDING:
                stale.append(reminder.pk)
        if stale:
            Reminder.objects.filter(pk__in=stale, status=Reminder.Status.PENDING).update(
                status=Reminder.Status.SKIPPED, note=NO_LONGER_DUE, changed_at=now
            )
        if revived:
            Reminder.objects.filter(pk__in=revived).update(status=Reminder.Status.PENDING, note="", changed_at=now)
        created = Reminder.objects.bulk_create(
            [
                Reminder(
                    kind=kind,
                    content_type=content_type,
                    object_id=object_id,
                    recipient_id=recipient_id,
                    due_at=due_at,
                    anchor=due.anchor,
                )
                for (kind, object_id, recipient_id, due_at), due in wanted.items()
                # Already sent about this date: new lead times or hours do not send it again.
                if (kind, object_id, recipient_id, due.anchor) not in delivered
            ],
            ignore_conflicts=True,
        )
    return len(created)


def chunks(iterable: Iterable, size: int):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def plan_all() -> int:
    """The periodic sweep: catches what no save announced (an office that
    changed hands, new lead times, time passing)."""
    added = 0
    for spec in KINDS.values():
        for chunk in chunks(spec.open_objects().iterator(chunk_size=200), 200):
            added += plan_many(chunk, [spec])
    return added
