"""Steps that cannot be undone ask first, on a page that says what happens and to whom: publishing an
agenda, marking a meeting held, cancelling it, adopting minutes."""

import datetime
import html

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from core.workflow import TransitionNotAllowed
from governance.models import Membership
from meetings.minutes_views import _ensure_minutes
from meetings.models import Meeting, Minutes
from tests.factories import PersonFactory
from tests.meetings.conftest import add_items

pytestmark = pytest.mark.django_db


def nl(text: str, **values) -> str:
    """A sentence as the Dutch page shows it, escaped as in the HTML."""
    with translation.override("nl"):
        return html.escape(gettext(text) % values if values else gettext(text))


def nl_plural(singular: str, plural: str, count: int, **values) -> str:
    with translation.override("nl"):
        return html.escape(ngettext(singular, plural, count) % {"count": count, **values})


def long_name(meeting: Meeting) -> str:
    with translation.override("nl"):
        return html.escape(meeting.long_name())


def transition(meeting: Meeting, action: str) -> str:
    return reverse("meeting_transition", args=[meeting.pk, action])


def posts_to(page: str, url: str) -> bool:
    return f'action="{url}"' in page


@pytest.fixture
def seated(region, secretary):
    """The secretaries' meeting with a chair, two members and an advisory member (and its secretary)."""
    names = []
    from tests.factories import MembershipFactory

    for role, given, surname, municipality in (
        (Membership.Role.CHAIR, "Carla", "Voorzitter", region.haarlem),
        (Membership.Role.MEMBER, "Mark", "Lid", region.haarlem),
        (Membership.Role.MEMBER, "Hanna", "Heemstra", region.heemstede),
        (Membership.Role.ADVISORY_MEMBER, "Dirk", "Directeur", None),
    ):
        person = PersonFactory(given_name=given, surname=surname)
        MembershipFactory(
            body=region.secretaries,
            person=person,
            role=role,
            on_behalf_of=municipality,
            starts_on=datetime.date(2021, 1, 1),
        )
        names.append(person.full_name)
    return names


@pytest.fixture
def begun(region, secretary):
    """A published meeting that started an hour ago."""
    meeting = Meeting.for_body(region.secretaries, timezone.now() - datetime.timedelta(hours=1))
    meeting.save()
    add_items(meeting, secretary, 1)
    meeting.publish(by=secretary)
    return meeting


# Publishing the agenda.


def test_the_publish_page_says_what_locks_and_who_reads_it_and_changes_nothing(meeting, secretary, seated, client_for):
    add_items(meeting, secretary, 3)
    response = client_for(secretary).get(transition(meeting, "publish"))
    assert response.status_code == 200
    page = response.content.decode()
    assert nl("Publish the agenda?") in page
    assert (
        nl(
            "The agenda of %(meeting)s locks: later changes need a reason and show as an addendum.",
            meeting=meeting.long_name(),
        )
        in page
    )
    assert (
        nl_plural("The agenda has %(count)s item to discuss.", "The agenda has %(count)s items to discuss.", 3) in page
    )
    # Four seated people and the secretary who prepares it.
    assert (
        nl_plural(
            "The agenda becomes readable for the %(count)s person below.",
            "The agenda becomes readable for the %(count)s people below.",
            5,
        )
        in page
    )
    for name in seated:
        assert name in page
    assert nl("Yes, publish") in page and posts_to(page, transition(meeting, "publish"))
    assert f'name="version" value="{meeting.agenda_version}"' in page
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and not meeting.pdfs.exists()


def test_publishing_after_confirming_then_the_page_says_it_already_happened(meeting, secretary, client_for):
    client = client_for(secretary)
    response = client.post(transition(meeting, "publish"), {"version": meeting.agenda_version})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    with translation.override("nl"):
        when = date_format(timezone.localtime(meeting.published_at), "j F Y, H:i")
    again = client.get(transition(meeting, "publish")).content.decode()
    assert nl("This agenda was already published on %(date)s.", date=when) in again
    assert not posts_to(again, transition(meeting, "publish")) and nl("Yes, publish") not in again
    assert reverse("meeting_detail", args=[meeting.pk]) in again
    repeat = client.post(transition(meeting, "publish"), {"version": meeting.agenda_version}, follow=True)
    assert repeat.status_code == 200
    assert [str(m) for m in repeat.context["messages"]] == [
        html.unescape(nl("This agenda was already published on %(date)s.", date=when))
    ]
    assert Meeting.objects.get(pk=meeting.pk).published_at == meeting.published_at


def test_an_agenda_changed_since_the_confirmation_page_is_not_published(meeting, secretary, client_for):
    shown = meeting.agenda_version
    add_items(meeting, secretary, 1)  # a second person adds an item in between
    response = client_for(secretary).post(transition(meeting, "publish"), {"version": shown})
    assert response.status_code == 409
    assert (
        nl(
            "Someone else changed this agenda while you were working on it. "
            "Your change was not saved; the page now shows the latest agenda."
        )
        in response.content.decode()
    )
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED


@pytest.mark.parametrize("action", ["publish", "held", "cancel"])
def test_the_confirmation_pages_answer_as_the_step_does(region, meeting, client_for, outsider, action):
    member = region.seat(region.secretaries, Membership.Role.MEMBER)
    assert client_for(outsider).get(transition(meeting, action)).status_code == 404
    assert client_for(outsider).post(transition(meeting, action)).status_code == 404
    assert client_for(member).get(transition(meeting, action)).status_code == 403
    assert client_for(member).post(transition(meeting, action)).status_code == 403
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED


def test_the_meeting_page_links_to_the_confirmation_pages(meeting, secretary, client_for):
    page = client_for(secretary).get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert f'href="{transition(meeting, "publish")}"' in page
    assert f'href="{transition(meeting, "cancel")}"' in page
    assert 'method="post"' not in page.split('id="steps-heading"')[1].split("</section>")[0]


# Marking held.


def test_a_meeting_is_not_marked_held_before_it_starts(region, secretary):
    with time_machine.travel(timezone.make_aware(datetime.datetime(2026, 12, 1, 10, 0)), tick=False):
        meeting = Meeting.for_body(region.secretaries, timezone.make_aware(datetime.datetime(2026, 12, 21, 9, 30)))
        meeting.save()
        meeting.publish(by=secretary)
        with pytest.raises(TransitionNotAllowed) as refused:
            meeting.mark_held(by=secretary)
        with translation.override("nl"):
            assert str(refused.value) == gettext(
                "This meeting starts on %(start)s; it can be marked as held once it has begun."
            ) % {"start": "21 december 2026, 09:30"}
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED


def test_the_held_page_and_button_wait_for_the_start(meeting, secretary, client_for):
    meeting.publish(by=secretary)
    client = client_for(secretary)
    detail = client.get(reverse("meeting_detail", args=[meeting.pk])).content.decode()
    assert transition(meeting, "held") not in detail
    with translation.override("nl"):
        start = date_format(timezone.localtime(meeting.starts_at), "j F Y, H:i")
    page = client.get(transition(meeting, "held")).content.decode()
    assert nl("This meeting starts on %(start)s; it can be marked as held once it has begun.", start=start) in page
    assert not posts_to(page, transition(meeting, "held"))
    response = client.post(transition(meeting, "held"), {"version": meeting.agenda_version})
    assert response.status_code == 409
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PUBLISHED


def test_a_begun_meeting_is_marked_held_after_confirming_and_only_once(begun, secretary, client_for):
    client = client_for(secretary)
    assert (
        f'href="{transition(begun, "held")}"' in client.get(reverse("meeting_detail", args=[begun.pk])).content.decode()
    )
    page = client.get(transition(begun, "held")).content.decode()
    assert nl("%(meeting)s is recorded as held.", meeting=begun.long_name()) in page
    assert nl("Yes, mark as held") in page
    assert Meeting.objects.get(pk=begun.pk).status == Meeting.Status.PUBLISHED
    assert client.post(transition(begun, "held"), {"version": begun.agenda_version}).status_code == 302
    assert Meeting.objects.get(pk=begun.pk).status == Meeting.Status.HELD
    again = client.get(transition(begun, "held")).content.decode()
    assert nl("This meeting is already marked as held.") in again and not posts_to(again, transition(begun, "held"))
    repeat = client.post(transition(begun, "held"), {"version": begun.agenda_version}, follow=True)
    assert [str(m) for m in repeat.context["messages"]] == [
        html.unescape(nl("This meeting is already marked as held."))
    ]


# Cancelling.


def test_the_cancel_page_names_the_invitees_and_asks_the_reason(meeting, secretary, seated, client_for):
    client = client_for(secretary)
    page = client.get(transition(meeting, "cancel")).content.decode()
    assert nl("Cancel the meeting?") in page
    assert (
        nl_plural(
            "The %(count)s invitee below sees the meeting as cancelled.",
            "The %(count)s invitees below see the meeting as cancelled.",
            5,
        )
        in page
    )
    for name in seated:
        assert name in page
    assert '<label class="utrecht-form-label" for="id_reason"' in page
    missing = client.post(transition(meeting, "cancel"), {"reason": " ", "version": meeting.agenda_version})
    assert missing.status_code == 400
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED
    done = client.post(
        transition(meeting, "cancel"), {"reason": "Te weinig agendapunten", "version": meeting.agenda_version}
    )
    assert done.status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CANCELLED
    again = client.get(transition(meeting, "cancel")).content.decode()
    assert nl("This meeting was already cancelled: %(reason)s", reason="Te weinig agendapunten") in again
    assert not posts_to(again, transition(meeting, "cancel"))
    # Publishing a cancelled meeting is no repeat: the page says it is no longer possible.
    publish = client.get(transition(meeting, "publish")).content.decode()
    with translation.override("nl"):
        status = Meeting.Status.CANCELLED.label
    assert nl("This meeting is %(status)s; this step is no longer possible.", status=str(status)) in publish
    assert client.post(transition(meeting, "publish")).status_code == 409


# Adopting minutes.


@pytest.fixture
def sent_minutes(region, secretary):
    starts = timezone.make_aware(datetime.datetime(2026, 10, 5, 9, 0))
    held = Meeting.for_body(region.secretaries, starts)
    held.save()
    add_items(held, secretary, 1)
    held.publish(by=secretary)
    held.mark_held(by=secretary)
    following = Meeting.for_body(region.secretaries, starts + datetime.timedelta(days=14))
    following.save()
    minutes = _ensure_minutes(held)
    minutes.send(by=secretary)
    following.publish(by=secretary)
    return minutes, following


def test_the_adoption_page_names_the_meeting_and_the_signatories_and_changes_nothing(
    sent_minutes, secretary, seated, client_for
):
    minutes, following = sent_minutes
    client = client_for(secretary)
    detail = client.get(reverse("meeting_detail", args=[following.pk])).content.decode()
    url = reverse("minutes_transition", args=[minutes.pk, "adopt"])
    assert f'href="{url}?meeting={following.pk}"' in detail
    page = client.get(url, {"meeting": following.pk}).content.decode()
    assert (
        nl(
            "The minutes of %(minutes)s are adopted in the meeting of %(meeting)s.",
            minutes=minutes.meeting.long_name(),
            meeting=following.long_name(),
        )
        in page
    )
    fields = minutes.adoption_fields(following)
    assert fields["chair_name"] == "Carla Voorzitter" and html.escape(fields["adoption_line"]) in page
    assert nl("They lock: from then on, a correction only goes in an erratum. This cannot be undone.") in page
    assert f'name="meeting" value="{following.pk}"' in page and nl("Yes, adopt") in page
    assert Minutes.objects.get(pk=minutes.pk).status == Minutes.Status.SENT


def test_adopting_after_confirming_then_a_repeat_says_it_already_happened(sent_minutes, secretary, client_for):
    minutes, following = sent_minutes
    client = client_for(secretary)
    url = reverse("minutes_transition", args=[minutes.pk, "adopt"])
    assert client.post(url, {"meeting": following.pk}).status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.ADOPTED and minutes.adopted_in == following
    said = nl("These minutes were already adopted in the meeting of %(meeting)s.", meeting=following.long_name())
    again = client.get(url, {"meeting": following.pk}).content.decode()
    assert said in again and not posts_to(again, url)
    repeat = client.post(url, {"meeting": following.pk}, follow=True)
    assert [str(m) for m in repeat.context["messages"]] == [html.unescape(said)]


def test_the_adoption_page_refuses_a_meeting_that_has_not_begun(region, sent_minutes, secretary, client_for):
    minutes, _following = sent_minutes
    later = Meeting.for_body(region.secretaries, timezone.now() + datetime.timedelta(days=3))
    later.save()
    later.publish(by=secretary)
    url = reverse("minutes_transition", args=[minutes.pk, "adopt"])
    page = client_for(secretary).get(url, {"meeting": later.pk}).content.decode()
    with translation.override("nl"):
        day = date_format(timezone.localtime(later.starts_at).date())
    assert nl("Minutes are adopted in the meeting itself: that meeting has not begun yet (%(date)s).", date=day) in page
    assert not posts_to(page, url)


def test_the_adoption_page_answers_as_the_step_does(region, sent_minutes, client_for, outsider):
    minutes, following = sent_minutes
    member = region.seat(region.secretaries, Membership.Role.MEMBER)
    url = reverse("minutes_transition", args=[minutes.pk, "adopt"])
    assert client_for(outsider).get(url, {"meeting": following.pk}).status_code == 404
    assert client_for(member).get(url, {"meeting": following.pk}).status_code == 403
    assert client_for(member).post(url, {"meeting": following.pk}).status_code == 403
    # Sending has no confirmation page: a GET is still refused.
    assert client_for(member).get(reverse("minutes_transition", args=[minutes.pk, "send"])).status_code == 405
