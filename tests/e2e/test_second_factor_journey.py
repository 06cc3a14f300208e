"""The coordinator sets up two-step verification in a real Chromium and logs in with it."""

import re
from base64 import b32decode

import pytest
from django.utils import translation
from django.utils.translation import gettext

from tests.e2e.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.e2e


def nl(msgid: str) -> str:
    with translation.override("nl"):
        return gettext(msgid)


def code_from(secret: str, *, later: int = 0) -> str:
    """What the coordinator's app shows for the secret typed into it (RFC 6238, 30 seconds, 6 digits)."""
    from django_otp.oath import totp

    return f"{totp(b32decode(secret), 30, 0, 6, later):06d}"


@pytest.fixture
def page(browser, live_server):
    # axe-core goes into the page as a script of its own, which the portal's Content Security Policy refuses.
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", bypass_csp=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_the_coordinator_sets_up_the_app_and_logs_in_with_it(demo_region, page, assert_accessible, screenshot_of):
    from playwright.sync_api import expect

    page.goto("/beheer/")
    expect(page).to_have_url(re.compile(r"/inloggen/\?next="))
    page.get_by_label("Gebruikersnaam").fill("coordinator")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    # Without an app the coordinator is sent to set one up, and back to the management site afterwards.
    expect(page.get_by_role("heading", name=nl("Set up two-step verification"))).to_be_visible()
    expect(
        page.get_by_role("img", name=nl("QR code that adds the regional portal to your authenticator app"))
    ).to_be_visible()
    # The QR code loads (an image that failed to load is complete with no width).
    page.wait_for_function("() => document.querySelector('img.utrecht-img').complete")
    assert page.evaluate("document.querySelector('img.utrecht-img').naturalWidth") > 0
    assert_accessible(page)
    screenshot_of(page, "second-factor-setup")
    secret = page.locator("#secret-key").inner_text().strip()
    field = page.get_by_label(nl("Code from your authenticator app"))
    assert field.get_attribute("autocomplete") == "one-time-code"
    assert field.get_attribute("inputmode") == "numeric"
    field.fill(code_from(secret))
    page.get_by_role("button", name=nl("Confirm")).click()

    expect(page.get_by_role("heading", name=nl("Two-step verification is set up"))).to_be_visible()
    page.get_by_role("button", name=nl("Make my recovery codes")).click()
    codes = page.get_by_role("list", name=nl("Your recovery codes")).get_by_role("listitem")
    expect(codes).to_have_count(10)
    stored = [text.strip() for text in codes.all_inner_texts()]
    assert_accessible(page)
    page.get_by_role("link", name=nl("I have stored the codes, continue")).click()
    expect(page).to_have_url("/beheer/")
    page.goto("/")
    page.get_by_role("button", name=nl("Log out")).click()
    expect(page).to_have_url("/inloggen/")

    # The next log-in asks for the code; a wrong one is refused, the app's next code lets the coordinator in.
    page.goto("/beheer/")
    page.get_by_label("Gebruikersnaam").fill("coordinator")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    code_field = page.get_by_label(nl("Code from your authenticator app"))
    expect(code_field).to_be_focused()
    assert_accessible(page)
    code_field.fill("000000" if code_from(secret, later=1) != "000000" else "111111")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text(nl("This code is not right. Check the code and try again.")).first).to_be_visible()
    page.wait_for_timeout(1500)  # django-otp pauses checking for a second after a wrong code
    # The code used at set-up is spent; the app shows the next one 30 seconds later (or now, one step on).
    page.get_by_label(nl("Code from your authenticator app")).fill(code_from(secret, later=1))
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url("/beheer/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert stored and all(code not in page.content() for code in stored)
