"""The working-day rule: a deadline on a weekend or a Dutch public holiday moves to the working day before."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.periods import deadline_on_working_day, is_working_day, working_day_on_or_before
from decisions.models import CouncilTrack, RegionalProposal
from meetings.models import Meeting
from municipalities.models import Municipality

D = datetime.date


@pytest.mark.parametrize(
    ("day", "moved_to"),
    [
        (D(2026, 12, 25), D(2026, 12, 24)),  # Christmas Day, a Friday
        (D(2026, 12, 26), D(2026, 12, 24)),  # Boxing Day, a Saturday
        (D(2027, 1, 9), D(2027, 1, 8)),  # a Saturday
        (D(2027, 1, 10), D(2027, 1, 8)),  # a Sunday
        (D(2027, 1, 1), D(2026, 12, 31)),  # New Year's Day, into the year before
        (D(2027, 4, 27), D(2027, 4, 26)),  # King's Day, a Tuesday
        (D(2025, 4, 26), D(2025, 4, 25)),  # King's Day on the 26th when the 27th is a Sunday
        (D(2027, 3, 29), D(2027, 3, 26)),  # Easter Monday; Good Friday is a working day
        (D(2027, 5, 6), D(2027, 5, 4)),  # Ascension Day, the day after 5 May
        (D(2027, 5, 17), D(2027, 5, 14)),  # Whit Monday
        (D(2027, 3, 3), D(2027, 3, 3)),  # a working day stays
    ],
)
def test_a_deadline_on_a_day_off_moves_to_the_working_day_before(day, moved_to):
    assert working_day_on_or_before(day) == moved_to
    assert is_working_day(moved_to)


def test_the_time_of_day_stays_when_the_date_moves():
    saturday = timezone.make_aware(datetime.datetime(2027, 1, 9, 17, 0))
    assert timezone.localtime(deadline_on_working_day(saturday)) == timezone.make_aware(
        datetime.datetime(2027, 1, 8, 17, 0)
    )
    monday = timezone.make_aware(datetime.datetime(2027, 1, 11, 17, 0))
    assert deadline_on_working_day(monday) == monday


@pytest.mark.django_db
def test_a_meeting_between_christmas_and_new_year_closes_its_agenda_on_christmas_eve(region):
    body = region.secretaries
    body.agenda_deadline_days, body.documents_deadline_days = 4, 3
    starts = timezone.make_aware(datetime.datetime(2026, 12, 29, 9, 30))
    meeting = Meeting.for_body(body, starts)
    # 25 December (Christmas) and 26 December (a Saturday) are no working days.
    assert timezone.localtime(meeting.agenda_deadline) == timezone.make_aware(datetime.datetime(2026, 12, 24, 9, 30))
    assert timezone.localtime(meeting.documents_deadline).date() == D(2026, 12, 24)


@pytest.mark.django_db
def test_planning_a_meeting_with_the_usual_deadlines_keeps_them_off_the_weekend(region, secretary, client_for):
    body = region.secretaries
    body.agenda_deadline_days, body.documents_deadline_days = 10, 2
    body.save()
    # Tuesday 4 May 2027: ten days before is Saturday 24 April, two days before is Sunday 2 May.
    data = {"starts_at": "2027-05-04T09:30", "location": "Stadhuis Haarlem"}
    response = client_for(secretary).post(reverse("meeting_create", args=[body.pk]), data)
    assert response.status_code == 302
    meeting = body.meetings.get()
    assert timezone.localtime(meeting.agenda_deadline).date() == D(2027, 4, 23)
    assert timezone.localtime(meeting.documents_deadline).date() == D(2027, 4, 30)
    page = client_for(secretary).get(reverse("body_detail", args=[body.pk])).content.decode()
    assert "23 april 2027 09:30" in page


def track(council_date: datetime.date, lead_weeks: int = 6) -> CouncilTrack:
    return CouncilTrack(
        proposal=RegionalProposal(),
        municipality=Municipality(name="Haarlem", council_lead_weeks=lead_weeks),
        involvement=CouncilTrack.Involvement.CONSENT,
        council_date=council_date,
    )


def test_the_college_deadline_before_a_council_moves_off_kings_day():
    on_kings_day = track(D(2027, 6, 8))  # six weeks before: Tuesday 27 April
    assert on_kings_day.latest_college_decision == D(2027, 4, 26)
    assert on_kings_day.latest_administrative_meeting == D(2027, 4, 12)


def test_the_college_deadline_before_a_council_moves_off_ascension_day_and_5_may():
    on_ascension_day = track(D(2027, 6, 17))  # six weeks before: Thursday 6 May
    assert on_ascension_day.latest_college_decision == D(2027, 5, 4)
    assert on_ascension_day.latest_administrative_meeting == D(2027, 4, 20)
