"""Woo publication in a real Chromium: a secretary publishes an agenda, an anonymous visitor finds it on the
public side (and through the public search), and the sitemap for the Woo index lists it."""

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from meetings.models import Meeting
from publication.models import Publication
from tests.e2e.conftest import DEMO_PASSWORD, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def region(transactional_db, database_snapshot):
    from governance import demo
    from meetings.demo import load_meetings, load_minutes
    from publication.demo import name_publishers

    def build():
        region = demo.load(DEMO_PASSWORD)
        load_meetings(region)
        load_minutes(region)
        name_publishers(region)
        return region

    return database_snapshot(f"demo region, meetings, minutes, publishers ({DEMO_PASSWORD})", build)


def test_a_published_agenda_reaches_the_public_side_and_the_sitemap(
    region, new_page, live_server, assert_accessible, screenshot_of
):
    meeting = (
        Meeting.objects.filter(body__name__startswith="Overleg gemeentesecretarissen", status=Meeting.Status.HELD)
        .order_by("-starts_at")
        .first()
    )
    item = meeting.items.filter(confidential=False, kind="regular").first()
    secret = meeting.items.filter(confidential=True).first()

    secretary = new_page()
    log_in(secretary, "secretaris")
    secretary.goto(f"/vergaderingen/{meeting.pk}/")
    panel = secretary.get_by_role("region", name="Openbaar onder de Woo: agenda")
    expect(panel).to_contain_text("Nog niet gepubliceerd")
    panel.get_by_role("button", name="Openbaar maken (Woo)").click()
    expect(secretary.get_by_text("Gepubliceerd aan de openbare kant")).to_be_visible()
    publication = Publication.objects.get(kind="agenda", meeting=meeting)

    visitor = new_page()
    visitor.goto("/openbaar/")
    assert_accessible(visitor)
    visitor.get_by_role("link", name=meeting.body.cooperation.name).click()
    visitor.get_by_role("link", name=meeting.body.name).click()
    assert_accessible(visitor)
    visitor.locator(f'a[href="/openbaar/vergadering/{meeting.pk}/"]').click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text(meeting.body.name)
    expect(visitor.get_by_text(item.title).first).to_be_visible()
    if secret is not None:
        expect(visitor.get_by_text(secret.title)).to_have_count(0)
    assert_accessible(visitor)
    screenshot_of(visitor, "public-meeting")
    # Keyboard: the skip link comes first and leads to the content.
    visitor.keyboard.press("Tab")
    expect(visitor.get_by_role("link", name="Direct naar de inhoud")).to_be_focused()

    try:
        search = reverse("public_search")
    except NoReverseMatch:
        search = None
    if search:
        visitor.goto(search)
        visitor.get_by_role("searchbox").fill(item.title.split()[0])
        visitor.keyboard.press("Enter")
        expect(visitor.get_by_role("link", name=item.title).first).to_be_visible()

    sitemap = visitor.request.get(f"{live_server.url}/sitemap.xml")
    assert sitemap.ok and "/sitemaps/woo-1.xml" in sitemap.text()
    page = visitor.request.get(f"{live_server.url}/sitemaps/woo-1.xml").text()
    assert f"/openbaar/publicatie/{publication.pk}/" in page and "diwoo:officieleTitel" in page
