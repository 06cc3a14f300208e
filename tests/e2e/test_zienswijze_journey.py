"""The shared zienswijze on a joint arrangement's draft budget, in a real Chromium against the demo region: the
finance portfolio-holders' secretary drafts the model, two griffiers record their council's zienswijze (one with
an extra point), and the overview and its PDF for the general board show both."""

import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from arrangements.models import CycleDocument
from tests.e2e.conftest import DEMO_PASSWORD, log_in, menu_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MODEL = [
    "De raad stemt in met de ontwerpbegroting van de GGD.",
    "De raad vraagt de GGD de jeugdgezondheidszorg niet te korten.",
]
EXTRA = "De raad vraagt de GGD de bijdrage per inwoner in 2028 niet te laten stijgen."


@pytest.fixture
def arrangements_region(transactional_db, database_snapshot):
    """The demo region with its meetings, proposals and joint arrangements (the budget cycle in progress)."""
    from arrangements.demo import load_arrangements
    from decisions.demo import load_proposals
    from governance import demo
    from meetings.demo import load_meetings

    def build():
        region = demo.load(DEMO_PASSWORD)
        load_meetings(region)
        load_proposals(region)
        load_arrangements(region)
        return region

    return database_snapshot(f"demo region with arrangements ({DEMO_PASSWORD})", build)


def record_zienswijze(page, municipality: str, text: str) -> None:
    page.get_by_role("link", name=municipality, exact=True).click()
    expect(page.get_by_role("heading", name="Modelzienswijze")).to_be_visible()
    today = timezone.localdate()
    page.get_by_label("Aan de raad voorgelegd op").fill((today - datetime.timedelta(days=7)).isoformat())
    page.locator("#id_status").select_option(label="gepland")
    page.get_by_label("Raadsdatum").fill(today.isoformat())
    page.locator("#id_outcome").select_option(label="zienswijze ingediend")
    page.get_by_label("Datum van de uitkomst").fill(today.isoformat())
    page.get_by_label("Wat de raad inbracht").fill(text)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Het raadstraject is opgeslagen.")).to_be_visible()


def test_a_model_zienswijze_two_councils_and_the_overview_for_the_general_board(
    arrangements_region, new_page, screenshot_of, assert_accessible
):
    region = arrangements_region
    # The GGD sent its draft budget two weeks ago and opened the councils' round (its own act, as in the demo).
    budget = CycleDocument.objects.get(
        arrangement__abbreviation="GGD", kind="draft_budget", year=timezone.localdate().year
    )
    coordinator = region.people["regional_coordinator"].user
    sent = timezone.localdate() - datetime.timedelta(weeks=2)
    budget.keep(
        lock_version=budget.lock_version,
        by=coordinator,
        sent_on=sent,
        board_meeting_on=sent + datetime.timedelta(weeks=12, days=3),
        model_body=region.bodies["pho:finance"],
    )
    budget.open_round(by=coordinator)

    # The finance portfolio-holders' secretary writes the model.
    secretary = new_page()
    log_in(secretary, "projectleider")
    menu_link(secretary, "Begrotingscyclus").click()
    expect(secretary.get_by_role("heading", level=1)).to_contain_text("Begrotingscyclus")
    assert_accessible(secretary)
    secretary.get_by_role("link", name=budget.title).click()
    secretary.get_by_role("link", name="Modelzienswijze schrijven").click()
    secretary.get_by_label("Modelzienswijze").fill("\n\n".join(MODEL))
    assert_accessible(secretary)
    secretary.get_by_role("button", name="Model opslaan").click()
    expect(secretary.get_by_text("De modelzienswijze is opgeslagen")).to_be_visible()
    expect(secretary.get_by_text(MODEL[1])).to_be_visible()

    # Haarlem's griffier follows the model; Heemstede's adds a point.
    for username, municipality, text in (
        ("griffier", "Haarlem", "\n\n".join(MODEL)),
        ("griffier-heemstede", "Heemstede", "\n\n".join([*MODEL, EXTRA])),
    ):
        griffier = new_page()
        log_in(griffier, username)
        griffier.goto(f"/regelingen/stukken/{budget.pk}/")
        record_zienswijze(griffier, municipality, text)
        griffier.goto(f"/regelingen/stukken/{budget.pk}/")

    # The overview counts both and shows the added point; the PDF for the general board too.
    summary = griffier.get_by_text("1 raad volgde het model, 1 volgde het en voegde een punt toe")
    expect(summary).to_be_visible()
    row = griffier.get_by_role("row").filter(has_text="Heemstede")
    expect(row).to_contain_text("volgde het model en voegde een punt toe")
    expect(row).to_contain_text(EXTRA)
    assert_accessible(griffier)
    screenshot_of(griffier, "zienswijzen-overzicht")
    pdf = griffier.request.get(f"/regelingen/stukken/{budget.pk}/zienswijzen.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    words = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).split())
    assert "Haarlem volgde het model" in words and "Heemstede volgde het model en voegde een punt toe" in words
    assert "bijdrage per inwoner in 2028" in words

    budget.refresh_from_db()
    heemstede = budget.proposal.council_tracks.get(municipality__name="Heemstede")
    assert heemstede.history.first().history_user.username == "griffier-heemstede"


def test_the_adoption_and_covenant_pages_of_the_demo_pass_axe(arrangements_region, new_page, assert_accessible):
    # Haarlem adopts the housing agenda in the demo: its secretary finds the advice on the proposal.
    secretary = new_page()
    log_in(secretary, "secretaris")
    menu_link(secretary, "Gemeenschappelijke regelingen").click()
    secretary.get_by_role("link", name="Adopties van Haarlem").click()
    expect(secretary.get_by_role("heading", level=1)).to_contain_text("Adopties van Haarlem in")
    assert_accessible(secretary)
    secretary.get_by_role("link", name="Regionale woonagenda 2027-2030").click()
    expect(secretary.get_by_role("heading", name="Adoptieregeling")).to_be_visible()
    expect(secretary.get_by_role("heading", name="Advies van Haarlem")).to_be_visible()
    assert_accessible(secretary)
    secretary.get_by_role("link", name="Het advies van Haarlem geven").click()
    expect(secretary.get_by_role("heading", level=1)).to_contain_text("Haarlem adopteert")
    assert_accessible(secretary)

    # The coordinator keeps the covenant: Velsen's request to join is in progress.
    coordinator = new_page()
    log_in(coordinator, "coordinator")
    menu_link(coordinator, "Gemeenschappelijke regelingen").click()
    coordinator.get_by_role("link", name="Zuid-Kennemerland").click()
    expect(coordinator.get_by_role("heading", name="Toetreding")).to_be_visible()
    expect(coordinator.get_by_role("link", name="Velsen")).to_be_visible()
    assert_accessible(coordinator)
