"""Steps that cannot be undone ask first, on a page that says what happens and to whom: adopting the regional
position, sending to the colleges, withdrawing, signing a college decision."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from decisions.models import CollegeDecision, RegionalProposal
from meetings.models import Meeting
from tests.decisions.conftest import ADOPTED_ON, NAMES

pytestmark = pytest.mark.django_db
D = datetime.date
DECIDED_ON = D(2026, 11, 10)


def nl(text: str, **values) -> str:
    """A sentence as the Dutch page shows it, escaped as in the HTML."""
    with translation.override("nl"):
        return html.escape(gettext(text) % values if values else gettext(text))


def nl_date(day: datetime.date) -> str:
    with translation.override("nl"):
        return date_format(day)


def step(proposal: RegionalProposal, action: str) -> str:
    return reverse("proposal_transition", args=[proposal.pk, action])


def posts_to(page: str, url: str) -> bool:
    return f'action="{url}"' in page


def messages_of(response) -> list[str]:
    return [html.escape(str(m)) for m in response.context["messages"]]


@pytest.fixture
def adopted(covenant, coordinator):
    return covenant.adopt(covenant.proposal(), coordinator)


@pytest.fixture
def sent(adopted, coordinator):
    adopted.send(by=coordinator, on=D(2026, 11, 1))
    return adopted


# Adopting the regional position.


def test_the_adoption_page_names_the_date_and_the_meeting_and_changes_nothing(covenant, coordinator, client_for):
    proposal = covenant.proposal(agenda_item=covenant.held_item())
    client = client_for(coordinator)
    detail = client.get(reverse("proposal_detail", args=[proposal.pk])).content.decode()
    assert f'href="{step(proposal, "adopt")}"' in detail
    page = client.get(step(proposal, "adopt")).content.decode()
    meeting = proposal.agenda_item.meeting
    with translation.override("nl"):
        name = meeting.long_name()
    assert (
        nl(
            "%(body)s adopts the regional position on %(date)s, in its meeting of %(meeting)s (item %(number)s).",
            body=covenant.body.name,
            date=nl_date(ADOPTED_ON),
            meeting=name,
            number=proposal.agenda_item.number,
        )
        in page
    )
    assert nl("Yes, adopt") in page and posts_to(page, step(proposal, "adopt"))
    assert RegionalProposal.objects.get(pk=proposal.pk).status == RegionalProposal.Status.DRAFT


def test_adopting_after_confirming_then_a_repeat_says_it_already_happened(covenant, coordinator, client_for):
    proposal = covenant.proposal(agenda_item=covenant.held_item())
    client = client_for(coordinator)
    assert client.post(step(proposal, "adopt")).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == RegionalProposal.Status.ADOPTED and proposal.adopted_on == ADOPTED_ON
    said = nl("The regional position was already adopted on %(date)s.", date=nl_date(ADOPTED_ON))
    again = client.get(step(proposal, "adopt")).content.decode()
    assert said in again and not posts_to(again, step(proposal, "adopt"))
    history = proposal.history.count()
    repeat = client.post(step(proposal, "adopt"), follow=True)
    assert repeat.status_code == 200 and messages_of(repeat) == [said]
    assert proposal.history.count() == history


def test_the_adoption_page_refuses_a_meeting_not_yet_held(covenant, coordinator, client_for):
    item = covenant.held_item()
    Meeting.objects.filter(pk=item.meeting_id).update(status=Meeting.Status.PUBLISHED)
    proposal = covenant.proposal(agenda_item=item)
    page = client_for(coordinator).get(step(proposal, "adopt")).content.decode()
    assert (
        nl(
            "The meeting of %(date)s has not been held yet; the position is adopted in a held meeting.",
            date=nl_date(ADOPTED_ON),
        )
        in page
    )
    assert not posts_to(page, step(proposal, "adopt"))


# Sending to the colleges.


def test_the_sending_page_lists_the_municipalities_that_receive_it_today(adopted, coordinator, client_for):
    page = client_for(coordinator).get(step(adopted, "send")).content.decode()
    today = timezone.localdate()
    with translation.override("nl"):
        receive = ngettext(
            "Today, %(date)s, %(count)s college receives the proposal: a college decision and a council track "
            "open for it.",
            "Today, %(date)s, %(count)s colleges receive the proposal: a college decision and a council track "
            "open for each.",
            4,
        ) % {"date": date_format(today), "count": 4}
    assert html.escape(receive) in page
    assert nl("The municipalities that receive it on %(date)s", date=nl_date(today)) in page
    for name in NAMES:
        assert f'<li class="utrecht-unordered-list__item">{name}</li>' in page
    assert nl("The text is frozen as version %(number)s, with its checksum; it no longer changes.", number=1) in page
    assert not adopted.college_decisions.exists() and not adopted.versions.exists()


def test_sending_after_confirming_then_a_repeat_sends_nothing_twice(adopted, coordinator, client_for):
    client = client_for(coordinator)
    assert client.post(step(adopted, "send")).status_code == 302
    assert adopted.college_decisions.count() == 4
    said = nl("The proposal was already sent to the colleges on %(date)s.", date=nl_date(timezone.localdate()))
    again = client.get(step(adopted, "send")).content.decode()
    assert said in again and not posts_to(again, step(adopted, "send"))
    repeat = client.post(step(adopted, "send"), follow=True)
    assert messages_of(repeat) == [said]
    assert adopted.college_decisions.count() == 4 and adopted.versions.count() == 1


# Withdrawing.


def test_the_withdrawal_page_names_the_colleges_and_asks_the_reason(sent, coordinator, client_for):
    client = client_for(coordinator)
    page = client.get(step(sent, "withdraw")).content.decode()
    with translation.override("nl"):
        seen = ngettext(
            "The %(count)s college that received it sees it withdrawn; its pending reminders are set aside.",
            "The %(count)s colleges that received it see it withdrawn; their pending reminders are set aside.",
            4,
        ) % {"count": 4}
    assert html.escape(seen) in page
    for name in NAMES:
        assert name in page
    assert '<label class="utrecht-form-label" for="id_reason"' in page
    missing = client.post(step(sent, "withdraw"), {"reason": ""})
    assert missing.status_code == 400
    assert RegionalProposal.objects.get(pk=sent.pk).status == RegionalProposal.Status.SENT
    assert client.post(step(sent, "withdraw"), {"reason": "Het rijk regelt het"}).status_code == 302
    assert RegionalProposal.objects.get(pk=sent.pk).status == RegionalProposal.Status.WITHDRAWN
    said = nl("The proposal was already withdrawn: %(reason)s", reason="Het rijk regelt het")
    assert said in client.get(step(sent, "withdraw")).content.decode()
    repeat = client.post(step(sent, "withdraw"), {"reason": "Nogmaals"}, follow=True)
    assert messages_of(repeat) == [said]
    assert RegionalProposal.objects.get(pk=sent.pk).withdrawal_reason == "Het rijk regelt het"


@pytest.mark.parametrize("action", ["adopt", "send", "withdraw"])
def test_the_proposal_pages_answer_as_the_step_does(covenant, sent, client_for, outsider, action):
    draft = covenant.proposal(title="Concept")
    mayor = client_for(covenant.mayors["Haarlem"])
    # A draft is its body's: a mayor outside the body does not see it at all.
    assert mayor.get(step(draft, action)).status_code == 404
    assert client_for(outsider).get(step(sent, action)).status_code == 404
    # A sent proposal the mayor reads, but may not manage.
    assert mayor.get(step(sent, action)).status_code == 403
    assert mayor.post(step(sent, action), {"reason": "x"}).status_code == 403
    assert RegionalProposal.objects.get(pk=sent.pk).status == RegionalProposal.Status.SENT


# Signing.


@pytest.fixture
def to_sign(covenant, sent) -> CollegeDecision:
    decision = sent.college_decisions.select_related("municipality").get(municipality__name="Haarlem")
    decision.record(
        by=covenant.secretaries["Haarlem"],
        lock_version=decision.lock_version,
        outcome=CollegeDecision.Outcome.AGREED,
        decided_on=DECIDED_ON,
        reference="2026/123",
    )
    decision.refresh_from_db()
    return decision


def sign_url(decision: CollegeDecision) -> str:
    return reverse("decision_sign", args=[decision.pk, "sign"])


def test_the_signing_page_says_in_which_capacity_and_what_follows_and_changes_nothing(covenant, to_sign, client_for):
    mayor = client_for(covenant.mayors["Haarlem"])
    listing = mayor.get(reverse("my_signatures")).content.decode()
    assert f'href="{sign_url(to_sign)}"' in listing
    page = mayor.get(sign_url(to_sign)).content.decode()
    with translation.override("nl"):
        role = str(to_sign.capacities_of(covenant.mayors["Haarlem"])["mayor"].get_role_display())
        outcome = str(CollegeDecision.Outcome.AGREED.label)
    assert nl("You sign as %(role)s of %(municipality)s.", role=role, municipality="Haarlem") in page
    assert (
        nl(
            "The decision of the college: %(outcome)s, decided on %(date)s%(reference)s.",
            outcome=outcome,
            date=nl_date(DECIDED_ON),
            reference=", 2026/123",
        )
        in page
    )
    assert (
        nl(
            "Then the decision waits for the other signature; with both it is final and the PDF of the college "
            "decision is made."
        )
        in page
    )
    assert nl("A signature cannot be undone.") in page
    assert reverse("decision_preview_pdf", args=[to_sign.pk]) in page
    assert f'name="lock_version" value="{to_sign.lock_version}"' in page and nl("Yes, sign") in page
    to_sign.refresh_from_db()
    assert not to_sign.mayor_signed_by_id


def test_the_second_signature_says_the_pdf_is_made_and_a_repeat_signs_nothing_twice(covenant, to_sign, client_for):
    mayor, secretary = client_for(covenant.mayors["Haarlem"]), client_for(covenant.secretaries["Haarlem"])
    assert mayor.post(sign_url(to_sign), {"lock_version": to_sign.lock_version}).status_code == 302
    to_sign.refresh_from_db()
    page = secretary.get(sign_url(to_sign)).content.decode()
    assert (
        nl(
            "With your signature the decision is final: the PDF of the college decision is made, with both "
            "signatures, and the regional outcome counts it."
        )
        in page
    )
    with translation.override("nl"):
        when = date_format(timezone.localtime(to_sign.mayor_signed_at), "j F Y, H:i")
    said = nl("You already signed this decision on %(date)s.", date=when)
    again = mayor.get(sign_url(to_sign)).content.decode()
    assert said in again and not posts_to(again, sign_url(to_sign))
    # The old page posted again, with the version it was shown with: no conflict, no second signature.
    repeat = mayor.post(sign_url(to_sign), {"lock_version": to_sign.lock_version - 1}, follow=True)
    assert repeat.status_code == 200 and messages_of(repeat) == [said]
    assert CollegeDecision.objects.get(pk=to_sign.pk).lock_version == to_sign.lock_version


def test_a_signature_confirmed_on_an_older_page_is_refused(covenant, to_sign, client_for):
    mayor = client_for(covenant.mayors["Haarlem"])
    shown = to_sign.lock_version
    to_sign.sign(by=covenant.secretaries["Haarlem"])  # someone else signs in between
    response = mayor.post(sign_url(to_sign), {"lock_version": shown})
    assert response.status_code == 409
    assert (
        nl(
            "Someone else saved this decision while you were working on it. Nothing of yours was saved; "
            "the form now shows the latest version."
        )
        in response.content.decode()
    )
    assert not CollegeDecision.objects.get(pk=to_sign.pk).mayor_signed_by_id


def test_the_signing_page_answers_as_the_step_does(covenant, to_sign, client_for, outsider):
    assert client_for(outsider).get(sign_url(to_sign)).status_code == 404
    other = client_for(covenant.mayors["Heemstede"])
    assert other.get(sign_url(to_sign)).status_code == 403
    assert other.post(sign_url(to_sign), {"lock_version": to_sign.lock_version}).status_code == 403
    # Sending back has no confirmation page: a GET is still refused.
    mayor = client_for(covenant.mayors["Haarlem"])
    assert mayor.get(reverse("decision_sign", args=[to_sign.pk, "send-back"])).status_code == 405


def test_the_signing_page_keeps_where_it_came_from_and_no_other_site(covenant, to_sign, client_for):
    mayor = client_for(covenant.mayors["Haarlem"])
    detail = reverse("proposal_detail", args=[to_sign.proposal_id])
    page = mayor.get(sign_url(to_sign), {"next": detail}).content.decode()
    assert f'name="next" value="{detail}"' in page
    elsewhere = mayor.get(sign_url(to_sign), {"next": "https://example.org/"}).content.decode()
    assert (
        f'name="next" value="{reverse("my_signatures")}"' in elsewhere
        and 'href="https://example.org/"' not in elsewhere
    )
    response = mayor.post(sign_url(to_sign), {"lock_version": to_sign.lock_version, "next": detail})
    assert response.status_code == 302 and response.url == detail
