"""Calendar feeds: a body's published meetings for anyone, a person's own meetings behind a token they can
renew; read back with icalendar and with vobject, an independent parser."""

import datetime

import icalendar
import pytest
import vobject
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import CalendarToken
from governance.models import Membership
from meetings.models import Meeting
from publication import actions
from publication.models import Publication
from tests.factories import MembershipFactory, PersonFactory
from tests.publication.conftest import World, media_root  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
Kind = Publication.Kind


@pytest.fixture
def world(db, coordinator):
    world = World(coordinator)
    world.meeting.location = "Stadhuis Haarlem"
    world.meeting.save()
    world.send_agenda()
    actions.publish(Kind.AGENDA, world.meeting, by=world.secretary)
    world.planned = Meeting.for_body(world.body, timezone.now() + datetime.timedelta(days=30))
    world.planned.save()
    return world


def events(response) -> list:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    parsed = icalendar.Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    other = vobject.readOne(response.content.decode())
    found = parsed.walk("VEVENT")
    assert sorted(e.uid.value for e in getattr(other, "vevent_list", [])) == sorted(str(e["UID"]) for e in found)
    return found


def test_the_public_feed_of_a_body_holds_its_published_meetings_and_follows_moves_and_cancellations(world):
    url = reverse("public_body_feed", args=[world.body.pk])
    [event] = events(Client().get(url))  # not the planned meeting: its agenda is not published
    assert str(event["UID"]).startswith(f"vergadering-{world.meeting.pk}@")
    assert str(event["SUMMARY"]) == world.body.name and str(event["LOCATION"]) == "Stadhuis Haarlem"
    first = world.meeting.schedule_sequence
    assert event["SEQUENCE"] == first and event["STATUS"] == "CONFIRMED"
    assert str(event["URL"]).endswith(reverse("public_meeting", args=[world.meeting.pk]))

    world.meeting.starts_at += datetime.timedelta(hours=1)
    world.meeting.save()
    [moved] = events(Client().get(url))
    assert moved["UID"] == event["UID"] and moved["SEQUENCE"] == first + 1
    world.meeting.refresh_from_db()
    world.meeting.cancel(by=world.secretary, reason="Geen agendapunten.")
    [cancelled] = events(Client().get(url))
    assert cancelled["STATUS"] == "CANCELLED" and cancelled["SEQUENCE"] == first + 2

    # The public page announces the feed; a body without a published meeting has none.
    page = Client().get(reverse("public_body", args=[world.body.pk])).content.decode()
    assert (
        f'<link rel="alternate" type="text/calendar" title="Vergaderingen van {world.body.name}" href="{url}">' in page
    )
    other = MembershipFactory(person=PersonFactory()).body
    assert Client().get(reverse("public_body_feed", args=[other.pk])).status_code == 404


def test_a_personal_feed_shows_a_members_meetings_and_of_others_only_the_time(world, client_for):
    member = world.member.person
    token = CalendarToken.objects.create(person=member)
    found = events(Client().get(reverse("personal_feed", args=[token.token])))
    by_uid = {str(e["UID"]).split("@")[0]: e for e in found}
    assert set(by_uid) == {f"vergadering-{world.meeting.pk}", f"vergadering-{world.planned.pk}"}
    assert all(str(e["SUMMARY"]) == world.body.name for e in found)

    # Someone with a seat but no log-in may read nothing of the meeting: only its time, no name, no place.
    offline = PersonFactory()
    MembershipFactory(body=world.body, person=offline, role=Membership.Role.MEMBER, starts_on=datetime.date(2021, 1, 1))
    hidden = events(Client().get(reverse("personal_feed", args=[CalendarToken.objects.create(person=offline).token])))
    assert {str(e["SUMMARY"]) for e in hidden} == {"Vergadering"} and not any("LOCATION" in e for e in hidden)
    # Never an item title, not even for the member.
    content = Client().get(reverse("personal_feed", args=[token.token])).content.decode()
    assert world.secret_item.title not in content and world.public_item.title not in content


def test_renewing_the_address_makes_the_old_one_answer_404(world, client_for):
    client = client_for(world.member)
    page = client.get(reverse("my_calendar")).content.decode()
    old = CalendarToken.objects.get(person=world.member.person).token
    assert old in page and 'for="feed-url"' in page
    assert Client().get(reverse("personal_feed", args=[old])).status_code == 200
    assert client.post(reverse("renew_calendar")).status_code == 302
    new = CalendarToken.objects.get(person=world.member.person).token
    assert new != old
    assert Client().get(reverse("personal_feed", args=[old])).status_code == 404
    assert Client().get(reverse("personal_feed", args=[new])).status_code == 200
    assert Client().get(reverse("personal_feed", args=["x" * 500])).status_code == 404
    # The page is the person's own: it asks to log in first.
    assert Client().get(reverse("my_calendar")).status_code == 302
