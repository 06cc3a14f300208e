"""Meetings as iCalendar (RFC 5545) with the `icalendar` library: the public feed of a body, a person's own
feed and the invitation attached to a mail (RFC 5546 iTIP: METHOD:REQUEST, and METHOD:CANCEL).

A meeting keeps one UID for life, so a calendar that has it replaces it on every update; its SEQUENCE is the
meeting's schedule_sequence, raised by every change of time or place and by the cancellation. Times are in
Europe/Amsterdam with its VTIMEZONE, as Outlook wants them."""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from meetings.models import Meeting

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
PRODID = "-//Regioportaal//Vergaderingen//NL"
# A meeting without an end time is shown as two hours long, the usual length of a regional meeting.
DEFAULT_LENGTH = datetime.timedelta(hours=2)
# A calendar title for what the reader may not see of a meeting (a personal feed never names it).
HIDDEN_TITLE = "Vergadering"


def uid(meeting: Meeting) -> str:
    """Stable for the meeting's life: the portal's host as the domain part (RFC 5545, 3.8.4.7)."""
    host = settings.PORTAL_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "regioportaal"
    return f"vergadering-{meeting.pk}@{host}"


def event(meeting: Meeting, *, url: str = "", title: str | None = None, description: str = "") -> Event:
    """The meeting as a VEVENT; `title` replaces its name where the reader may not see more of it."""
    starts = timezone.localtime(meeting.starts_at, AMSTERDAM)
    ends = timezone.localtime(meeting.ends_at, AMSTERDAM) if meeting.ends_at else starts + DEFAULT_LENGTH
    cancelled = meeting.status == Meeting.Status.CANCELLED
    item = Event()
    item.add("uid", uid(meeting))
    item.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    item.add("sequence", meeting.schedule_sequence)
    item.add("dtstart", starts)
    item.add("dtend", ends)
    item.add("summary", (title if title is not None else meeting.body.name) + (" (geannuleerd)" if cancelled else ""))
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    item.add("transp", "OPAQUE")
    if meeting.location and title is None:
        item.add("location", meeting.location)
    if url:
        item.add("url", url)
    if description:
        item.add("description", description)
    item.add("last-modified", meeting.modified_at.astimezone(datetime.UTC))
    return item


def calendar(events: list[Event], *, name: str, method: str = "PUBLISH") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    for item in events:
        cal.add_component(item)
    # The time zone's rules only for the years the events span (icalendar writes one line per change).
    starts = [item.decoded("dtstart").date() for item in events] or [timezone.localdate()]
    cal.add_missing_timezones(
        first_date=datetime.date(min(starts).year - 1, 1, 1), last_date=datetime.date(max(starts).year + 2, 1, 1)
    )
    return cal


def invitation(meeting: Meeting, *, attendee_email: str, attendee_name: str, organizer_email: str, url: str,
               cancel: bool = False) -> bytes:  # fmt: skip
    """The .ics of a mailed invitation: REQUEST for an invitation or an update, CANCEL for a cancellation."""
    item = event(meeting, url=url, description=url)
    organizer = vCalAddress(f"mailto:{organizer_email}")
    organizer.params["cn"] = vText(meeting.body.name)
    item.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{attendee_email}")
    attendee.params["cn"] = vText(attendee_name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    attendee.params["rsvp"] = vText("FALSE")
    item.add("attendee", attendee, encode=0)
    if cancel:
        item["status"] = "CANCELLED"
    return calendar([item], name=meeting.body.name, method="CANCEL" if cancel else "REQUEST").to_ical()
