"""Who sees what, in a real Chromium against the demo region: a college decision stays Heemstede's own until
it is signed, and the Haarlem griffier reads the administrative meeting's published agenda."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting, Purpose
from tests.e2e.conftest import confirm, log_in, menu_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TITLE = "Gezamenlijke inkoop jeugdhulp 2027"  # adopted in the demo, not yet sent
MOTIVATION = "Heemstede koopt de jeugdhulp al samen met Bloemendaal in."


def open_proposal(page) -> None:
    menu_link(page, "Regionale voorstellen").click()
    page.get_by_role("link", name=TITLE).click()


def test_a_decision_is_heemstedes_own_until_signed_and_the_griffier_reads_the_agenda(
    demo_region, new_page, screenshot_of, assert_accessible
):
    coordinator = new_page()
    log_in(coordinator, "coordinator")
    open_proposal(coordinator)
    coordinator.get_by_role("link", name="Aan de colleges voorleggen").click()
    confirm(coordinator, "Yes, send")
    expect(coordinator.get_by_text("voorgelegd aan 4 colleges")).to_be_visible()

    # Heemstede's secretary records "niet ingestemd".
    heemstede = new_page()
    log_in(heemstede, "secretaris-heemstede")
    menu_link(heemstede, "Vast te leggen").click()
    heemstede.get_by_role("listitem").filter(has_text=TITLE).get_by_role("link", name="Besluit vastleggen").click()
    heemstede.get_by_label("niet ingestemd", exact=True).check()
    heemstede.get_by_label("Kenmerk van het college").fill("HS-2026-112")
    heemstede.get_by_label("Motivering").fill(MOTIVATION)
    heemstede.get_by_role("button", name="Opslaan en ter ondertekening aanbieden").click()
    expect(heemstede.get_by_text("wacht op de handtekeningen")).to_be_visible()

    # Zandvoort's secretary sees that Heemstede's decision is in progress, not what it is.
    zandvoort = new_page()
    log_in(zandvoort, "secretaris-zandvoort")
    open_proposal(zandvoort)
    row = zandvoort.get_by_role("row").filter(has_text="Heemstede")
    expect(row).to_contain_text("in behandeling")
    expect(zandvoort.get_by_text(MOTIVATION)).to_have_count(0)
    expect(zandvoort.get_by_text("HS-2026-112")).to_have_count(0)
    screenshot_of(zandvoort, "in-behandeling")
    assert_accessible(zandvoort)

    # Heemstede's mayor signs and the secretary co-signs: now Zandvoort sees it.
    mayor = new_page()
    log_in(mayor, "burgemeester-heemstede")
    menu_link(mayor, "Te ondertekenen").click()
    mayor.get_by_role("link", name=f"Ondertekenen: {TITLE}").click()
    confirm(mayor, "Yes, sign")
    menu_link(heemstede, "Te ondertekenen").click()
    heemstede.get_by_role("link", name=f"Ondertekenen: {TITLE}").click()
    confirm(heemstede, "Yes, sign")
    expect(heemstede.get_by_text("Het besluit is definitief")).to_be_visible()
    zandvoort.reload()
    row = zandvoort.get_by_role("row").filter(has_text="Heemstede")
    expect(row).to_contain_text("niet ingestemd")
    expect(zandvoort.get_by_text(MOTIVATION)).to_be_visible()

    # The administrative meeting publishes its agenda; the Haarlem griffier reads it (no confidential item).
    administrative = demo_region.bodies["administrative"]
    meeting = Meeting.objects.filter(body=administrative, status=Meeting.Status.PLANNED).order_by("starts_at").first()
    meeting.add_item(version=None, by=None, title="Regionale aanpak hitte", purpose=Purpose.DISCUSSION)
    meeting.add_item(
        version=None, by=None, title="Vertrouwelijk: integriteitsmelding", purpose=Purpose.DISCUSSION, confidential=True
    )
    meeting.publish(by=demo_region.people["regional_coordinator"].user)
    griffier = new_page()
    log_in(griffier, "griffier")
    griffier.goto(f"/vergaderingen/{meeting.pk}/")
    expect(griffier.get_by_role("heading", level=1)).to_contain_text("Bestuurlijk afstemmingsoverleg")
    expect(griffier.get_by_text("Regionale aanpak hitte")).to_be_visible()
    expect(griffier.get_by_text("Vertrouwelijk: integriteitsmelding")).to_have_count(0)
    screenshot_of(griffier, "griffier-leest-agenda")
    assert_accessible(griffier)
    assert meeting.starts_at > timezone.now() - datetime.timedelta(days=1)
