"""The budget cycle of a joint arrangement under the Wgr, as data: which documents (stukken) go to the councils
each year, when, and when the councils' period ends. Sources in docs/adr/0018-the-budget-cycle.md.

- Wgr art. 34b: the daily board sends the general financial and policy frameworks and the preliminary annual
  accounts to the councils of the participants *vóór 15 april* of the year before the budget year.
- Wgr art. 35 lid 1 (as changed by Stb. 2022, 18, in force 1 July 2022): the draft budget goes to the councils
  *twelve weeks* before it is offered to the general board; lid 3, the councils give their zienswijze on it;
  lid 5, the same holds for budget changes, except the categories the arrangement itself exempts.
- Wgr art. 34 lid 1: the general board adopts the budget in the year before the one it serves; lid 2, the daily
  board sends it to the province (gedeputeerde staten) within two weeks of adoption and in any case *vóór
  15 september*; lid 3 and 4, the annual accounts are adopted in the year after and go to the province within
  two weeks and *vóór 15 juli*.

Each arrangement keeps these as its own settings (JointArrangement), with the law's as the default and as the
limit: an arrangement may ask for a document earlier or give the councils longer, never the other way round."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

# Art. 34b: frameworks and preliminary accounts to the councils before this day (month, day).
FRAMEWORKS_BEFORE = (4, 15)
# Art. 35 lid 1: the draft budget reaches the councils this many weeks before the general board.
BUDGET_WEEKS = 12
# Art. 34 lid 2 and 4: to the province within this many days of adoption...
PROVINCE_DAYS = 14
# ...and before these days (month, day): the budget in the year before the budget year, the accounts in the
# year after the accounts year.
BUDGET_PROVINCE_BEFORE = (9, 15)
ACCOUNTS_PROVINCE_BEFORE = (7, 15)


class Kind:
    FRAMEWORKS = "frameworks"
    PRELIMINARY_ACCOUNTS = "preliminary_accounts"
    DRAFT_BUDGET = "draft_budget"
    ACCOUNTS = "accounts"
    BUDGET_CHANGE = "budget_change"


# The documents a year's cycle plans by itself, in the order they come.
PLANNED_EACH_YEAR = [Kind.FRAMEWORKS, Kind.PRELIMINARY_ACCOUNTS, Kind.DRAFT_BUDGET, Kind.ACCOUNTS]
# Where the councils have a legal zienswijze of at least BUDGET_WEEKS (art. 35 lid 3 and 5).
LEGAL_OPINION = frozenset({Kind.DRAFT_BUDGET, Kind.BUDGET_CHANGE})
# Where the arrangement may ask the councils for a zienswijze of its own accord (frameworks are often answered).
OPTIONAL_OPINION = frozenset({Kind.FRAMEWORKS})
# What the general board adopts and the daily board then sends to the province (art. 34).
TO_PROVINCE = {Kind.DRAFT_BUDGET: BUDGET_PROVINCE_BEFORE, Kind.ACCOUNTS: ACCOUNTS_PROVINCE_BEFORE}

SOURCES = {
    Kind.FRAMEWORKS: _("Wgr art. 34b"),
    Kind.PRELIMINARY_ACCOUNTS: _("Wgr art. 34b"),
    Kind.DRAFT_BUDGET: _("Wgr art. 35 lid 1 and 3, art. 34 lid 1 and 2"),
    Kind.ACCOUNTS: _("Wgr art. 34 lid 3 and 4"),
    Kind.BUDGET_CHANGE: _("Wgr art. 35 lid 5"),
}


def day_in(year: int, month_day: tuple[int, int]) -> datetime.date:
    return datetime.date(year, *month_day)


def the_day_before(day: datetime.date) -> datetime.date:
    """ "Vóór 15 april": the last day that is still in time is the 14th."""
    return day - datetime.timedelta(days=1)


def province_deadline(adopted_on: datetime.date, before: tuple[int, int]) -> datetime.date:
    """Within two weeks of adoption, and in any case before the fixed day of that year (art. 34 lid 2, 4)."""
    return min(adopted_on + datetime.timedelta(days=PROVINCE_DAYS), the_day_before(day_in(adopted_on.year, before)))
