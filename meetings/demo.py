"""Meetings of the demo region (see governance/demo.py for the region itself)."""

import datetime

from django.utils import timezone

from governance.demo import MAIN_TASKS, DemoRegion
from meetings.models import Meeting

CONFIDENTIAL_ITEM = "Vertrouwelijk: personele bezetting regionaal bureau"


def load_meetings(region: DemoRegion) -> None:
    """The next three meetings of each body with a cadence, from two weeks on;
    planned only for a body with none to come, so a second run adds nothing."""
    now = timezone.now()
    keys = ["secretaries", "administrative", "coordination", "agenda_committee", *(f"pho:{a}" for _, a in MAIN_TASKS)]
    for key in keys:
        body = region.bodies[key]
        if body.meetings.upcoming(now).exists():
            continue
        start_time = body.usual_start_time or datetime.time(10, 0)
        first_day = timezone.localdate() + datetime.timedelta(days=14)
        rule = body.cadence_rule(datetime.datetime.combine(first_day, start_time))
        for when in rule[:3] if rule is not None else []:
            Meeting.for_body(body, timezone.make_aware(when)).save()


def load_minutes(region: DemoRegion) -> None:
    """Three past meetings of the secretaries' meeting: the first with minutes adopted in the
    second, the second with draft minutes and action points, the third held. Added once."""
    from meetings.minutes_views import _ensure_minutes, _fill_attendance
    from meetings.models import ActionPoint, AgendaItem, Purpose

    body = region.bodies["secretaries"]
    secretary = region.people["Haarlem:municipal_secretary"].user
    if body.meetings.past().exists():
        return
    today = timezone.localdate()
    start_time = body.usual_start_time or datetime.time(9, 0)
    # The last three meeting days of the body's cadence, so the past meetings fall on the weekday it names.
    rule = body.cadence_rule(datetime.datetime.combine(today - datetime.timedelta(weeks=9), start_time))
    days = rule.between(
        datetime.datetime.combine(today - datetime.timedelta(weeks=9), start_time),
        datetime.datetime.combine(today - datetime.timedelta(days=1), start_time),
        inc=True,
    )[-3:]
    held = []
    for when, (weeks, title) in zip(
        days,
        (
            (6, "Stand van zaken coronamaatregelen"),
            (4, "Regionale woonagenda"),
            (2, "Evaluatie coördinatiestructuur"),
        ),
        strict=True,
    ):
        meeting = Meeting.for_body(body, timezone.make_aware(when))
        meeting.save()
        meeting.add_item(version=None, by=secretary, title=title, purpose=Purpose.DISCUSSION)
        if weeks == 2:
            # Members see it; the safety region's director (advisory) and the councils do not (docs/adr/0006).
            meeting.add_item(
                version=None, by=secretary, title=CONFIDENTIAL_ITEM, purpose=Purpose.DISCUSSION, confidential=True
            )
        meeting.publish(by=secretary)
        meeting.mark_held(by=secretary)
        _fill_attendance(meeting)
        held.append(meeting)
    first, second, _third = held
    minutes = _ensure_minutes(first)
    item = minutes.items.get(agenda_item__kind=AgendaItem.Kind.REGULAR)
    item.write(
        version=item.version,
        discussion="De secretarissen wisselen de lokale maatregelen uit.",
        conclusions="Afstemming loopt via het bestuurlijk afstemmingsoverleg.",
    )
    for person, what, due in (
        ("Haarlem:project_leader", "Overzicht lokale maatregelen rondsturen", today - datetime.timedelta(weeks=5)),
        (
            "Heemstede:municipal_secretary",
            "Notitie evaluatie coördinatiestructuur",
            today + datetime.timedelta(days=14),
        ),
    ):
        ActionPoint.objects.create(minutes_item=item, what=what, owner=region.people[person], due_on=due)
    minutes.send(by=secretary)
    minutes.adopt(by=secretary, in_meeting=second)
    _ensure_minutes(second)
