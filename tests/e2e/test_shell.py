"""Journeys through the portal shell in a real Chromium."""

import pytest
from playwright.sync_api import expect

from governance import demo
from tests.e2e.conftest import menu_link, second_factor_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-wachtwoord"


@pytest.fixture
def region(transactional_db, database_snapshot):
    return database_snapshot(f"demo region ({PASSWORD})", lambda: demo.load(PASSWORD))


def log_in_with_keyboard(page, username: str) -> None:
    page.goto("/")
    expect(page).to_have_url("/inloggen/?next=/")
    expect(page.get_by_label("Gebruikersnaam")).to_be_focused()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Wachtwoord")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    code = second_factor_code(username)
    if code is not None:
        expect(page.locator('input[name="token-otp_token"]')).to_be_focused()
        page.keyboard.type(code)
        page.keyboard.press("Enter")
    expect(page).to_have_url("/")


def test_a_mayor_logs_in_with_the_keyboard_and_sees_offices_and_bodies(region, page, screenshot):
    log_in_with_keyboard(page, "burgemeester")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welkom, {region.people['Haarlem:mayor'].given_name}")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    offices = page.get_by_role("table", name="Ambten en functies die u vandaag bekleedt")
    expect(offices).to_contain_text("Burgemeester (ambt)")
    expect(offices).to_contain_text("Haarlem")
    bodies = page.get_by_role("table", name="Overleggen waarin u vandaag zit")
    expect(bodies).to_contain_text("Bestuurlijk afstemmingsoverleg Kennemerland")
    expect(bodies).to_contain_text("Voorzitter")
    expect(page.locator("summary", has_text="Beheer")).to_have_count(0)
    # The menu's groups open and close by keyboard: Enter on a group shows its links, Escape closes it again.
    group = page.locator("summary", has_text="Besluiten")
    group.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Regionale voorstellen")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Regionale voorstellen")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Regionale voorstellen")).to_be_hidden()
    expect(group).to_be_focused()
    # The theme's CSS is served and applied: the header carries the region's colour.
    header_colour = page.locator("header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header_colour == "rgb(11, 79, 108)"
    screenshot("home-burgemeester")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="My offices")).to_be_visible()
    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("heading", name="Mijn ambten")).to_be_visible()

    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")


def test_the_coordinator_reaches_management_and_gets_a_dutch_error_for_a_wrong_cbs_code(region, page, screenshot):
    log_in_with_keyboard(page, "coordinator")
    menu_link(page, "Beheersite").click()
    expect(page.get_by_text("Regioportaal: beheer")).to_be_visible()
    page.goto("/beheer/municipalities/municipality/add/")
    page.get_by_label("Naam").fill("Nieuwegemeente")
    page.get_by_label("CBS-code").fill("0392")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_text("Een CBS-code is 'GM' gevolgd door vier cijfers")).to_be_visible()
    expect(page.get_by_label("Naam")).to_have_value("Nieuwegemeente")
    screenshot("beheer-cbs-fout")


def test_a_secretary_is_refused_the_management_site(region, page):
    log_in_with_keyboard(page, "secretaris")
    response = page.goto("/beheer/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
