"""The confirmation pages of steps that cannot be undone, in a real Chromium against the demo region: reached
and answered by keyboard alone, and free of WCAG 2.1 A/AA violations (axe-core)."""

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from playwright.sync_api import expect

from decisions.models import RegionalProposal
from meetings.models import Meeting
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TITLE = "Regionale aanpak energiearmoede"  # a draft in the demo region, on a held meeting of its body
SCREENSHOTS = "/tmp/h"


def nl(text: str) -> str:
    with translation.override("nl"):
        return gettext(text)


def tab_to(page, name: str, limit: int = 120) -> None:
    """Presses Tab until the focused element is the link or button with that name."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => (document.activeElement.getAttribute('aria-label') || document.activeElement.innerText || '').trim()"
        )
        if focused == name:
            return
    raise AssertionError(f"{name!r} is not reachable with the Tab key")


def test_the_confirmation_pages_work_by_keyboard_and_pass_axe(demo_region, page, assert_accessible):
    log_in(page, "coordinator")

    # Publishing an agenda: the link on the meeting page, by keyboard, to the confirmation page.
    meeting = (
        Meeting.objects.filter(
            body=demo_region.bodies["administrative"], status=Meeting.Status.PLANNED, starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )
    page.goto(f"/vergaderingen/{meeting.pk}/")
    tab_to(page, "Agenda publiceren")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"/vergaderingen/{meeting.pk}/publish/")
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Publish the agenda?"))
    expect(page.get_by_role("heading", name=nl("What happens"))).to_be_visible()
    expect(page.get_by_role("main").get_by_role("list").first).to_contain_text(meeting.body.name)
    assert_accessible(page)
    page.screenshot(path=f"{SCREENSHOTS}/guards-publish.png", full_page=True)
    # "Terug" goes back without publishing.
    tab_to(page, "Terug")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"/vergaderingen/{meeting.pk}/")
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.PLANNED

    # Cancelling asks the reason on its page: the field has its label.
    page.goto(f"/vergaderingen/{meeting.pk}/cancel/")
    expect(page.get_by_label(nl("reason for cancelling"))).to_be_visible()
    assert_accessible(page)

    # Adopting the regional position: reached, confirmed and done by keyboard.
    proposal = RegionalProposal.objects.get(title=TITLE)
    page.goto(f"/besluiten/{proposal.pk}/")
    tab_to(page, "Vaststellen als regionaal standpunt")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"/besluiten/{proposal.pk}/adopt/")
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Adopt the regional position?"))
    expect(page.get_by_role("main").get_by_role("list").first).to_contain_text(proposal.body.name)
    assert_accessible(page)
    page.screenshot(path=f"{SCREENSHOTS}/guards-adopt.png", full_page=True)
    tab_to(page, nl("Yes, adopt"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"/besluiten/{proposal.pk}/")
    expect(page.get_by_text(nl("The regional position is adopted; the text is now frozen."))).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == RegionalProposal.Status.ADOPTED

    # The same page again says it already happened, with no button.
    page.goto(f"/besluiten/{proposal.pk}/adopt/")
    with translation.override("nl"):
        done = gettext("The regional position was already adopted on %(date)s.") % {
            "date": date_format(proposal.adopted_on)
        }
    expect(page.get_by_text(done)).to_be_visible()
    expect(page.get_by_role("button", name=nl("Yes, adopt"))).to_have_count(0)
    assert_accessible(page)
