"""The quarter-hourly planning sweep looks only at what changed since its last run, and a run that stops
halfway leaves every object planned or not planned, never half."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.models import Membership
from meetings.models import Meeting
from reminders import planning
from reminders.models import PlanningMark, Reminder, ReminderSettings
from reminders.planning import sweep
from tests.factories import MembershipFactory, PersonFactory
from tests.reminders.conftest import aware

D = datetime.date
Kind = Reminder.Kind
SETUP = aware(2027, 3, 1, 9, 0)
FIRST = aware(2027, 3, 1, 10, 0)
QUARTER = datetime.timedelta(minutes=15)


def meetings(region, count: int) -> list[Meeting]:
    made = []
    with time_machine.travel(SETUP, tick=False):
        for week in range(count):
            meeting = Meeting.for_body(region.secretaries, aware(2027, 3, 22, 14, 0) + datetime.timedelta(weeks=week))
            meeting.save()
            made.append(meeting)
    return made


def sweep_at(moment: datetime.datetime, **kwargs) -> int:
    with time_machine.travel(moment, tick=False):
        return sweep(**kwargs)


def hand_over(region, old_secretary, at: datetime.datetime):
    """The secretary leaves on 5 March and a new one starts the next day: two saves of memberships,
    which plan no reminder themselves."""
    successor = PersonFactory(with_login=True)
    with time_machine.travel(at, tick=False):
        leaving = Membership.objects.get(person__user=old_secretary, body=region.secretaries)
        leaving.ends_on = D(2027, 3, 5)
        leaving.save()
        MembershipFactory(
            body=region.secretaries, person=successor, role=Membership.Role.SECRETARY, starts_on=D(2027, 3, 6)
        )
    return successor


def test_an_office_that_changes_hands_without_a_save_of_the_meeting_moves_the_reminders(region, secretary, run_due):
    (meeting,) = meetings(region, 1)
    sweep_at(FIRST)
    successor = hand_over(region, secretary, FIRST + QUARTER)
    assert not Reminder.objects.filter(recipient=successor).exists()

    sweep_at(FIRST + 2 * QUARTER)
    assert sorted(Reminder.objects.filter(recipient=successor).values_list("kind", flat=True)) == [
        Kind.AGENDA_DEADLINE,
        Kind.AGENDA_UNPUBLISHED,
    ]
    left = Reminder.objects.filter(recipient=secretary.person)
    assert {(r.status, r.note) for r in left} == {(Reminder.Status.SKIPPED, "no longer due")}
    unpublished = Reminder.objects.get(recipient=successor, kind=Kind.AGENDA_UNPUBLISHED)
    mails = run_due(unpublished.due_at)
    assert [m.to for m in mails] == [[successor.email]] and str(meeting) in mails[0].subject


@pytest.mark.parametrize("size", [3, 30])
def test_a_second_run_with_nothing_changed_does_almost_nothing(region, secretary, size):
    meetings(region, size)
    sweep_at(FIRST)
    with CaptureQueriesContext(connection) as second:
        assert sweep_at(FIRST + QUARTER) == 0
    # The marks, the three looks for changed offices, memberships and people, and one update of the marks.
    assert len(second) <= 6, [q["sql"] for q in second.captured_queries]
    assert not PlanningMark.objects.exclude(swept_until=FIRST + QUARTER).exists()


@pytest.mark.parametrize("size", [3, 30])
def test_a_change_in_one_body_plans_only_that_bodys_meetings(region, secretary, size):
    meetings(region, size)
    with time_machine.travel(SETUP, tick=False):
        other = Meeting.for_body(region.other, aware(2027, 3, 23, 14, 0))
        other.save()
    sweep_at(FIRST)
    with time_machine.travel(FIRST + QUARTER, tick=False):
        MembershipFactory(body=region.other, person=PersonFactory(), role=Membership.Role.SECRETARY)
    with CaptureQueriesContext(connection) as run:
        assert sweep_at(FIRST + 2 * QUARTER) == 2
    # The same with 3 or 30 meetings of the secretaries' body: none of them is planned again. (The bound grew
    # from 60 when the invitation, its update and its cancellation became kinds that ask about the body.)
    assert len(run) <= 70, len(run)


def test_a_sweep_interrupted_after_a_chunk_resumes_and_leaves_no_object_half_planned(region, secretary, monkeypatch):
    planned = meetings(region, 5)
    sweep_at(FIRST)
    successor = hand_over(region, secretary, FIRST + QUARTER)
    monkeypatch.setattr(planning, "CHUNK", 2)
    real_plan_many, calls = planning.plan_many, []

    def stops_on_the_second_chunk(objects, kinds=None):
        calls.append([obj.pk for obj in objects])
        if len(calls) == 2:
            real_plan_many(objects, kinds)  # the chunk's work, then the worker dies before it commits
            raise SystemExit("worker stopped")
        return real_plan_many(objects, kinds)

    monkeypatch.setattr(planning, "plan_many", stops_on_the_second_chunk)
    with pytest.raises(SystemExit):
        sweep_at(FIRST + 2 * QUARTER)

    first_chunk = [m.pk for m in planned[:2]]
    deadline = Reminder.objects.filter(recipient=successor, kind=Kind.AGENDA_DEADLINE)
    assert sorted(deadline.values_list("object_id", flat=True)) == first_chunk
    assert PlanningMark.objects.get(kind=Kind.AGENDA_DEADLINE).cursor == first_chunk[-1]

    monkeypatch.setattr(planning, "plan_many", real_plan_many)
    sweep_at(FIRST + 3 * QUARTER)
    for kind in (Kind.AGENDA_DEADLINE, Kind.AGENDA_UNPUBLISHED):
        got = Reminder.objects.filter(recipient=successor, kind=kind, status=Reminder.Status.PENDING)
        assert sorted(got.values_list("object_id", flat=True)) == [m.pk for m in planned]
    assert not Reminder.objects.filter(recipient=secretary.person, status=Reminder.Status.PENDING).exists()
    assert not PlanningMark.objects.filter(run_until__isnull=False).exists()


def test_new_lead_times_plan_every_open_object_again_over_several_runs(region, secretary, monkeypatch):
    planned = meetings(region, 5)
    sweep_at(FIRST)
    monkeypatch.setattr(planning, "CHUNK", 2)
    with time_machine.travel(FIRST + QUARTER, tick=False):
        conf = ReminderSettings.get_solo()
        conf.agenda_unpublished_days = 10
        conf.save()
    sweep_at(FIRST + 2 * QUARTER, budget=0)  # one chunk per kind, then the run's time is up
    assert PlanningMark.objects.filter(full=True).exists()
    runs = 1
    while PlanningMark.objects.filter(full=True).exists() and runs < 100:
        runs += 1
        sweep_at(FIRST + (runs + 1) * QUARTER, budget=0)
    assert 1 < runs < 100
    pending = Reminder.objects.filter(kind=Kind.AGENDA_UNPUBLISHED, status=Reminder.Status.PENDING)
    assert {timezone_day(r.due_at) for r in pending} == {
        m.starts_at.date() - datetime.timedelta(days=10) for m in planned
    }
    assert not PlanningMark.objects.filter(full=True).exists()


def timezone_day(moment: datetime.datetime) -> datetime.date:
    from django.utils import timezone

    return timezone.localdate(moment)


def test_new_lead_times_during_a_running_sweep_are_not_lost(region, secretary, monkeypatch):
    """The coordinator saves new lead times while a sweep is planning: that sweep ends, and the next one
    still plans every open object again with the new settings."""
    meetings(region, 3)
    sweep_at(FIRST)
    original, asked = planning.plan_many, []

    def plan_and_meanwhile_new_settings(objects, kinds=None):
        if not asked:
            asked.append(True)
            planning.replan_everything_later()
        return original(objects, kinds)

    monkeypatch.setattr(planning, "plan_many", plan_and_meanwhile_new_settings)
    sweep_at(FIRST + QUARTER, full=True)
    assert asked and PlanningMark.objects.filter(full=True).exists()


def test_only_one_sweep_runs_at_a_time(region, secretary):
    from django.core.cache import cache

    meetings(region, 1)
    cache.add(planning.SWEEP_LOCK, "1", timeout=None)  # another sweep is running
    with CaptureQueriesContext(connection) as queries:
        assert sweep_at(FIRST) == 0
    assert len(queries) == 0 and not PlanningMark.objects.exists()
    cache.delete(planning.SWEEP_LOCK)
    sweep_at(FIRST)
    assert PlanningMark.objects.filter(full=False, swept_until=FIRST).exists()
