"""The idle time-out in a real Chromium: the warning, staying logged in, and typing that survives a time-out."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DEMO_PASSWORD
from tests.factories import OfficeFactory, PersonFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"
# 15 seconds of idle time: the warning comes halfway (in production two minutes before the end).
IDLE_MINUTES = 0.25


@pytest.fixture
def secretary(transactional_db, settings):
    settings.SESSION_IDLE_MINUTES = IDLE_MINUTES
    person = PersonFactory(with_login=True)
    OfficeFactory(person=person)
    return person.user


def log_in(page, username: str, next_path: str = "") -> None:
    page.goto("/inloggen/" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def still_logged_in(page) -> bool:
    return page.evaluate("async () => (await fetch('/account/sessie/')).status") == 200


def test_the_warning_staying_logged_in_and_typing_kept_over_a_time_out(secretary, page, screenshot_of):
    log_in(page, secretary.username, "/indienen/")
    expect(page).to_have_url("/indienen/")

    # The warning: a modal dialog that takes the focus, with the safe choice focused.
    dialog = page.get_by_role("alertdialog", name="U wordt over 2 minuten uitgelogd")
    expect(dialog).to_be_visible(timeout=15_000)
    stay = dialog.get_by_role("button", name="Ingelogd blijven")
    expect(stay).to_be_focused()
    expect(dialog.get_by_role("button", name="Uitloggen")).to_be_visible()
    screenshot_of(page, "sessie-waarschuwing")

    # Staying logged in (by keyboard) starts the idle time again on the server.
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()

    # Typing, then no request until the session has ended: the page stays, with the text.
    page.get_by_label("Titel").fill("Regionale woonagenda 2027")
    page.get_by_label("Toelichting").fill("De colleges wordt gevraagd de woonagenda vast te stellen.")
    page.wait_for_timeout(9_000)  # past the moment the session would have ended without staying
    assert still_logged_in(page)
    expired = page.get_by_role("alertdialog", name="U bent uitgelogd")
    expect(expired).to_be_visible(timeout=30_000)
    expect(expired).to_contain_text("Wat u typte staat nog op deze pagina")
    expect(page).to_have_url("/indienen/")
    expect(page.get_by_label("Toelichting")).to_have_value("De colleges wordt gevraagd de woonagenda vast te stellen.")
    assert not still_logged_in(page)
    screenshot_of(page, "sessie-verlopen")

    # Logging in again brings the person back to the page, with what they typed back in the form.
    expired.get_by_role("link", name="Opnieuw inloggen").click()
    expect(page.get_by_text("U bent uitgelogd omdat u het portaal")).to_be_visible()
    page.get_by_label("Gebruikersnaam").fill(secretary.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url("/indienen/")
    expect(page.get_by_label("Titel")).to_have_value("Regionale woonagenda 2027")
    expect(page.get_by_label("Toelichting")).to_have_value("De colleges wordt gevraagd de woonagenda vast te stellen.")
    restored = page.get_by_role("status").filter(has_text="Wat u typte voordat u werd uitgelogd, is teruggezet.")
    expect(restored).to_be_visible()
    # Put back once: a reload shows the empty form.
    page.reload()
    expect(page.get_by_label("Titel")).to_have_value("")


def test_a_page_without_typing_goes_to_the_log_in_page_and_back(secretary, page):
    log_in(page, secretary.username)
    page.goto("/meldingen/")
    expect(page).to_have_url("/inloggen/?next=%2Fmeldingen%2F", timeout=30_000)
    expect(page.get_by_text("U bent uitgelogd omdat u het portaal")).to_be_visible()


def test_activity_in_another_tab_counts(secretary, new_page):
    first = new_page()
    log_in(first, secretary.username)
    first.goto("/meldingen/")
    second = first.context.new_page()
    # The other tab keeps using the portal; the first never warns and stays logged in.
    for _ in range(4):
        second.goto("/meldingen/")
        first.wait_for_timeout(5_000)
    expect(first.get_by_role("alertdialog")).to_be_hidden()
    expect(first).to_have_url("/meldingen/")


@pytest.fixture
def minutes_region(transactional_db, database_snapshot, settings):
    from governance import demo
    from meetings.demo import load_meetings, load_minutes

    def build():
        region = demo.load(DEMO_PASSWORD)
        load_meetings(region)
        load_minutes(region)
        return region

    region = database_snapshot(f"demo region, meetings, minutes ({DEMO_PASSWORD})", build)
    settings.SESSION_IDLE_MINUTES = IDLE_MINUTES
    return region


def test_minutes_typed_while_they_could_not_be_saved_survive_a_time_out(minutes_region, page):
    from meetings.models import MinutesItem
    from tests.e2e.conftest import log_in as log_in_demo

    held = minutes_region.bodies["secretaries"].meetings.past()[1]
    log_in_demo(page, "secretaris")
    page.goto(f"/vergaderingen/{held.pk}/verslag/")
    # The saves do not reach the portal (a lost connection): the text is kept in this browser only.
    page.route("**/verslagpunten/**", lambda route: route.abort())
    text = "Het overleg vraagt de projectleider om een planning per gemeente."
    discussion = page.get_by_label("Bespreking").nth(3)
    discussion.fill(text)
    expect(page.locator(".portal-save-status").nth(3)).to_contain_text("Niet opgeslagen", timeout=10_000)

    # The session ends; the page stays, with the text.
    expired = page.get_by_role("alertdialog", name="U bent uitgelogd")
    expect(expired).to_be_visible(timeout=30_000)
    expect(page.get_by_label("Bespreking").nth(3)).to_have_value(text)

    # The connection is back; after logging in again the minutes page has the text and saves it.
    page.unroute("**/verslagpunten/**")
    expired.get_by_role("link", name="Opnieuw inloggen").click()
    page.get_by_label("Gebruikersnaam").fill("secretaris")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(f"/vergaderingen/{held.pk}/verslag/")
    expect(page.get_by_label("Bespreking").nth(3)).to_have_value(text)
    expect(page.locator(".portal-save-status").nth(3)).to_contain_text("Opgeslagen om", timeout=10_000)
    assert MinutesItem.objects.filter(minutes__meeting=held, discussion=text).exists()


def test_my_sessions_and_the_warning_meet_wcag(secretary, browser, live_server, assert_accessible):
    # axe-core is put into the page as an inline script, which the Content Security Policy refuses otherwise.
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, secretary.username, "/account/sessies/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn sessies")
    expect(page.get_by_text("(deze sessie)")).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_role("alertdialog")).to_be_visible(timeout=15_000)
    assert_accessible(page)
    context.close()
