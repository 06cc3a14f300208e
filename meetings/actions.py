"""Steps that span the governance structure and the meetings."""

from __future__ import annotations

import datetime
import logging

import holidays
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from governance.models import ConsultationBody, Cooperation, MonthlyEvaluation
from meetings.models import AgendaItem, Meeting, Purpose

logger = logging.getLogger(__name__)


def first_working_day(month: datetime.date) -> datetime.date:
    """The first weekday of the month that is not a Dutch public holiday."""
    public_holidays = holidays.Netherlands(years=month.year)
    day = month.replace(day=1)
    while day.weekday() >= 5 or day in public_holidays:
        day += datetime.timedelta(days=1)
    return day


def open_monthly_evaluations(today: datetime.date | None = None) -> list[MonthlyEvaluation]:
    """From the first working day of a month on, every cooperation with an
    administrative coordination meeting has its evaluation for that month, on
    the agenda of that body's next open meeting. Safe to run any number of
    times: the unique constraint keeps it at one per cooperation and month.
    Returns the evaluations created by this run."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    # Earlier evaluations still waiting for an open meeting (last month's too).
    for evaluation in MonthlyEvaluation.objects.filter(agenda_item__isnull=True, month__lt=month):
        put_on_agenda(evaluation)
    if today < first_working_day(month):
        return []
    created = []
    cooperations = Cooperation.objects.filter(bodies__kind=ConsultationBody.Kind.ADMINISTRATIVE_COORDINATION).distinct()
    for cooperation in cooperations:
        try:
            with transaction.atomic():
                evaluation = MonthlyEvaluation.objects.create(cooperation=cooperation, month=month)
        except IntegrityError:
            continue  # another run made it first
        created.append(evaluation)
    pending = MonthlyEvaluation.objects.filter(month=month, agenda_item__isnull=True).select_related("cooperation")
    for evaluation in pending:
        put_on_agenda(evaluation)
    return created


def put_on_agenda(evaluation: MonthlyEvaluation) -> AgendaItem | None:
    """Adds the evaluation to the next meeting of the administrative coordination
    meeting whose agenda is still open; none yet, then on a later run."""
    with transaction.atomic():
        evaluation = MonthlyEvaluation.objects.select_for_update().get(pk=evaluation.pk)
        if evaluation.agenda_item_id:
            return None
        meeting = (
            Meeting.objects.open_for_items()
            .filter(
                body__cooperation=evaluation.cooperation_id,
                body__kind=ConsultationBody.Kind.ADMINISTRATIVE_COORDINATION,
            )
            .order_by("starts_at")
            .first()
        )
        if meeting is None:
            logger.info("No open administrative meeting yet for %s", evaluation)
            return None
        # Agenda texts are in the region's language, whoever's task this is.
        with translation.override(settings.LANGUAGE_CODE):
            title = str(evaluation.title)
        item = meeting.add_item(version=None, by=None, title=title, purpose=Purpose.DISCUSSION)
        evaluation.agenda_item = item
        evaluation.save(update_fields=["agenda_item"])
    return item
