"""The nightly permission sync brings in line only the bodies and municipalities whose memberships or
offices started, ended or changed since the last night; the groups it keeps are the same as ever."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from guardian.shortcuts import get_perms

from governance.models import Membership
from governance.tasks import sync_access
from municipalities.models import Office
from tests.factories import (
    ConsultationBodyFactory,
    MembershipFactory,
    MunicipalityFactory,
    OfficeFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date


def night(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(3, 15)))


def region(size: int):
    bodies = [ConsultationBodyFactory() for _ in range(size)]
    municipalities = [MunicipalityFactory() for _ in range(size)]
    with time_machine.travel(night(D(2027, 3, 1)) - datetime.timedelta(hours=5), tick=False):
        for body in bodies:
            MembershipFactory(body=body, person=PersonFactory(with_login=True), role=Membership.Role.SECRETARY)
        for municipality in municipalities:
            OfficeFactory(
                person=PersonFactory(with_login=True),
                role=Office.Role.MAYOR,
                municipality=municipality,
                starts_on=D(2021, 1, 1),
            )
    return bodies, municipalities


@pytest.mark.parametrize("size", [2, 20])
def test_a_membership_that_starts_by_date_gives_its_rights_the_next_night_and_nothing_else_is_synced(size):
    bodies, municipalities = region(size)
    newcomer = PersonFactory(with_login=True)
    with time_machine.travel(night(D(2027, 3, 1)) - datetime.timedelta(hours=4), tick=False):
        MembershipFactory(body=bodies[0], person=newcomer, role=Membership.Role.MEMBER, starts_on=D(2027, 3, 3))
        OfficeFactory(
            person=newcomer,
            role=Office.Role.MUNICIPAL_SECRETARY,
            municipality=municipalities[0],
            starts_on=D(2027, 3, 3),
        )
    members = Group.objects.get(name=f"body:{bodies[0].pk}:members")
    secretaries = Group.objects.get(name=f"municipality:{municipalities[0].pk}:secretary")
    with time_machine.travel(night(D(2027, 3, 1)), tick=False):
        assert sync_access(full=True) == 2 * size  # the first night: every body and municipality
    assert newcomer.user not in members.user_set.all()

    with time_machine.travel(night(D(2027, 3, 2)), tick=False), CaptureQueriesContext(connection) as quiet:
        assert sync_access() == 0
    with time_machine.travel(night(D(2027, 3, 3)), tick=False), CaptureQueriesContext(connection) as busy:
        assert sync_access() == 2  # one body, one municipality
    assert newcomer.user in members.user_set.all() and newcomer.user in secretaries.user_set.all()
    assert "view_meetings" in get_perms(members, bodies[0])
    assert get_perms(secretaries, municipalities[0]) == ["record_college_decisions"]
    # The same few queries with 2 or 20 bodies and municipalities.
    assert len(quiet) <= 10, [q["sql"] for q in quiet.captured_queries]
    assert len(busy) <= 30, len(busy)


def test_a_membership_that_ends_takes_the_rights_away_the_night_after_its_last_day():
    bodies, _municipalities = region(1)
    leaving = PersonFactory(with_login=True)
    with time_machine.travel(night(D(2027, 3, 1)), tick=False):
        MembershipFactory(body=bodies[0], person=leaving, starts_on=D(2021, 1, 1), ends_on=D(2027, 3, 4))
        sync_access()
    members = Group.objects.get(name=f"body:{bodies[0].pk}:members")
    with time_machine.travel(night(D(2027, 3, 4)), tick=False):
        sync_access()
    assert leaving.user in members.user_set.all()  # the last day is still a day in the body
    with time_machine.travel(night(D(2027, 3, 5)), tick=False):
        assert sync_access() == 1
    assert leaving.user not in members.user_set.all()


def test_an_office_or_seat_moved_elsewhere_leaves_no_rights_behind():
    """An office moved from one municipality to another (or a seat to another body) in the management site:
    the one it left loses the rights at once, and a night's sync that only looks at what changed agrees."""
    from decisions.access import municipalities_for
    from meetings.access import can_prepare

    bodies, municipalities = region(2)
    person = PersonFactory(with_login=True)
    with time_machine.travel(night(D(2027, 3, 1)) - datetime.timedelta(hours=2), tick=False):
        office = OfficeFactory(
            person=person, role=Office.Role.MUNICIPAL_SECRETARY, municipality=municipalities[0], starts_on=D(2021, 1, 1)
        )
        seat = MembershipFactory(body=bodies[0], person=person, role=Membership.Role.SECRETARY)
    with time_machine.travel(night(D(2027, 3, 1)), tick=False):
        sync_access(full=True)
    with time_machine.travel(night(D(2027, 3, 1)) + datetime.timedelta(hours=6), tick=False):
        office.municipality = municipalities[1]
        office.save()
        seat.body = bodies[1]
        seat.save()

    def rights():
        user = type(person.user).objects.get(pk=person.user.pk)  # no permission cache from earlier checks
        return (
            set(municipalities_for(user, "record_college_decisions")),
            [body for body in bodies if can_prepare(user, body)],
        )

    assert rights() == ({municipalities[1]}, [bodies[1]])
    with time_machine.travel(night(D(2027, 3, 2)), tick=False):
        assert sync_access() == 4  # both municipalities and both bodies are looked at again
    assert rights() == ({municipalities[1]}, [bodies[1]])
