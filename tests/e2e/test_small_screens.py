"""The portal on a phone (320 px) and a tablet (768 px), in a real Chromium against the demo region: the page
never scrolls sideways, a wide table scrolls inside its own focusable region, and no word breaks letter by
letter."""

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGE_WIDTH = "document.documentElement.scrollWidth"
# Per table header cell: how many lines its text takes against how many words it has.
LINES_AND_WORDS = """() => [...document.querySelectorAll('table th')].filter(th => th.innerText.trim()).map(th => {
    const range = document.createRange();
    range.selectNodeContents(th);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
    return [th.innerText.trim(), lines, th.innerText.trim().split(/\\s+/).length];
})"""


def words_stay_whole(page) -> None:
    broken = [text for text, lines, words in page.evaluate(LINES_AND_WORDS) if lines > words]
    assert broken == [], f"header cells broken inside a word on {page.url}"


def test_every_main_page_fits_a_phone_and_wide_tables_scroll_in_their_own_region(
    demo_region, page, screenshot_of, assert_accessible
):
    meeting = Meeting.objects.filter(body=demo_region.bodies["secretaries"]).order_by("starts_at").first()
    page.set_viewport_size({"width": 320, "height": 800})
    log_in(page, "coordinator")
    pages = {
        "start": "/",
        "proposal-matrix": "/besluiten/",
        "council-matrix": "/raden/",
        "griffier-dashboard": "/griffie/",
        "meeting": f"/vergaderingen/{meeting.pk}/",
    }
    for name, path in pages.items():
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate(PAGE_WIDTH) <= 320, f"{path} scrolls sideways at 320 px"
        words_stay_whole(page)
        screenshot_of(page, f"small-screen-320-{name}")
        assert_accessible(page)

    # The proposal matrix is wider than the phone: it scrolls within its region, which the keyboard reaches.
    page.goto("/besluiten/")
    matrix = page.get_by_role("region", name="Voorstellen en collegebesluiten")
    expect(matrix).to_have_attribute("tabindex", "0")
    assert matrix.evaluate("el => el.scrollWidth > el.clientWidth")
    matrix.focus()
    expect(matrix).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=matrix.element_handle())
    assert page.evaluate(PAGE_WIDTH) <= 320


def test_the_matrix_on_a_tablet_keeps_the_proposal_column_in_view(demo_region, page, screenshot_of):
    page.set_viewport_size({"width": 768, "height": 1024})
    log_in(page, "coordinator")
    page.goto("/besluiten/")
    matrix = page.get_by_role("region", name="Voorstellen en collegebesluiten")
    assert matrix.evaluate("el => el.scrollWidth > el.clientWidth"), "the matrix fits; nothing to scroll"
    assert page.evaluate(PAGE_WIDTH) <= 768
    words_stay_whole(page)
    first_column = matrix.get_by_role("rowheader").first
    left_before = first_column.bounding_box()["x"]
    matrix.evaluate("el => { el.scrollLeft = 300; }")
    page.wait_for_function("el => el.scrollLeft > 0", arg=matrix.element_handle())
    # The other columns moved; the proposal titles stayed where they were.
    assert abs(first_column.bounding_box()["x"] - left_before) < 1
    expect(first_column.get_by_role("link")).to_be_visible()
    screenshot_of(page, "small-screen-768-proposal-matrix-scrolled")
