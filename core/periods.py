"""Date periods with an open end, as offices, memberships and participations have; working days for deadlines."""

import datetime
import functools

import holidays
from dateutil.easter import easter
from django.db.models import Q
from django.utils import timezone


def active_on_q(on: datetime.date, *, start: str = "starts_on", end: str = "ends_on", end_inclusive: bool = True) -> Q:
    """Rows whose period contains the day `on`. An inclusive end is the last day
    of the period; an exclusive end is the first day after it."""
    lookup = "gte" if end_inclusive else "gt"
    return Q(**{f"{start}__lte": on}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__{lookup}": on}))


def overlap_q(
    starts: datetime.date,
    ends: datetime.date | None,
    *,
    start: str = "starts_on",
    end: str = "ends_on",
    end_inclusive: bool = True,
) -> Q:
    """Rows whose period shares at least one day with [starts, ends] (ends in the same convention)."""
    lookup = "gte" if end_inclusive else "gt"
    q = Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__{lookup}": starts})
    if ends is not None:
        q &= Q(**{f"{start}__lte" if end_inclusive else f"{start}__lt": ends})
    return q


# Deadlines and working days.
#
# The working-day rule, the portal's own: a deadline that falls on a Saturday, a Sunday or a Dutch public
# holiday moves to the working day before it, so an agenda never closes, and nothing is due, on a day
# nobody works. (The Algemene termijnenwet, art. 1, does the opposite for statutory terms: it extends
# them to the next working day; the portal's deadlines are not statutory terms, and moving them earlier
# keeps the time the secretariat counted on.) The public holidays are those of that act, art. 3:
# New Year's Day, Easter Monday, King's Day, 5 May, Ascension Day, Whit Monday and both days of
# Christmas. The `holidays` package gives their dates (King's Day moves to the 26th when the 27th is a
# Sunday); it also counts Good Friday, which the act does not, and 5 May only once every five years,
# which the act counts every year.


@functools.cache
def public_holidays(year: int) -> frozenset[datetime.date]:
    """The Dutch public holidays of the year (Algemene termijnenwet, art. 3)."""
    days = set(holidays.Netherlands(years=year))
    days.discard(easter(year) - datetime.timedelta(days=2))  # Good Friday
    days.add(datetime.date(year, 5, 5))
    return frozenset(days)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def working_day_on_or_before(day: datetime.date) -> datetime.date:
    """The working-day rule: the day itself on a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def deadline_on_working_day(moment: datetime.datetime) -> datetime.datetime:
    """The working-day rule for a deadline with a time of day: the date moves, the local time stays."""
    local = timezone.localtime(moment)
    day = working_day_on_or_before(local.date())
    if day == local.date():
        return moment
    return timezone.make_aware(datetime.datetime.combine(day, local.time().replace(tzinfo=None)))
