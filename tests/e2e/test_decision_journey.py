"""A regional proposal through the decision chain, in a real Chromium against the demo region: wishes and
objections in Haarlem and consent in Heemstede; the intended decision, the council's say, the definitive
decision refused before it and accepted after; the loco-burgemeester signs; the PDF downloads."""

import io
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from decisions.models import CollegeDecision, DecisionPdf, RegionalProposal
from tests.e2e.conftest import confirm, log_in, menu_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TITLE = "Regionale aanpak energiearmoede"  # a draft in the demo region, on a held meeting of its body


def nav(page, name: str):
    return menu_link(page, name)


def open_track(page, municipality: str, choose: bool = False) -> None:
    nav(page, "Griffie").click()
    if choose:  # the coordinator keeps every council's tracks and chooses one
        page.get_by_label("Gemeente").select_option(label=municipality)
        page.get_by_role("button", name="Filteren").click()
    page.get_by_role("link", name=f"Plannen: {TITLE} ({municipality})").click()


def item_of(page):
    return page.get_by_role("listitem").filter(has_text=TITLE)


def save_track(page) -> None:
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het raadstraject is opgeslagen.")).to_be_visible()


def test_wishes_and_objections_then_the_definitive_decision_signed_by_the_loco_burgemeester(
    demo_region, new_page, screenshot_of, assert_accessible
):
    today = timezone.localdate().isoformat()

    # The coordinator adopts the position (in the held meeting it was on) and sends it to the colleges.
    coordinator = new_page()
    log_in(coordinator, "coordinator")
    nav(coordinator, "Regionale voorstellen").click()
    coordinator.get_by_label("Status").select_option(label="concept")
    coordinator.get_by_role("button", name="Filteren").click()
    coordinator.get_by_role("link", name=TITLE).click()
    coordinator.get_by_role("link", name="Vaststellen als regionaal standpunt").click()
    confirm(coordinator, "Yes, adopt")
    expect(coordinator.get_by_text("in de vergadering van")).to_be_visible()
    coordinator.get_by_role("link", name="Aan de colleges voorleggen").click()
    confirm(coordinator, "Yes, send")
    expect(coordinator.get_by_text("voorgelegd aan 4 colleges")).to_be_visible()
    assert_accessible(coordinator)

    # Haarlem's council gives wishes and objections; Heemstede's is asked for consent.
    griffier = new_page()
    log_in(griffier, "griffier")
    open_track(griffier, "Haarlem")
    griffier.get_by_label("Betrokkenheid").select_option(label="wensen en bedenkingen")
    save_track(griffier)
    open_track(coordinator, "Heemstede", choose=True)
    coordinator.get_by_label("Betrokkenheid").select_option(label="toestemming")
    save_track(coordinator)

    # The secretary records the intended decision.
    secretary = new_page()
    log_in(secretary, "secretaris")
    nav(secretary, "Vast te leggen").click()
    item_of(secretary).get_by_role("link", name="Voorgenomen besluit vastleggen").click()
    assert_accessible(secretary)
    secretary.get_by_label("Kenmerk van het college").fill("2026/BW/V/0815")
    secretary.get_by_role("button", name="Voorgenomen besluit opslaan").click()
    expect(secretary.get_by_text("Het voorgenomen besluit is vastgelegd")).to_be_visible()
    haarlem_row = secretary.get_by_role("row").filter(has_text="Haarlem")
    expect(haarlem_row).to_contain_text("voorgenomen besluit")
    expect(haarlem_row).to_contain_text("het voorgenomen besluit aan de raad sturen")

    # The griffier sends it to the council.
    open_track(griffier, "Haarlem")
    griffier.get_by_label("Aan de raad voorgelegd op").fill(today)
    save_track(griffier)

    # The definitive decision is refused while the council has not had its say.
    nav(secretary, "Vast te leggen").click()
    item_of(secretary).get_by_role("link", name="Besluit vastleggen").click()
    expect(secretary.get_by_text("Nog niet mogelijk")).to_be_visible()
    assert_accessible(secretary)
    secretary.get_by_label("ingestemd", exact=True).check()
    secretary.get_by_label("Kenmerk van het college").fill("2026/BW/0815")
    secretary.get_by_role("button", name="Opslaan en ter ondertekening aanbieden").click()
    expect(secretary.get_by_text("art. 169 lid 4 Gemeentewet").first).to_be_visible()
    assert_accessible(secretary)
    decision = CollegeDecision.objects.get(proposal__title=TITLE, municipality__name="Haarlem")
    assert decision.outcome == CollegeDecision.Outcome.PENDING

    # The council gives its wishes and objections; the griffier records them.
    open_track(griffier, "Haarlem")
    griffier.locator("#id_outcome").select_option(label="wensen en bedenkingen geuit")
    griffier.get_by_label("Datum van de uitkomst").fill(today)
    griffier.get_by_label("Wat de raad inbracht").fill("Betrek de woningcorporaties bij de uitvoering.")
    save_track(griffier)
    screenshot_of(griffier, "griffie-wensen-en-bedenkingen")

    # Now the definitive decision is accepted.
    nav(secretary, "Vast te leggen").click()
    item_of(secretary).get_by_role("link", name="Besluit vastleggen").click()
    expect(secretary.get_by_text("Betrek de woningcorporaties bij de uitvoering.")).to_be_visible()
    secretary.get_by_label("ingestemd", exact=True).check()
    secretary.get_by_label("Kenmerk van het college").fill("2026/BW/0815")
    secretary.get_by_role("button", name="Opslaan en ter ondertekening aanbieden").click()
    expect(secretary.get_by_text("wacht op de handtekeningen")).to_be_visible()

    # The mayor is away: the loco-burgemeester reads the decision and signs; the secretary co-signs.
    loco = new_page()
    log_in(loco, "wethouder")
    nav(loco, "Te ondertekenen").click()
    assert_accessible(loco)
    concept = item_of(loco).get_by_role("link", name="Besluit lezen (pdf)").get_attribute("href")
    concept_response = loco.request.get(concept)
    assert concept_response.ok and concept_response.body().startswith(b"%PDF")
    loco.get_by_role("link", name=f"Ondertekenen: {TITLE}").click()
    confirm(loco, "Yes, sign")
    expect(loco.get_by_text("wacht nu op de medeondertekening door de secretaris")).to_be_visible()
    nav(secretary, "Te ondertekenen").click()
    secretary.get_by_role("link", name=f"Ondertekenen: {TITLE}").click()
    confirm(secretary, "Yes, sign")
    expect(secretary.get_by_text("Het besluit is definitief")).to_be_visible()
    screenshot_of(secretary, "te-ondertekenen")

    # Signing queued the decision PDF; a real Celery worker renders it. (The worker runs only now: SQLite's
    # shared in-memory test database locks whole tables, so it should not write while the browser does.)
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    decision.refresh_from_db()
    assert decision.is_final and decision.mayor_signed_as == "loco_mayor"
    with start_worker(app, perform_ping_check=False, shutdown_timeout=30):
        deadline = time.monotonic() + 60
        while not DecisionPdf.objects.filter(decision=decision, stage="definitive").exists():
            assert time.monotonic() < deadline, "the decision PDF was not rendered within 60 s"
            time.sleep(0.5)
    proposal = RegionalProposal.objects.get(title=TITLE)
    secretary.goto(f"/besluiten/{proposal.pk}/")
    screenshot_of(secretary, "voorstel-besluitketen")
    assert_accessible(secretary)
    with secretary.expect_download() as download:
        secretary.get_by_role("link", name="Besluit (PDF) Haarlem").click()
    assert download.value.suggested_filename.startswith("collegebesluit-GM0392")
    with open(download.value.path(), "rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert "de loco-burgemeester," in " ".join(text.split())
    # Heemstede's college still waits for its council's consent; the outcome is not known.
    expect(secretary.get_by_text("nog niet bekend (1 van 4 besloten)")).to_be_visible()
