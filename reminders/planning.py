"""Keeping the reminder table in line with the objects it reminds about."""

from __future__ import annotations

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from reminders.kinds import KINDS, ReminderKind, kinds_for
from reminders.models import Reminder, ReminderSettings

logger = logging.getLogger(__name__)

NO_LONGER_DUE = "no longer due"


def plan_reminders(obj: models.Model, kinds: list[ReminderKind] | None = None) -> int:
    """Creates the reminders `obj` needs now and sets aside pending ones it no
    longer needs (a moved meeting, a decision taken). Runs inside the caller's
    transaction, so a reminder exists exactly when the change that made it due
    is committed. Returns how many reminders were added."""
    kinds = kinds if kinds is not None else kinds_for(type(obj))
    if not kinds or obj.pk is None:
        return 0
    conf = ReminderSettings.get_solo()
    content_type = ContentType.objects.get_for_model(obj)
    now = timezone.now()
    # A reminder whose moment has already passed helps no one (an action point
    # entered after its due date gets no "due soon", only "overdue").
    wanted = {
        (spec.kind, due.recipient.pk, due.due_at): due
        for spec in kinds
        for due in spec.plan(obj, conf)
        if due.moment is None or (due.due_at < due.moment and now < due.moment)
    }
    with transaction.atomic():
        existing = Reminder.objects.filter(
            content_type=content_type, object_id=obj.pk, kind__in=[spec.kind for spec in kinds]
        ).only("pk", "kind", "recipient_id", "due_at", "status", "note")
        stale, revived = [], []
        for reminder in existing:
            key = (reminder.kind, reminder.recipient_id, reminder.due_at)
            if key in wanted:
                wanted.pop(key)
                if reminder.status == Reminder.Status.SKIPPED and reminder.note == NO_LONGER_DUE:
                    revived.append(reminder.pk)
            elif reminder.status == Reminder.Status.PENDING:
                stale.append(reminder.pk)
        if stale:
            Reminder.objects.filter(pk__in=stale, status=Reminder.Status.PENDING).update(
                status=Reminder.Status.SKIPPED, note=NO_LONGER_DUE
            )
        if revived:
            Reminder.objects.filter(pk__in=revived).update(status=Reminder.Status.PENDING, note="")
        created = Reminder.objects.bulk_create(
            [
                Reminder(
                    kind=kind,
                    content_type=content_type,
                    object_id=obj.pk,
                    recipient_id=recipient_id,
                    due_at=due_at,
                )
                for kind, recipient_id, due_at in wanted
            ],
            ignore_conflicts=True,
        )
    return len(created)


def plan_all() -> int:
    """The periodic sweep: catches what no save announced (an office that
    changed hands, new lead times, time passing)."""
    added = 0
    for spec in KINDS.values():
        for obj in spec.open_objects().iterator(chunk_size=200):
            added += plan_reminders(obj, [spec])
    return added
