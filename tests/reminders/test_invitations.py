"""Meeting invitations: sent once to every invitee with the meeting as a calendar item that Outlook accepts;
a new time or place updates it, a cancellation cancels it; an invitee sends apologies with a replacement,
the secretary sees them and the attendance list starts from them."""

import datetime

import icalendar
import pytest
import time_machine
import vobject
from django.urls import reverse

from governance.models import Membership
from meetings.models import Apology, Attendance, Meeting
from municipalities.models import Office
from reminders.models import Reminder
from tests.factories import MembershipFactory, OfficeFactory, PersonFactory
from tests.reminders.conftest import aware

pytestmark = pytest.mark.django_db
D = datetime.date
Kind = Reminder.Kind
PUBLISHED = aware(2027, 3, 1, 10, 0)
SOON = PUBLISHED + datetime.timedelta(minutes=5)


@pytest.fixture
def invitees(region):
    """A member for Haarlem (with a colleague who can replace her), an advisory member, one without a log-in."""
    member = PersonFactory(with_login=True, given_name="Anna", surname="Lid")
    MembershipFactory(body=region.secretaries, person=member, on_behalf_of=region.haarlem, starts_on=D(2021, 1, 1))
    OfficeFactory(person=member, municipality=region.haarlem, role=Office.Role.MUNICIPAL_SECRETARY)
    colleague = PersonFactory(with_login=True, given_name="Carla", surname="Collega")
    OfficeFactory(person=colleague, municipality=region.haarlem, role=Office.Role.PROJECT_LEADER)
    advisory = PersonFactory(with_login=True)
    MembershipFactory(
        body=region.secretaries, person=advisory, role=Membership.Role.ADVISORY_MEMBER, starts_on=D(2021, 1, 1)
    )
    offline = PersonFactory()
    MembershipFactory(body=region.secretaries, person=offline, starts_on=D(2021, 1, 1))
    return {"member": member, "colleague": colleague, "advisory": advisory, "offline": offline}


@pytest.fixture
def published(region, secretary, invitees):
    with time_machine.travel(PUBLISHED - datetime.timedelta(days=7), tick=False):
        meeting = Meeting.for_body(region.secretaries, aware(2027, 3, 15, 14, 0), location="Stadhuis Haarlem")
        meeting.save()
    with time_machine.travel(PUBLISHED, tick=False):
        meeting.publish(by=secretary)
    return meeting


def calendar_of(message) -> tuple[str, str, str]:
    [(name, content, mimetype)] = [a for a in message.attachments if a[0].endswith(".ics")]
    return name, content.decode() if isinstance(content, bytes) else content, mimetype


def test_every_invitee_gets_one_invitation_with_a_calendar_item_two_parsers_read_alike(published, invitees, run_due):
    mails = run_due(SOON)
    assert sorted(m.to[0] for m in mails) == sorted(
        p.email for p in invitees.values() if p is not invitees["colleague"]
    )
    assert run_due(SOON + datetime.timedelta(minutes=1)) == []  # once
    _name, ics, mimetype = calendar_of(next(m for m in mails if m.to == [invitees["member"].email]))
    assert mimetype.startswith("text/calendar") and "method=REQUEST" in mimetype

    # icalendar and vobject, two independent parsers, read the same meeting.
    parsed = icalendar.Calendar.from_ical(ics)
    assert parsed["METHOD"] == "REQUEST"
    [event] = parsed.walk("VEVENT")
    assert [tz["TZID"] for tz in parsed.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert event.decoded("DTSTART") == aware(2027, 3, 15, 14, 0)
    assert str(event["DTSTART"].params["TZID"]) == "Europe/Amsterdam"
    assert event["SEQUENCE"] == 0 and str(event["UID"]).startswith(f"vergadering-{published.pk}@")
    assert str(event["LOCATION"]) == "Stadhuis Haarlem"
    assert str(event["ATTENDEE"]) == f"mailto:{invitees['member'].email}"
    other = vobject.readOne(ics)
    assert other.vevent.uid.value == str(event["UID"])
    assert other.vevent.dtstart.value == aware(2027, 3, 15, 14, 0)
    assert other.vevent.summary.value == "Overleg gemeentesecretarissen"


def test_a_move_updates_and_a_cancellation_cancels_the_calendar_item_of_whoever_has_it(
    published, secretary, invitees, run_due
):
    run_due(SOON)
    with time_machine.travel(SOON + datetime.timedelta(hours=1), tick=False):
        published.starts_at = aware(2027, 3, 16, 9, 30)
        published.save()
    moved = run_due(SOON + datetime.timedelta(hours=1, minutes=5))
    assert len(moved) == 3 and all(m.subject.startswith("Gewijzigd: ") for m in moved)
    event = icalendar.Calendar.from_ical(calendar_of(moved[0])[1]).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1 and event.decoded("DTSTART") == aware(2027, 3, 16, 9, 30)

    with time_machine.travel(SOON + datetime.timedelta(hours=2), tick=False):
        published.cancel(by=secretary, reason="Te weinig agendapunten.")
    cancelled = run_due(SOON + datetime.timedelta(hours=2, minutes=5))
    assert len(cancelled) == 3
    parsed = icalendar.Calendar.from_ical(calendar_of(cancelled[0])[1])
    assert parsed["METHOD"] == "CANCEL"
    assert parsed.walk("VEVENT")[0]["STATUS"] == "CANCELLED" and parsed.walk("VEVENT")[0]["SEQUENCE"] == 2
    assert "Te weinig agendapunten." in cancelled[0].body


def test_a_cancellation_before_the_invitation_went_out_sends_nothing(published, secretary, run_due):
    with time_machine.travel(PUBLISHED + datetime.timedelta(minutes=1), tick=False):
        published.cancel(by=secretary, reason="Te weinig agendapunten.")
    assert run_due(SOON) == []


def test_an_invitee_sends_apologies_with_a_replacement_and_the_attendance_starts_from_them(
    published, secretary, invitees, client_for
):
    url = reverse("apology", args=[published.pk])
    with time_machine.travel(SOON, tick=False):
        member = client_for(invitees["member"].user)
        page = member.get(url).content.decode()
        assert "Carla Collega" in page  # her colleague of Haarlem is offered as replacement
        response = member.post(url, {"replacement": invitees["colleague"].pk, "note": "Ik zit in de raad."})
        assert response.status_code == 302
        detail = client_for(secretary).get(reverse("meeting_detail", args=[published.pk])).content.decode()
        assert "Anna Lid" in detail and "vervangen door Carla Collega" in detail
    with time_machine.travel(published.starts_at + datetime.timedelta(minutes=5), tick=False):
        client_for(secretary).get(reverse("attendance_edit", args=[published.pk]))
    rows = {row.person_id: row for row in Attendance.objects.filter(meeting=published)}
    assert rows[invitees["member"].pk].presence == Attendance.Presence.EXCUSED
    assert rows[invitees["colleague"].pk].presence == Attendance.Presence.PRESENT
    assert (
        rows[invitees["colleague"].pk].on_behalf_of
        == published.body.memberships.get(person=invitees["member"]).on_behalf_of
    )


def test_bad_apologies_are_refused_in_dutch_and_save_nothing(published, secretary, invitees, client_for, outsider):
    url = reverse("apology", args=[published.pk])
    with time_machine.travel(SOON, tick=False):
        member = client_for(invitees["member"].user)
        both = member.post(url, {"replacement": invitees["colleague"].pk, "replacement_name": "Piet Jansen"})
        assert both.status_code == 400 and "Kies een vervanger of typ een naam, niet allebei." in both.content.decode()
        stranger = member.post(url, {"replacement": invitees["advisory"].pk})  # not of her municipality
        assert stranger.status_code == 400
        assert not Apology.objects.exists()
        # Not invited: the secretary sends the invitations (403); someone who cannot see the meeting: 404.
        assert client_for(secretary).get(url).status_code == 403
        assert client_for(outsider).get(url).status_code == 404
    with time_machine.travel(published.starts_at + datetime.timedelta(minutes=1), tick=False):
        member = client_for(invitees["member"].user)
        assert member.post(url, {"replacement_name": "Piet Jansen"}).status_code == 409
    assert not Apology.objects.exists()
