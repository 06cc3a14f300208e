"""The national-scale dataset, part five: the reminders and notices of ten years, about the meetings,
decisions, council tracks, action points and submissions made before (see municipalities/scale.py).
Most are history (sent, skipped, a few failed), some wait for a deadline to come, a few thousand at
F=1 are due now; the daily digests gather those of the people who chose one."""

from __future__ import annotations

import datetime
import functools

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from decisions.models import CollegeDecision, CouncilTrack
from meetings.models import ActionPoint, Meeting, Submission
from municipalities.models import Person
from municipalities.scale import DAY, Scale
from reminders.models import Digest, Reminder, message_id_for

REMINDERS = 1_000_000
Kind = Reminder.Kind
HOUR = datetime.timedelta(hours=1)


@functools.cache
def _link_pattern(name: str, with_pk: bool) -> str:
    return reverse(name, args=[987654321]) if with_pk else reverse(name)


def _link(name: str, pk: int | None = None) -> str:
    """The page a reminder links to (reverse() once per page name, not once per reminder)."""
    return _link_pattern(name, pk is not None).replace("987654321", str(pk))


def _candidates(ctx: Scale, now: datetime.datetime):
    """Every reminder the portal would have planned, as (kind, model, object id, person, due at, subject,
    link), in a fixed order."""
    send = datetime.time(8)

    def at(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, send))

    for meeting in ctx.extra["meetings"]:
        body = meeting.body
        name = f"{body.name} {timezone.localtime(meeting.starts_at):%d-%m-%Y}"
        secretaries = body.holders("secretary", "chair")[:2]
        for person in secretaries:
            yield (
                Kind.AGENDA_DEADLINE,
                Meeting,
                meeting.pk,
                person,
                at(timezone.localdate(meeting.agenda_deadline) - 3 * DAY),
                f"De agenda van {name} sluit binnenkort",
                _link("meeting_detail", meeting.pk),
            )
            yield (
                Kind.AGENDA_UNPUBLISHED,
                Meeting,
                meeting.pk,
                person,
                at(timezone.localdate(meeting.starts_at) - 7 * DAY),
                f"De agenda van {name} is nog niet gepubliceerd",
                _link("meeting_agenda", meeting.pk),
            )
        if meeting.status != Meeting.Status.PLANNED and meeting.status != Meeting.Status.CANCELLED:
            published = meeting.agenda_deadline + DAY
            for person in body.holders():
                yield (
                    Kind.AGENDA_PUBLISHED,
                    Meeting,
                    meeting.pk,
                    person,
                    published,
                    f"Agenda gepubliceerd: {name}",
                    _link("meeting_detail", meeting.pk),
                )
        if meeting.minutes:
            for person in secretaries[:1]:
                yield (
                    Kind.MINUTES_UNSENT,
                    Meeting,
                    meeting.pk,
                    person,
                    at(timezone.localdate(meeting.starts_at) + 10 * DAY),
                    f"Het verslag van {name} is nog niet verzonden",
                    _link("minutes_edit", meeting.pk),
                )
    for d in ctx.extra["decisions"]:
        place, sent = d.place, at(d.sent_on)
        title = f"regionaal voorstel {d.proposal}"
        if place.secretary:
            yield (
                Kind.PROPOSAL_SENT,
                CollegeDecision,
                d.pk,
                place.secretary,
                sent - 2 * HOUR,
                f"Nieuw {title} voor het college van {place.name}",
                _link("proposal_detail", d.proposal),
            )
            yield (
                Kind.COLLEGE_PENDING,
                CollegeDecision,
                d.pk,
                place.secretary,
                sent + 14 * DAY,
                f"Het college van {place.name} heeft nog niet besloten over {title}",
                _link("decision_record", d.pk),
            )
        if place.mayor:
            yield (
                Kind.COLLEGE_PENDING_MAYOR,
                CollegeDecision,
                d.pk,
                place.mayor,
                sent + 21 * DAY,
                f"Het college van {place.name} heeft nog niet besloten over {title}",
                _link("decision_record", d.pk),
            )
        if d.decided_on and d.signing in (CollegeDecision.Signing.TO_SIGN, CollegeDecision.Signing.SIGNED):
            for person in (place.mayor, place.secretary):
                if person:
                    yield (
                        Kind.DECISION_TO_SIGN,
                        CollegeDecision,
                        d.pk,
                        person,
                        at(d.decided_on) + 4 * HOUR,
                        f"Collegebesluit {place.name} te ondertekenen",
                        _link("my_signatures"),
                    )
        if place.griffier:
            yield (
                Kind.COUNCIL_STEP,
                CouncilTrack,
                d.track,
                place.griffier,
                sent + 3 * HOUR,
                f"Raadsspoor {place.name}: {title}",
                _link("council_track_edit", d.track),
            )
            if d.latest:
                yield (
                    Kind.COUNCIL_DEADLINE,
                    CouncilTrack,
                    d.track,
                    place.griffier,
                    at(d.latest - 49 * DAY),
                    f"De raadsdatum van {place.name} nadert voor {title}",
                    _link("council_track_edit", d.track),
                )
    for pk, owner, due_on, _status, _meeting in ctx.extra["action_points"]:
        yield (
            Kind.ACTION_DUE,
            ActionPoint,
            pk,
            owner,
            at(due_on - 3 * DAY),
            f"Actiepunt verloopt op {due_on:%d-%m-%Y}",
            _link("my_action_points"),
        )
        yield (
            Kind.ACTION_OVERDUE,
            ActionPoint,
            pk,
            owner,
            at(due_on + DAY),
            f"Actiepunt verlopen sinds {due_on:%d-%m-%Y}",
            _link("my_action_points"),
        )
    kinds = {
        "routed": Kind.SUBMISSION_ROUTED,
        "answered": Kind.SUBMISSION_ANSWERED,
        "returned": Kind.SUBMISSION_RETURNED,
    }
    for pk, person, status, submitted_at, _item in ctx.extra["submissions"]:
        if status in kinds:
            yield (
                kinds[status],
                Submission,
                pk,
                person,
                submitted_at + 2 * DAY,
                "Uw inzending is behandeld",
                _link("submission_detail", pk),
            )


def load_reminders(ctx: Scale) -> None:
    rng = ctx.rng
    now = timezone.now()
    content_types = {
        model: ContentType.objects.get_for_model(model).pk
        for model in (Meeting, CollegeDecision, CouncilTrack, ActionPoint, Submission)
    }
    delivery_of = dict(Person.objects.values_list("pk", "reminder_delivery"))
    total = sum(1 for _ in _candidates(ctx, now))
    wanted = min(total, ctx.scaled(REMINDERS))
    chosen = iter(sorted(rng.sample(range(total), wanted)))
    next_index = next(chosen, None)
    reminders, digests = ctx.table(Reminder), ctx.table(Digest)
    digest_of: dict[tuple[int, datetime.date], int] = {}
    seen = set()
    for index, (kind, model, object_id, person, due_at, subject, link) in enumerate(_candidates(ctx, now)):
        if index != next_index:
            continue
        next_index = next(chosen, None)
        key = (kind, object_id, person.person_id, due_at)
        if key in seen:
            continue
        seen.add(key)
        values = {"attempts": 0}
        age = now - due_at
        if due_at > now:
            status = Reminder.Status.PENDING
        elif (age < 14 * DAY and rng.random() < 0.5) or rng.random() < 0.002:
            status = Reminder.Status.PENDING  # a backlog the worker has yet to send, some being retried
            if rng.random() < 0.3:
                values.update(
                    attempts=rng.randrange(1, 4),
                    retry_after=now - rng.randrange(1, 60) * 60 * datetime.timedelta(seconds=1),
                )
        else:
            status = rng.choices(
                [Reminder.Status.SENT, Reminder.Status.SKIPPED, Reminder.Status.FAILED, Reminder.Status.CLAIMED],
                weights=[75, 22, 2.99, 0.01],
            )[0]
        delivery = delivery_of.get(person.person_id, "email")
        values.update(status=status, subject=subject, link=link)
        if status == Reminder.Status.SENT:
            sent_at = due_at + rng.randrange(1, 300) * datetime.timedelta(seconds=1)
            values.update(sent_at=sent_at, delivery=delivery, attempts=1)
            if delivery == "digest":
                day = timezone.localdate(sent_at)
                digest = digest_of.get((person.person_id, day))
                if digest is None:
                    digest = digests.add(
                        recipient_id=person.person_id,
                        day=day,
                        sent_at=sent_at,
                        message_id=message_id_for(f"digest:{person.person_id}:{day.isoformat()}"),
                    )
                    digest_of[(person.person_id, day)] = digest
                values["digest_id"] = digest
            elif delivery == "email":
                stamp = f"{due_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}"
                values["message_id"] = message_id_for(
                    f"{kind}:{content_types[model]}:{object_id}:{person.person_id}:{stamp}"
                )
            if rng.random() < (0.4 if age < 30 * DAY else 0.8):
                values["read_at"] = sent_at + rng.randrange(1, 72) * HOUR
        elif status == Reminder.Status.SKIPPED:
            values["note"] = rng.choice(["Niet meer nodig: de stap is gezet.", "De ontvanger heeft geen ambt meer."])
        elif status == Reminder.Status.FAILED:
            values.update(attempts=5, note="SMTP: 451 tijdelijke fout bij de ontvangende server.")
        elif status == Reminder.Status.CLAIMED:
            values.update(claimed_at=now - 2 * HOUR, attempts=1)
        reminders.add(
            kind=kind,
            content_type_id=content_types[model],
            object_id=object_id,
            recipient_id=person.person_id,
            due_at=due_at,
            anchor=due_at.astimezone(datetime.UTC).isoformat()[:40],
            created_at=min(due_at, now) - 7 * DAY,
            changed_at=values.get("sent_at") or min(due_at, now),
            **values,
        )
    ctx.flush()
