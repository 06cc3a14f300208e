"""Organisation log-in in Chromium on the demo region: the secretary of Haarlem chooses "Inloggen met Gemeente
Haarlem", logs in at her municipality's provider (django-oauth-toolkit in its own process), lands on her work,
and her log-out ends the session at the provider too."""

import re
import secrets

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from accounts.models import IdentityProvider
from municipalities.models import Municipality, Person
from tests.accounts.conftest import PROVIDER_PASSWORD
from tests.accounts.conftest import oidc_provider as oidc_provider  # the session fixture, shared

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def nl(msgid: str, **values) -> str:
    with translation.override("nl"):
        return gettext(msgid) % values


def test_a_secretary_logs_in_through_her_municipality_and_lands_on_her_work(
    demo_region,
    oidc_provider,
    live_server,
    page,
    settings,
    assert_accessible,
    screenshot,
):
    settings.OIDC_ALLOW_HTTP = True  # the test provider runs on plain http on the loopback
    secretary = Person.objects.get(user__username="secretaris")
    client_id, secret = f"portal-e2e-{secrets.token_hex(4)}", secrets.token_urlsafe(32)
    oidc_provider.add_client(client_id, secret, portal_url=live_server.url)
    username = oidc_provider.add_user(secretary.email)
    IdentityProvider.objects.create(
        name="Gemeente Haarlem",
        slug="haarlem",
        municipality=Municipality.objects.get(name="Haarlem"),
        enabled=True,
        issuer=oidc_provider.issuer,
        client_id=client_id,
        client_secret=secret,
        allowed_domains=secretary.email.rsplit("@", 1)[1],
    )

    page.goto("/inloggen/")
    assert_accessible(page)
    screenshot("login-with-organisation")
    page.get_by_role("link", name=nl("Log in with %(name)s", name="Gemeente Haarlem")).click()

    # At the provider's own page.
    expect(page).to_have_url(re.compile("^" + re.escape(oidc_provider.url)))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Log in at the provider").click()

    # Back in the portal, on her start page with her work.
    expect(page).to_have_url(f"{live_server.url}/")
    heading = nl("Welcome, %(name)s", name=secretary.given_name)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator(".portal-desk__entry").first).to_be_visible()
    assert_accessible(page)

    # Log-out ends both sessions: the provider asks for a log-in again.
    page.get_by_role("button", name=nl("Log out")).click()
    expect(page).to_have_url(f"{live_server.url}/inloggen/")
    page.get_by_role("link", name=nl("Log in with %(name)s", name="Gemeente Haarlem")).click()
    expect(page.get_by_label("Username")).to_be_visible()
