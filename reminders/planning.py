"""Keeping the reminder table in line with the objects it reminds about.

Saves plan their object inline (reminders/signals.py). The quarter-hourly
sweep is for what no save announced: an office or membership that changed
hands or starts or ends by date, a person's log-in, new lead times. It plans
only the objects those changes touch since its last run, a chunk per
transaction; a mark per kind (PlanningMark) records how far it got, so a run
that stops halfway leaves nothing half-planned and the next run carries on."""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Iterable, Sequence
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from governance.models import Membership
from municipalities.models import Office, Person
from reminders.kinds import KINDS, Changes, ReminderKind, kinds_for, preloaded
from reminders.models import PlanningMark, Reminder, ReminderSettings

logger = logging.getLogger(__name__)

NO_LONGER_DUE = "no longer due"
DELIVERED = (Reminder.Status.SENT, Reminder.Status.CLAIMED, Reminder.Status.FAILED)
CHUNK = 200
# A change saved in a transaction that committed only after a run looked is seen by the next run.
MARGIN = datetime.timedelta(minutes=5)
# One quarter-hourly run stops after this long; the next run carries on from its marks.
BUDGET_SECONDS = 25.0


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
    wanted = {}
    for spec in kinds:
        with preloaded(spec, objects):
            for obj in objects:
                for due in spec.plan(obj, conf):
                    if due.moment is None or (due.due_at < due.moment and now < due.moment):
                        wanted[spec.kind, obj.pk, due.recipient.pk, due.due_at] = due
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


def changes_between(since: datetime.datetime, until: datetime.datetime) -> Changes:
    """The municipalities, bodies and people whose offices, memberships or log-ins changed in the window,
    or whose offices and memberships started or ended on a day the window crossed."""
    offices = Office.history.filter(history_date__gte=since, history_date__lt=until)
    memberships = Membership.history.filter(history_date__gte=since, history_date__lt=until)
    office_rows = set(offices.order_by().values_list("municipality_id", "person_id", "role").distinct())
    membership_rows = set(memberships.order_by().values_list("body_id", "person_id").distinct())
    people = set(
        Person.history.filter(history_date__gte=since, history_date__lt=until).order_by().values_list("id", flat=True)
    )
    first, last = timezone.localdate(since), timezone.localdate(until)
    if first < last:
        # Current from `starts_on`; no longer current the day after `ends_on`.
        crossed = Q(starts_on__gt=first, starts_on__lte=last) | Q(ends_on__gte=first, ends_on__lt=last)
        office_rows |= set(Office.objects.filter(crossed).values_list("municipality_id", "person_id", "role"))
        membership_rows |= set(Membership.objects.filter(crossed).values_list("body_id", "person_id"))
    municipalities = {m for m, _p, _r in office_rows if m is not None}
    bodies = {b for b, _p in membership_rows}
    if people:
        # A log-in linked to or taken from a person changes who gets the notices of their offices and seats.
        municipalities |= set(
            Office.objects.filter(person__in=people, municipality__isnull=False).values_list("municipality", flat=True)
        )
        bodies |= set(Membership.objects.filter(person__in=people).values_list("body", flat=True))
    return Changes(
        municipalities=frozenset(municipalities),
        bodies=frozenset(bodies),
        people=frozenset(people),
        coordinators=any(r == Office.Role.REGIONAL_COORDINATOR for _m, _p, r in office_rows),
    )


def _plan_in_chunks(
    spec: ReminderKind, objects: models.QuerySet, mark: PlanningMark, deadline: float
) -> tuple[int, bool]:
    """Plans `objects` after the mark's cursor in chunks, each with the mark's new cursor in one
    transaction. Returns what was added and whether it got to the end."""
    added = 0
    objects = objects.filter(pk__gt=mark.cursor).order_by("pk")
    while True:
        chunk = list(objects.filter(pk__gt=mark.cursor)[:CHUNK])
        if not chunk:
            return added, True
        with transaction.atomic():
            added += plan_many(chunk, [spec])
            mark.cursor = chunk[-1].pk
            mark.save(update_fields=["cursor"])
        if len(chunk) < CHUNK:
            return added, True
        if time.monotonic() >= deadline:
            return added, False


def sweep(*, full: bool = False, budget: float = BUDGET_SECONDS) -> int:
    """The periodic sweep: per kind, the open objects the changes since its last run touched (every open
    object on the first run, after new lead times, or with `full`). Returns how many reminders were added.
    One sweep at a time (a lock in the shared cache): a second one started meanwhile does nothing."""
    from django.core.cache import cache

    lock_seconds = 600 if budget == float("inf") else int(budget) + 300
    if not cache.add(SWEEP_LOCK, "1", timeout=lock_seconds):
        logger.info("A planning sweep is already running; this one does nothing")
        return 0
    try:
        return _sweep(full=full, budget=budget)
    finally:
        cache.delete(SWEEP_LOCK)


SWEEP_LOCK = "reminders:planning-sweep"


def _sweep(*, full: bool, budget: float) -> int:
    now = timezone.now()
    deadline = time.monotonic() + budget
    marks = {mark.kind: mark for mark in PlanningMark.objects.all()}
    missing = [PlanningMark(kind=kind, full=True) for kind in KINDS if kind not in marks]
    if missing:
        PlanningMark.objects.bulk_create(missing, ignore_conflicts=True)
        marks = {mark.kind: mark for mark in PlanningMark.objects.all()}
    if full:
        PlanningMark.objects.update(full=True, run_until=None, cursor=0)
        for mark in marks.values():
            mark.full, mark.run_until, mark.cursor = True, None, 0

    # Kinds with nothing in progress and no change to look at are only moved on, all in one update.
    incremental = [m for m in marks.values() if not m.full and m.run_until is None and m.swept_until is not None]
    since = min((m.swept_until for m in incremental), default=now)
    changes = changes_between(since - MARGIN, now) if incremental else Changes()
    idle = [m.kind for m in incremental if not changes or KINDS[m.kind].affected(changes) is None]
    if idle:
        PlanningMark.objects.filter(kind__in=idle).update(swept_until=now)

    added, worked = 0, False
    for kind, spec in KINDS.items():
        mark = marks[kind]
        if kind in idle:
            continue
        if worked and time.monotonic() >= deadline:
            break  # every run does at least one chunk, however short its budget
        worked = True
        if mark.run_until is None:
            mark.run_until, mark.cursor = now, 0
            mark.save(update_fields=["run_until", "cursor"])
        if mark.full:
            objects = spec.open_objects()
        else:
            window = changes if mark.run_until == now else changes_between(mark.swept_until - MARGIN, mark.run_until)
            objects = spec.affected(window)
        done = True
        if objects is not None:
            more, done = _plan_in_chunks(spec, objects, mark, deadline)
            added += more
        if done:
            # Only if nobody asked for a full re-plan meanwhile (new lead times reset run_until): then the
            # flag stays and the next run plans everything with the new settings.
            PlanningMark.objects.filter(pk=mark.pk, run_until=mark.run_until).update(
                swept_until=mark.run_until, run_until=None, cursor=0, full=False
            )
    return added


def plan_all() -> int:
    """Plans every open object of every kind, whatever changed: the explicit full sweep."""
    return sweep(full=True, budget=float("inf"))


def replan_everything_later() -> None:
    """New lead times or hour of sending: the next sweeps plan every open object again, in chunks."""
    PlanningMark.objects.update(full=True, run_until=None, cursor=0)
