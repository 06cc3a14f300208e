"""The Content Security Policy in a real Chromium: the log-in page and its links, then every demo role logs in
and visits every kind of page it can reach by following links from its start page (the coordinator also the
management site: its index, every changelist, a change and an add form per model, a related-object pop-up,
the date widgets and an autocomplete), and the browser reports no violation of the policy and no error in the
Permissions-Policy."""

from collections import deque
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from governance.demo import LOGINS
from tests.conftest import whole_demo_region
from tests.e2e.conftest import DEMO_PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Not pages: downloads, the log-out, and pages that change something when visited.
NOT_VISITED = {
    "logout",
    "set_language",
    "admin:logout",
    "admin:jsi18n",
    "admin:view_on_site",
    "admin:autocomplete",
    # Calendar files (text/calendar): a browser downloads them.
    "public_body_feed",
    "personal_feed",
}
NOT_VISITED_ENDINGS = ("_pdf", "_download", "_delete")
# One page per kind (URL name) is enough; a role rarely has more kinds than this.
MAX_PAGES_PER_ROLE = 40
MAX_ADMIN_PAGES = 90

LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolation([event.effectiveDirective, event.blockedURI, event.sourceFile, event.lineNumber,
    document.location.pathname, event.disposition]);
});
"""
LINKS = "() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"


@pytest.fixture
def region(transactional_db, database_snapshot):
    return whole_demo_region(database_snapshot, DEMO_PASSWORD)


def kind_of(href: str | None) -> tuple[str, str] | None:
    """The path of a link within the portal and the name of its page, or None for what is not visited."""
    if not href or href.startswith(("#", "mailto:", "tel:")):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    try:
        name = resolve(parts.path).view_name
    except Resolver404:
        return None
    if name in NOT_VISITED or name.endswith(NOT_VISITED_ENDINGS) or (name.startswith("admin:") and "_popup" in href):
        return None
    return href.split("#")[0], name


def sweep(page, start: str, limit: int, admin: bool) -> list[str]:
    """Visits the pages reachable from `start`, one per kind; returns the paths visited."""
    queue, seen_kinds, visited = deque([start]), {resolve(start).view_name}, []
    while queue and len(visited) < limit:
        path = queue.popleft()
        page.goto(path)
        page.wait_for_load_state("load")
        visited.append(path)
        for href in page.evaluate(LINKS):
            found = kind_of(href)
            if found is None:
                continue
            link, name = found
            if name.startswith("admin:") != admin or name in seen_kinds:
                continue
            seen_kinds.add(name)
            queue.append(link if link.startswith("/") else urlsplit(page.url).path.rsplit("/", 1)[0] + "/" + link)
    return visited


def complaints(who: str, text: str) -> list[tuple[str, str]]:
    """A console message about the policy (also one that no securitypolicyviolation event reached, such as a
    blocked form-action redirect) or about the Permissions-Policy header."""
    return [(who, text)] if "Content Security Policy" in text or "Permissions-Policy" in text else []


def admin_widgets(page) -> None:
    """The parts of the management site that build the page with script: a related-object pop-up, the
    calendar and clock of a date widget, an autocomplete's drop-down."""
    page.goto("/beheer/municipalities/office/add/")
    page.wait_for_load_state("load")
    page.locator("a[id^='calendarlink']").first.click()
    page.locator(".calendarbox").first.wait_for()
    with page.expect_popup() as popup:
        page.locator("a.related-widget-wrapper-link.add-related").first.click()
    popup.value.wait_for_load_state("load")
    popup.value.close()
    page.locator(".select2-selection").first.click()
    page.locator(".select2-results__option").first.wait_for()


def test_no_page_of_any_role_violates_the_content_security_policy(region, new_page):
    problems, visited = [], {}
    for username, _, _ in LOGINS:
        page = new_page()
        page.expose_function("cspViolation", lambda report, who=username: problems.append((who, report)))
        page.add_init_script(LISTEN)
        page.on("console", lambda message, who=username: problems.extend(complaints(who, message.text)))
        if not visited:
            # Before any log-in: the log-in page and what it links to (the password reset).
            visited["anonymous"] = sweep(page, "/inloggen/", 10, admin=False)
        log_in(page, username)
        visited[username] = sweep(page, "/", MAX_PAGES_PER_ROLE, admin=False)
        if username == "coordinator":
            visited["coordinator (admin)"] = sweep(page, "/beheer/", MAX_ADMIN_PAGES, admin=True)
            admin_widgets(page)
        page.context.close()

    assert problems == [], "\n".join(sorted({f"{who}: {report}" for who, report in problems}))
    # The sweep saw what each role has: a role with an office reaches more than its start page.
    assert len(visited["coordinator"]) >= 15, visited["coordinator"]
    assert len(visited["secretaris"]) >= 10, visited["secretaris"]
    assert len(visited["coordinator (admin)"]) >= 20, visited["coordinator (admin)"]
    assert {path for pages in visited.values() for path in pages if "/verslagen/" in path}
    assert visited["anonymous"][0] == "/inloggen/"
