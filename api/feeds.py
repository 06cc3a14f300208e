"""Calendar feeds (RFC 5545): a public feed per consultation body of its published meetings, and a personal
feed per person, behind a token, of the meetings they sit in or are invited to."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from api.models import CalendarToken
from governance.models import Membership
from meetings import access, calendar
from meetings.models import Meeting
from publication import public

# How far back a personal feed reaches: last year's meetings stay in the calendar for reference.
PAST = datetime.timedelta(days=366)
FEED_MAX_AGE = 900  # seconds a calendar program may reuse the feed


def _ics(cal, filename: str) -> HttpResponse:
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, max_age=FEED_MAX_AGE)
    return response


@login_not_required
@require_safe
def body_feed(request: HttpRequest, pk: int) -> HttpResponse:
    """The published meetings of a body: what its public page lists (publication/public.py)."""
    body = get_object_or_404(public.public_bodies(), pk=pk)
    meetings = public.public_meetings().filter(body=body).select_related("body").order_by("starts_at")
    events = [calendar.event(m, url=request.build_absolute_uri(public.public_url(m))) for m in meetings]
    response = _ics(calendar.calendar(events, name=body.name), f"{body.name}.ics")
    patch_cache_control(response, public=True)
    return response


def meetings_of(person) -> tuple[list[Meeting], set[int]]:
    """The meetings the person sits in on their date, or is invited to, from a year ago on; and which of
    them the person may see (their name and place; of the others only the time)."""
    since = timezone.now() - PAST
    seats = Membership.objects.filter(person=person).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=since.date()))
    rows = list(seats.values_list("body", "starts_on", "ends_on"))
    user = person.user if person.user_id and person.user.is_active else None
    invited = set(access.invited_items(user).values_list("meeting", flat=True)) if user else set()
    by_seat = Q(pk__in=[])
    for body, starts_on, ends_on in rows:
        seat = Q(body=body, starts_at__date__gte=starts_on)
        if ends_on:
            seat &= Q(starts_at__date__lte=ends_on)
        by_seat |= seat
    meetings = list(
        Meeting.objects.filter(by_seat | Q(pk__in=invited), starts_at__gte=since)
        .select_related("body")
        .order_by("starts_at")
    )
    visible_bodies = set(access.bodies_visible_to(user).values_list("pk", flat=True)) if user else set()
    visible = {m.pk for m in meetings if m.body_id in visible_bodies or m.pk in invited}
    return meetings, visible


@login_not_required
@require_safe
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    found = CalendarToken.objects.select_related("person__user").filter(token=token[:80]).first()
    if found is None:
        raise Http404
    meetings, visible = meetings_of(found.person)
    events = []
    for meeting in meetings:
        if meeting.pk in visible:
            url = request.build_absolute_uri(reverse("meeting_detail", args=[meeting.pk]))
            events.append(calendar.event(meeting, url=url))
        else:
            events.append(calendar.event(meeting, title=calendar.HIDDEN_TITLE))
    response = _ics(calendar.calendar(events, name="Mijn vergaderingen (Regioportaal)"), "vergaderingen.ics")
    patch_cache_control(response, private=True)
    return response


def my_calendar(request: HttpRequest) -> HttpResponse:
    """Where a signed-in person finds the address of their own feed and can make a new one."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404
    token, _created = CalendarToken.objects.get_or_create(person=person)
    url = request.build_absolute_uri(reverse("personal_feed", args=[token.token]))
    context = {"token": token, "feed_url": url, "webcal": "webcal://" + url.split("://", 1)[-1]}
    return render(request, "api/my_calendar.html", context)


@require_POST
def renew_calendar(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404
    token, created = CalendarToken.objects.get_or_create(person=person)
    if not created:
        token.renew()
    messages.success(request, _("A new address is made; the old one no longer works."))
    return redirect("my_calendar")
