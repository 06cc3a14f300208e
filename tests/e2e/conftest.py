import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed (Debian package 'chromium'); browser journeys not run"
        # CI sets E2E_REQUIRED=1: there a missing browser fails, never a silent skip.
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the test's
    # own database calls are still synchronous, so Django may allow them here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def new_page(browser, live_server):
    """Pages in separate browser contexts: one per person, each with their own log-in."""
    contexts = []
    refused = []  # what the Content Security Policy refused, in any page of the journey (clicks and swaps too)

    def make():
        context = browser.new_context(base_url=live_server.url, locale="nl-NL")
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()

        def on_console(message) -> None:
            if "Content Security Policy" in message.text:
                where = message.location or {}
                if not where.get("url"):
                    # Code the test evaluated in the page itself (axe-core adds style elements of its own to read
                    # the style sheets); what the portal sends always has an address, its page's or its script's.
                    return
                source = f"{where.get('url') or '-'}:{where.get('lineNumber', '-')}:{where.get('columnNumber', '-')}"
                refused.append(f"{page.url}: {message.text} (from {source})")

        page.on("console", on_console)
        return page

    yield make
    for context in contexts:
        context.close()
    assert refused == [], "the Content Security Policy refused something during the journey"


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str) -> None:
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take


@pytest.fixture
def screenshot_of():
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def assert_accessible():
    """Runs axe-core (from npm, pinned in package-lock.json) on the page: WCAG 2.1 A and AA, no violations."""

    def check(page) -> None:
        # Evaluated through the browser's debugging protocol, which the page's Content Security Policy does not
        # govern (a <script> tag added to the page would be refused, as it should be).
        page.evaluate(AXE.read_text())
        tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
        result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
        violations = [
            f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
            for v in result["violations"]
        ]
        assert violations == [], page.url

    return check


DEMO_PASSWORD = "demo-wachtwoord"


@pytest.fixture
def demo_region(transactional_db, database_snapshot):
    """The demo region with its meetings and regional proposals, every log-in with DEMO_PASSWORD."""
    from decisions.demo import load_proposals
    from governance import demo
    from meetings.demo import load_meetings

    def build():
        region = demo.load(DEMO_PASSWORD)
        load_meetings(region)
        load_proposals(region)
        return region

    return database_snapshot(f"demo region, meetings, proposals ({DEMO_PASSWORD})", build)


def log_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    from playwright.sync_api import expect

    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    code = second_factor_code(username)
    page.get_by_role("button", name="Inloggen").click()
    if code is not None:
        page.locator('input[name="token-otp_token"]').fill(code)
        page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url("/")


def second_factor_code(username: str) -> str | None:
    """For an account that needs a second factor: its app (made here if it has none) and the code the app shows
    now; None for other accounts. The app forgets the last code it accepted, so two log-ins in one half minute
    both pass."""
    from django.contrib.auth import get_user_model
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.second_factor import second_factor_required

    user = get_user_model().objects.get(username=username)
    if not second_factor_required(user):
        return None
    device = TOTPDevice.objects.filter(user=user, name="default", confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def confirm(page, verb: str) -> None:
    """Presses "Ja, <verb>" on the confirmation page of a step that cannot be undone (`verb`: its msgid)."""
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("nl"):
        label = gettext(verb)
    page.get_by_role("button", name=label, exact=True).click()


def menu_link(page, name: str):
    """A link of the main menu, with its group opened first (by a click, as a person does)."""
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    group = nav.locator("details").filter(has=page.locator("a", has_text=name))
    if group.count() and group.first.get_attribute("open") is None:
        group.first.locator("summary").click()
    return nav.get_by_role("link", name=name)
