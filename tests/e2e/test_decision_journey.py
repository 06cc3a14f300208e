"""A regional proposal through every college, in a real Chromium against the demo region."""

import time

import pytest
from playwright.sync_api import expect

from decisions.demo import load_proposals
from decisions.models import CollegeDecision, DecisionPdf, RegionalProposal
from governance import demo
from meetings.demo import load_meetings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-wachtwoord"
TITLE = "Regionale aanpak energiearmoede"  # a draft in the demo region


@pytest.fixture
def region(transactional_db):
    region = demo.load(PASSWORD)
    load_meetings(region)
    load_proposals(region)
    return region


def log_in(page, username: str) -> None:
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url("/")


def nav(page, name: str):
    return page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=name)


def record(page, municipality: str, decision: str, reference: str) -> None:
    log_in(page, f"secretaris-{municipality.lower()}" if municipality != "Haarlem" else "secretaris")
    nav(page, "Vast te leggen").click()
    page.get_by_role("listitem").filter(has_text=TITLE).get_by_role("link", name="Besluit vastleggen").click()
    page.get_by_label(decision, exact=True).check()
    page.get_by_label("Kenmerk van het college").fill(reference)
    page.get_by_role("button", name="Opslaan en aan de burgemeester voorleggen").click()
    expect(page.get_by_text("wacht op goedkeuring van de burgemeester").first).to_be_visible()


def test_a_proposal_through_every_college(region, new_page, screenshot_of):
    # The coordinator (who manages the coordination meeting's proposals) adopts and sends it.
    coordinator = new_page()
    log_in(coordinator, "coordinator")
    nav(coordinator, "Regionale voorstellen").click()
    coordinator.get_by_label("Status").select_option(label="concept")
    coordinator.get_by_role("button", name="Filteren").click()
    coordinator.get_by_role("link", name=TITLE).click()
    coordinator.get_by_role("button", name="Vaststellen als regionaal standpunt").click()
    coordinator.get_by_role("button", name="Aan de colleges voorleggen").click()
    expect(coordinator.get_by_text("voorgelegd aan 4 colleges")).to_be_visible()

    # Two municipal secretaries record their college's decision; one mayor approves.
    record(new_page(), "Haarlem", "ingestemd", "2026/BW/0815")
    record(new_page(), "Heemstede", "niet ingestemd", "HS-2026-112")
    mayor = new_page()
    log_in(mayor, "burgemeester")
    nav(mayor, "Wacht op mijn goedkeuring").click()
    mayor.get_by_role("button", name=f"Goedkeuren: {TITLE}").click()
    expect(mayor.get_by_text("Goedgekeurd.")).to_be_visible()

    # The matrix shows the divergence, in words.
    nav(coordinator, "Regionale voorstellen").click()
    row = coordinator.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("wijkt af")
    expect(row).to_contain_text("niet ingestemd")
    screenshot_of(coordinator, "besluiten-matrix")

    # One click puts the reconciliation on the next agenda of the coordination meeting.
    row.get_by_role("link", name=TITLE).click()
    coordinator.get_by_role("button", name="Afstemming agenderen").click()
    expect(coordinator.get_by_text("De afstemming is agendapunt")).to_be_visible()

    # The approval queued the decision PDF; a real Celery worker renders it. (The
    # worker runs only now: SQLite's shared in-memory test database locks whole
    # tables, so it should not write while the browser does.)
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    proposal = RegionalProposal.objects.get(title=TITLE)
    haarlem = proposal.college_decisions.get(municipality__name="Haarlem")
    assert haarlem.review == CollegeDecision.Review.APPROVED
    with start_worker(app, perform_ping_check=False, shutdown_timeout=30):
        deadline = time.monotonic() + 60
        while not DecisionPdf.objects.filter(decision=haarlem).exists() and time.monotonic() < deadline:
            time.sleep(0.5)
    mayor.goto(f"/besluiten/{proposal.pk}/")
    with mayor.expect_download() as download:
        mayor.get_by_role("link", name="Besluit (PDF) Haarlem").click()
    assert download.value.suggested_filename.startswith("collegebesluit-GM0392")
