"""Meetings of the demo region (see governance/demo.py for the region itself)."""

import datetime

from django.utils import timezone

from governance.demo import MAIN_TASKS, DemoRegion
from meetings.models import Meeting


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
