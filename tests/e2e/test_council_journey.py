"""A griffier plans and records the council's involvement, in a real Chromium against the demo region."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from decisions.demo import load_proposals
from decisions.models import CouncilTrack
from governance import demo
from meetings.demo import load_meetings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-wachtwoord"
PROPOSAL = "Instelling bestuurlijk afstemmingsoverleg"  # decided by every college; the councils still to come


@pytest.fixture
def region(transactional_db):
    region = demo.load(PASSWORD)
    load_meetings(region)
    load_proposals(region)
    return region


def test_a_griffier_plans_and_records_the_council_and_sees_a_late_council(region, page, screenshot_of):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("griffier")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Griffie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wat er naar mijn raad komt")

    # Another council received the housing agenda outside the window: the dashboard says so.
    housing = page.get_by_role("row").filter(has_text="Regionale woonagenda 2027-2030")
    expect(housing).to_contain_text("Zandvoort")
    expect(housing).to_contain_text("buiten het venster")

    # Plan the council dates for a proposal.
    today = timezone.localdate()
    committee, council = today + datetime.timedelta(weeks=6), today + datetime.timedelta(weeks=8)
    page.get_by_role("link", name=f"Plannen: {PROPOSAL} (Haarlem)").click()
    page.get_by_label("Betrokkenheid").select_option(label="wensen en bedenkingen")
    page.get_by_label("Status").select_option(label="gepland")
    page.get_by_label("Commissiedatum").fill(committee.isoformat())
    page.get_by_label("Raadsdatum").fill(council.isoformat())
    page.get_by_label("Aan de raad voorgelegd op").fill(today.isoformat())
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het raadstraject is opgeslagen.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=PROPOSAL)
    college = council - datetime.timedelta(weeks=6)
    expect(row).to_contain_text(f"college: {college.day} ")

    # Record the committee, then the council's outcome.
    page.get_by_role("link", name=f"Plannen: {PROPOSAL} (Haarlem)").click()
    page.get_by_label("Status").select_option(label="besloten door de raad")
    page.locator("#id_outcome").select_option(label="aangenomen")
    page.get_by_label("Datum van de uitkomst").fill(council.isoformat())
    page.get_by_label("Moties en amendementen").fill("Motie 7 over de evaluatie aangenomen.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het raadstraject is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=PROPOSAL)).to_contain_text("aangenomen")
    screenshot_of(page, "griffie")

    track = CouncilTrack.objects.get(proposal__title=PROPOSAL, municipality__name="Haarlem")
    assert (track.status, track.outcome, track.council_date) == ("decided", "adopted", council)
    history = list(track.history.all())
    assert len(history) == 3  # sent, planned, decided: every change kept, with who and when
    assert history[0].history_user.username == "griffier"
