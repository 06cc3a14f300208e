"""A griffier records the council's wishes and objections and follows the deadlines, in a real Chromium
against the demo region."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from decisions.demo import SEED_000
from decisions.models import CouncilTrack
from tests.e2e.conftest import log_in, menu_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PROPOSAL = SEED_000["title"]  # Haarlem's council has the intended decision for its wishes and objections


def test_a_griffier_records_the_councils_wishes_and_sees_what_comes_next(
    demo_region, page, screenshot_of, assert_accessible
):
    log_in(page, "griffier")
    menu_link(page, "Griffie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat er naar mijn raad komt")

    # Another council meets outside the window on the housing agenda: the dashboard says so in words.
    housing = page.get_by_role("row").filter(has_text="Regionale woonagenda 2027-2030")
    expect(housing).to_contain_text("Zandvoort")
    expect(housing).to_contain_text("buiten het venster")

    # The seed proposal waits for this council; every date is shown with its name.
    row = page.get_by_role("row").filter(has_text=PROPOSAL)
    expect(row).to_contain_text("wensen en bedenkingen van de raad (griffier)")
    track = CouncilTrack.objects.get(proposal__title=PROPOSAL, municipality__name="Haarlem")
    expect(row).to_contain_text(f"Raad: {track.council_date.day} ")
    expect(row).to_contain_text("Raadsvenster sluit")
    assert_accessible(page)

    # An outcome of another kind of involvement is refused with the ones that fit.
    today = timezone.localdate().isoformat()
    page.get_by_role("link", name=f"Plannen: {PROPOSAL} (Haarlem)").click()
    expect(page.get_by_text("Volgende stap: wensen en bedenkingen van de raad")).to_be_visible()
    page.locator("#id_outcome").select_option(label="toestemming verleend")
    page.get_by_label("Datum van de uitkomst").fill(today)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#id_outcome_error").get_by_text("is geen uitkomst van wensen en bedenkingen")).to_be_visible()
    assert_accessible(page)

    # The council's wishes and objections, as the council gave them.
    page.locator("#id_outcome").select_option(label="wensen en bedenkingen geuit")
    page.get_by_label("Datum van de uitkomst").fill(today)
    page.get_by_label("Wat de raad inbracht").fill("De raad wil dat de raden jaarlijks worden geïnformeerd.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het raadstraject is opgeslagen.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=PROPOSAL)
    expect(row).to_contain_text("wensen en bedenkingen geuit")
    expect(row).to_contain_text("definitief besluit van het college (gemeentesecretaris)")
    screenshot_of(page, "griffie")

    track.refresh_from_db()
    assert (track.status, track.outcome) == ("decided", "wishes_expressed")
    latest = track.history.first()
    assert latest.history_user.username == "griffier"  # who and when, kept with every change
