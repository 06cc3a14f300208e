"""Query-count pins of the meetings pages: the same count with 3 rows as with 30 (60 where a page is
paginated at 50), never more than 25, and the rows a person checks on the page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from governance.models import Membership
from meetings.minutes_views import _ensure_minutes
from meetings.models import ActionPoint, AgendaItem, Meeting, Purpose, Submission
from municipalities.models import Office
from tests.factories import ConsultationBodyFactory, OfficeFactory, PersonFactory, PortfolioFactory
from tests.meetings.conftest import add_items, pdf_file
from tests.query_counts import paginated, pin

pytestmark = pytest.mark.django_db
D = datetime.date


def later(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


@pytest.fixture
def held(region, secretary):
    """A held meeting of the secretaries' meeting, its minutes begun."""
    meeting = Meeting.for_body(region.secretaries, later(-7), location="Stadhuis Haarlem")
    meeting.save()
    add_items(meeting, secretary, 1)
    meeting.publish(by=secretary)
    meeting.mark_held(by=secretary)
    return meeting


@pytest.fixture
def owner(region):
    person = PersonFactory(with_login=True, given_name="Olga", surname="Eigenaar")
    OfficeFactory(person=person, role=Office.Role.PROJECT_LEADER, municipality=region.haarlem, starts_on=D(2020, 1, 1))
    return person


def grow_action_points(meeting, owner):
    item = _ensure_minutes(meeting).items.get(agenda_item__kind=AgendaItem.Kind.REGULAR)
    made = []

    def grow(count):
        for _ in range(count):
            n = len(made)
            made.append(
                ActionPoint.objects.create(minutes_item=item, what=f"Actie {n}", owner=owner, due_on=D(2026, 10, 1))
            )

    return grow


def test_body_list(region, coordinator, client_for):
    def grow(count):
        for _ in range(count):
            ConsultationBodyFactory(cooperation=region.cooperation, policy_area=PortfolioFactory())

    page = pin(client_for(coordinator), reverse("body_list"), grow)
    assert region.secretaries.name in page


def test_body_detail_lists_the_coming_meetings_and_those_of_the_last_year(region, secretary, client_for):
    made = []

    def grow(count):
        for _ in range(count):
            n = len(made) + 1
            # One to come and one held, a month apart, going back: after a year, older ones are not listed.
            for days in (n * 30, -n * 30):
                meeting = Meeting.for_body(region.secretaries, later(days))
                meeting.save()
                made.append(meeting)
            add_items(meeting, secretary, 2)

    page = pin(client_for(secretary), reverse("body_detail", args=[region.secretaries.pk]), grow, at_most=26)
    assert page.count('href="/vergaderingen/') >= 30


def test_meeting_detail_and_agenda_builder(region, secretary, meeting, client_for):
    housing = PortfolioFactory(name="Wonen")

    def grow(count):
        for item in add_items(meeting, secretary, count, portfolio=housing):
            item.documents.create(title="Stuk").add_version(pdf_file(), by=secretary, content_type="application/pdf")

    client = client_for(secretary)
    # Over 25: the menu's counts take fifteen (reminders/desk.py).
    page = pin(client, reverse("meeting_detail", args=[meeting.pk]), grow, at_most=31)
    assert page.count(">Agendapunt ") >= 30
    page = pin(client, reverse("meeting_agenda", args=[meeting.pk]), grow, sizes=(33, 60), at_most=32)
    assert page.count(">Agendapunt ") >= 60


def test_meeting_detail_of_a_published_agenda_for_a_member(region, secretary, meeting, client_for):
    member = region.seat(region.secretaries)
    meeting.publish(by=secretary)

    def grow(count):
        meeting.refresh_from_db()
        for _ in range(count):
            meeting.add_item(
                version=meeting.agenda_version,
                by=secretary,
                title=f"Nagekomen {meeting.items.count()}",
                purpose=Purpose.DISCUSSION,
                reason="Nagekomen",
            )
            meeting.refresh_from_db()

    page = pin(client_for(member), reverse("meeting_detail", args=[meeting.pk]), grow, at_most=26)
    assert "Nagekomen" in page


def test_minutes_edit_and_detail(region, secretary, held, owner, client_for):
    grow_points = grow_action_points(held, owner)
    minutes = _ensure_minutes(held)

    def grow(count):
        grow_points(count)

    client = client_for(secretary)
    page = pin(client, reverse("minutes_edit", args=[held.pk]), grow, at_most=31)
    assert "Actie 29" in page
    page = pin(client, reverse("minutes_detail", args=[minutes.pk]), grow, at_most=28)
    assert "Actie 29" in page


def test_action_lists(region, secretary, held, owner, client_for):
    grow = grow_action_points(held, owner)
    page = pin(client_for(secretary), reverse("body_action_list", args=[region.secretaries.pk]), grow, sizes=(3, 60))
    assert page.count('cell">Actie ') == 50 and paginated(page)
    page = pin(client_for(owner.user), reverse("my_action_points"), grow, sizes=(63, 90))
    assert page.count('cell">Actie ') == 50 and paginated(page)


def test_my_work(region, secretary, client_for):
    def grow(count):
        for _ in range(count):
            meeting = Meeting.for_body(region.secretaries, later(10 + Meeting.objects.count()))
            meeting.save()
            add_items(meeting, secretary, 1)

    pin(client_for(secretary), reverse("my_work"), grow)


def test_my_submissions(region, secretary, client_for):
    user = region.seat(region.secretaries)
    OfficeFactory(person=user.person, role=Office.Role.MUNICIPAL_SECRETARY, municipality=region.haarlem)

    def grow(count):
        start = Submission.objects.count()
        Submission.objects.bulk_create(
            Submission(
                title=f"Inzending {start + n}",
                explanation="Toelichting",
                municipality=region.haarlem,
                purpose="decision",
                submitted_by=user,
            )
            for n in range(count)
        )

    page = pin(client_for(user), reverse("my_submissions"), grow, sizes=(3, 60))
    assert page.count(">Inzending ") == 50 and paginated(page)


def test_my_invitations(region, secretary, client_for):
    housing = PortfolioFactory(name="Wonen")
    alderman = PersonFactory(with_login=True)
    OfficeFactory(person=alderman, role=Office.Role.ALDERMAN, municipality=region.haarlem, portfolios=[housing])
    region.seat(region.administrative, Membership.Role.SECRETARY)

    def grow(count):
        for _ in range(count):
            meeting = Meeting.for_body(region.administrative, later(7 + Meeting.objects.count()))
            meeting.save()
            meeting.add_item(version=None, by=secretary, title="Woonagenda", purpose=Purpose.CONSENT, portfolio=housing)
            meeting.publish(by=secretary)

    page = pin(client_for(alderman.user), reverse("my_invitations"), grow)
    assert "Woonagenda" in page
