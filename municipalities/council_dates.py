"""The council's meeting dates, imported from the address the griffie gives: an iCalendar feed (RFC 5545) or
an OParl 1.x meeting list (or a Body, whose `meeting` list is followed). A fetch that fails, is too big or too
slow, or reads as neither leaves the dates as they were and records why, for the griffier to see."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

import icalendar
import requests
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from municipalities.models import CouncilMeetingDate, Municipality

MAX_BYTES = 5 * 1024 * 1024  # a council's feed of some years of meetings is well under a megabyte
TIMEOUT = (5, 15)  # seconds to connect, and to wait between bytes
MAX_PAGES = 50  # of an OParl list: 50 pages of 100 meetings
# Dates further back than this are not kept: planning looks ahead.
KEEP_PAST = datetime.timedelta(days=366)
HEADERS = {"Accept": "text/calendar, application/json;q=0.9", "User-Agent": "Regioportaal (raadsdata)"}


class ImportFailed(Exception):
    pass


@dataclass(frozen=True)
class Found:
    source_id: str
    starts_at: datetime.datetime
    name: str
    cancelled: bool = False


def fetch(url: str, session: requests.Session) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise ImportFailed("het adres begint niet met https:// of http://")
    try:
        with session.get(url, headers=HEADERS, timeout=TIMEOUT, stream=True, allow_redirects=True) as response:
            if response.status_code != 200:
                raise ImportFailed(f"de bron antwoordde met HTTP {response.status_code}")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > MAX_BYTES:
                raise ImportFailed("de bron is groter dan 5 MB")
            chunks, size = [], 0
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise ImportFailed("de bron is groter dan 5 MB")
                chunks.append(chunk)
            return b"".join(chunks)
    except requests.Timeout as exc:
        raise ImportFailed("de bron antwoordde niet op tijd") from exc
    except requests.RequestException as exc:
        raise ImportFailed(f"de bron was niet bereikbaar ({type(exc).__name__})") from exc


def from_ical(content: bytes) -> list[Found]:
    try:
        calendar = icalendar.Calendar.from_ical(content)
    except ValueError as exc:
        raise ImportFailed("de iCalendar-gegevens zijn niet te lezen") from exc
    found = []
    for event in calendar.walk("VEVENT"):
        start = event.get("DTSTART")
        if start is None or not event.get("UID"):
            continue
        value = start.dt
        if not isinstance(value, datetime.datetime):  # a whole day: the meeting's time is unknown; 00:00 local
            value = datetime.datetime.combine(value, datetime.time.min)
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        found.append(
            Found(
                source_id=str(event["UID"])[:500],
                starts_at=value,
                name=str(event.get("SUMMARY", ""))[:300],
                cancelled=str(event.get("STATUS", "")).upper() == "CANCELLED",
            )
        )
    return found


def from_oparl(data: dict, session: requests.Session) -> list[Found]:
    """An OParl Body (its meeting list is followed) or a page of a meeting list, with its next pages."""
    if str(data.get("type", "")).endswith("/Body"):
        if not isinstance(data.get("meeting"), str):
            raise ImportFailed("het OParl-orgaan noemt geen vergaderlijst")
        data = _json(fetch(data["meeting"], session))
    found, pages = [], 0
    while True:
        pages += 1
        if not isinstance(data.get("data"), list):
            raise ImportFailed("dit is geen OParl-lijst van vergaderingen")
        for meeting in data["data"]:
            if not isinstance(meeting, dict) or meeting.get("deleted"):
                continue
            start = parse_datetime(str(meeting.get("start", "")))
            if not meeting.get("id") or start is None:
                continue
            if timezone.is_naive(start):
                start = timezone.make_aware(start)
            found.append(
                Found(
                    source_id=str(meeting["id"])[:500],
                    starts_at=start,
                    name=str(meeting.get("name", ""))[:300],
                    cancelled=bool(meeting.get("cancelled")),
                )
            )
        following = (data.get("links") or {}).get("next")
        if not following or pages >= MAX_PAGES:
            return found
        data = _json(fetch(following, session))


def _json(content: bytes) -> dict:
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportFailed("de JSON-gegevens zijn niet te lezen") from exc
    if not isinstance(data, dict):
        raise ImportFailed("dit is geen OParl-object")
    return data


def parse(content: bytes, session: requests.Session) -> list[Found]:
    start = content.lstrip()[:20].upper()
    if start.startswith(b"BEGIN:VCALENDAR"):
        return from_ical(content)
    if start.startswith(b"{"):
        return from_oparl(_json(content), session)
    raise ImportFailed("de bron is geen iCalendar en geen OParl")


def import_dates(municipality: Municipality, session: requests.Session | None = None) -> int:
    """Replaces the municipality's council dates by what its source lists now; returns how many."""
    session = session or requests.Session()
    now = timezone.now()
    try:
        if not municipality.council_calendar_url:
            raise ImportFailed("er is geen adres opgegeven")
        found = parse(fetch(municipality.council_calendar_url, session), session)
    except ImportFailed as failure:
        municipality.council_dates_error = str(failure)[:300]
        municipality.council_dates_fetched_at = now
        municipality.save(update_fields=["council_dates_error", "council_dates_fetched_at"])
        return 0
    kept = {f.source_id: f for f in found if f.starts_at >= now - KEEP_PAST}
    with transaction.atomic():
        CouncilMeetingDate.objects.filter(municipality=municipality).delete()
        CouncilMeetingDate.objects.bulk_create(
            CouncilMeetingDate(
                municipality=municipality,
                source_id=f.source_id,
                starts_at=f.starts_at,
                name=f.name,
                cancelled=f.cancelled,
            )
            for f in kept.values()
        )
        municipality.council_dates_error = ""
        municipality.council_dates_fetched_at = now
        municipality.save(update_fields=["council_dates_error", "council_dates_fetched_at"])
    return len(kept)
