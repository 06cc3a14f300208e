"""Date periods with an open end, as offices, memberships and participations have."""

import datetime

from django.db.models import Q


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
