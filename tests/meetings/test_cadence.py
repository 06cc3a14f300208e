"""The body page names the cadence the series planner plans by: the same weekday, the same week of the month."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from governance.models import ConsultationBody

pytestmark = pytest.mark.django_db


def plan_series(client, body, first_day: str, last_day: str) -> list[datetime.date]:
    data = {"first_day": first_day, "last_day": last_day, "start_time": "09:00"}
    assert client.post(reverse("meeting_series_create", args=[body.pk]), data).status_code == 302
    return [timezone.localtime(m.starts_at).date() for m in body.meetings.order_by("starts_at")]


def cadence_on_page(client, body) -> str:
    import re

    page = client.get(reverse("body_detail", args=[body.pk])).content.decode()
    match = re.search(r"Vergaderritme</dt><dd[^>]*>([^<]*)</dd>", page)
    return match.group(1)


@pytest.mark.parametrize(
    ("weekday", "name", "python_weekday"),
    [(ConsultationBody.Weekday.MONDAY, "maandag", 0), (ConsultationBody.Weekday.TUESDAY, "dinsdag", 1)],
)
def test_a_fortnightly_series_falls_on_the_weekday_the_page_names(
    region, secretary, client_for, weekday, name, python_weekday
):
    body = region.secretaries
    body.frequency, body.weekday, body.usual_start_time = (
        ConsultationBody.Frequency.FORTNIGHTLY,
        weekday,
        datetime.time(9, 0),
    )
    body.save()
    client = client_for(secretary)
    cadence = cadence_on_page(client, body)
    assert cadence.startswith("Elke twee weken,") and f" {name}, 09:00" in cadence
    days = plan_series(client, body, "2027-03-03", "2027-04-30")  # from a Wednesday
    assert len(days) == 4
    assert {day.weekday() for day in days} == {python_weekday}
    assert all((later - earlier).days == 14 for earlier, later in itertools.pairwise(days))
    page = client.get(reverse("body_detail", args=[body.pk])).content.decode()
    with translation.override("nl"):
        rows = [date_format(day, "D j F Y") for day in days]
    assert all(row.startswith(name[:2]) and row in page for row in rows), rows


def test_a_quarterly_cadence_names_the_week_of_the_month_it_plans(region, secretary, client_for):
    body = region.secretaries
    body.frequency, body.weekday, body.week_of_month = (
        ConsultationBody.Frequency.QUARTERLY,
        ConsultationBody.Weekday.FRIDAY,
        ConsultationBody.WeekOfMonth.SECOND,
    )
    body.usual_start_time = None
    body.save()
    client = client_for(secretary)
    cadence = cadence_on_page(client, body)
    assert cadence.startswith("Elk kwartaal,") and cadence.endswith(" tweede vrijdag")
    assert plan_series(client, body, "2027-01-01", "2027-12-31") == [
        datetime.date(2027, 1, 8),
        datetime.date(2027, 4, 9),
        datetime.date(2027, 7, 9),
        datetime.date(2027, 10, 8),
    ]


def test_a_monthly_cadence_without_a_week_names_the_first_as_it_plans(region, secretary, client_for):
    body = region.secretaries
    body.frequency, body.weekday, body.week_of_month = (
        ConsultationBody.Frequency.MONTHLY,
        ConsultationBody.Weekday.TUESDAY,
        None,
    )
    body.save()
    client = client_for(secretary)
    assert " eerste dinsdag" in cadence_on_page(client, body)
    assert plan_series(client, body, "2027-01-01", "2027-02-28") == [
        datetime.date(2027, 1, 5),
        datetime.date(2027, 2, 2),
    ]
