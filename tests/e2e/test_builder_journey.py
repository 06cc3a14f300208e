"""The secretary changes a published agenda in the builder, in a real Chromium against the demo region."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from meetings.models import AgendaItem, Purpose
from tests.e2e.conftest import SCREENSHOTS, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TITLES = ["Regionale woonagenda", "Stand van zaken crisisstructuur", "Evaluatie samenwerking"]


@pytest.fixture
def published(demo_region):
    body = demo_region.bodies["secretaries"]
    secretary = demo_region.people["Haarlem:municipal_secretary"].user
    meeting = body.meetings.open_for_items().first()
    for title in TITLES:
        meeting.add_item(version=None, by=secretary, title=title, purpose=Purpose.DISCUSSION)
    meeting.publish(by=secretary)
    return meeting


def regular(meeting) -> list[str]:
    items = meeting.items.filter(kind=AgendaItem.Kind.REGULAR).order_by("position")
    return list(items.values_list("title", flat=True))


def test_a_change_without_reason_is_explained_in_the_builder_and_one_reason_serves_two_moves(
    published, page, assert_accessible
):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, "secretaris")
    page.goto(f"/vergaderingen/{published.pk}/agenda/")
    agenda = page.locator("#agenda ol.portal-agenda")
    reason = page.get_by_label("Reden van de wijziging (addendum)")
    expect(reason).to_have_count(1)

    # A move without a reason: the message appears inside the builder; the page keeps its header and style.
    page.get_by_role("button", name=f"Omhoog: {TITLES[2]}").click()
    alert = page.locator("#agenda [role=alert] .utrecht-alert--error")
    expect(alert).to_contain_text("geef de reden van deze wijziging")
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agenda voorbereiden")
    assert page.evaluate("getComputedStyle(document.querySelector('.portal-header')).backgroundColor") != (
        "rgba(0, 0, 0, 0)"
    )
    expect(reason).to_be_focused()
    assert regular(published) == TITLES
    assert_accessible(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "builder-reason-missing.png", full_page=True)
    if Path("/tmp/h").is_dir():
        shutil.copy(SCREENSHOTS / "builder-reason-missing.png", "/tmp/h/forms-builder-error.png")

    # The reason, typed once, goes with two moves in a row and stays in its box.
    reason.fill("Spoedeisende punten eerst")
    page.get_by_role("button", name=f"Omhoog: {TITLES[2]}").click()
    expect(agenda.locator(":scope > li").nth(4)).to_contain_text(TITLES[2])
    expect(alert).to_have_count(0)
    page.get_by_role("button", name=f"Omhoog: {TITLES[2]}").click()
    expect(agenda.locator(":scope > li").nth(3)).to_contain_text(TITLES[2])
    expect(reason).to_have_value("Spoedeisende punten eerst")
    assert regular(published) == [TITLES[2], TITLES[0], TITLES[1]]
    assert list(published.addenda.values_list("reason", flat=True)) == ["Spoedeisende punten eerst"] * 2
    assert errors == []
