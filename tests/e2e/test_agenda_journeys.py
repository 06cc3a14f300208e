"""The agenda journeys of the regional portal, in a real Chromium against the demo region."""

import pytest
from playwright.sync_api import expect

from governance import demo
from meetings.demo import load_meetings
from meetings.models import AgendaItem, Meeting
from tests.e2e.conftest import DEMO_PASSWORD as PASSWORD
from tests.e2e.conftest import confirm, log_in, menu_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TITLE = "Gezamenlijke aanpak duinlandschap"


@pytest.fixture
def region(transactional_db, database_snapshot):
    def build():
        region = demo.load(PASSWORD)
        load_meetings(region)
        return region

    return database_snapshot(f"demo region, meetings ({PASSWORD})", build)


def submit_route_order_forward_publish(region, new_page, tmp_path, screenshot_of) -> None:
    # A project leader of Haarlem submits a proposal with a document.
    leader = new_page()
    log_in(leader, "projectleider")
    menu_link(leader, "Mijn inzendingen").click()
    leader.get_by_role("link", name="Vraag of voorstel indienen").click()
    leader.get_by_label("Voorstel").check()
    leader.get_by_label("Titel").fill(TITLE)
    leader.get_by_label("Toelichting").fill("De vier gemeenten trekken samen op in het beheer van het duinlandschap.")
    leader.get_by_label("Beleidsterrein").select_option(label="Landschap")
    leader.get_by_label("Ter instemming door elk college").check()
    document = tmp_path / "notitie-duinlandschap.pdf"
    document.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    leader.get_by_label("Stukken").set_input_files(document)
    leader.get_by_role("button", name="Indienen").click()
    expect(leader.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(leader.get_by_text("wacht op triage", exact=True)).to_be_visible()

    # The coordinator routes it to the secretaries' meeting's next open meeting.
    coordinator = new_page()
    log_in(coordinator, "coordinator")
    menu_link(coordinator, "Triage-inbox").click()
    coordinator.get_by_role("link", name=TITLE).click()
    coordinator.get_by_label("Overleg", exact=True).select_option(label="Overleg gemeentesecretarissen Kennemerland")
    coordinator.get_by_role("button", name="Op de agenda zetten").click()
    expect(coordinator.get_by_text("Op de agenda gezet van")).to_be_visible()
    leader.reload()
    expect(leader.get_by_text("geagendeerd", exact=True)).to_be_visible()

    # The secretary adds a second item and orders the agenda with the keyboard.
    secretary = new_page()
    log_in(secretary, "secretaris")
    menu_link(secretary, "Agenda's voorbereiden").click()
    secretary.get_by_role("link", name="Overleg gemeentesecretarissen Kennemerland").first.click()
    expect(secretary.get_by_role("heading", level=1)).to_contain_text("Agenda voorbereiden")
    secretary.get_by_label("Titel").fill("Stand van zaken crisisstructuur")
    secretary.get_by_label("Ter informatie").check()
    secretary.get_by_role("button", name="Aan de agenda toevoegen").click()
    agenda = secretary.locator("#agenda ol.portal-agenda")
    expect(agenda.locator(":scope > li").nth(3)).to_contain_text(TITLE)
    expect(agenda.locator(":scope > li").nth(4)).to_contain_text("Stand van zaken crisisstructuur")

    errors = []
    secretary.on("pageerror", lambda error: errors.append(str(error)))
    up = secretary.get_by_role("button", name="Omhoog: Stand van zaken crisisstructuur")
    # Pressed at once after the swap, before htmx has taken the new forms over, the move goes as a plain
    # form and a redirect: focus must come back to the moved item either way.
    up.focus()
    secretary.keyboard.press("Enter")
    expect(agenda.locator(":scope > li").nth(3)).to_contain_text("Stand van zaken crisisstructuur")
    expect(agenda.locator(":scope > li").nth(3).locator(".portal-agenda__number")).to_have_text("4.")
    expect(agenda.locator(":scope > li").nth(4)).to_contain_text(TITLE)
    # Focus stays on the moved item, so the keyboard user can keep going.
    expect(secretary.get_by_role("button", name="Omlaag: Stand van zaken crisisstructuur")).to_be_focused()
    secretary.keyboard.press("Enter")
    expect(agenda.locator(":scope > li").nth(3)).to_contain_text(TITLE)
    screenshot_of(secretary, "agenda-opstellen")
    assert errors == []

    # It forwards the proposal with its document to the administrative meeting, and publishes.
    secretary.get_by_role("link", name=f"Doorsturen: {TITLE}").click()
    secretary.get_by_label("Naar de vergadering").select_option(index=1)
    secretary.get_by_role("button", name="Doorsturen").click()
    expect(secretary.get_by_text("Het agendapunt en de stukken zijn doorgestuurd naar")).to_be_visible()
    link = secretary.locator(".portal-agenda__meta", has_text="Doorgestuurd naar Bestuurlijk afstemmingsoverleg")
    expect(link).to_be_visible()
    secretary.get_by_role("link", name="Terug naar de vergadering").click()
    secretary.get_by_role("link", name="Agenda publiceren").click()
    confirm(secretary, "Yes, publish")
    expect(secretary.get_by_text("agenda gepubliceerd").first).to_be_visible()

    forwarded = AgendaItem.objects.get(meeting__body=region.bodies["administrative"], title=TITLE)
    assert forwarded.forwarded_from.meeting.body == region.bodies["secretaries"]
    assert [d.title for d in forwarded.documents.all()] == ["notitie-duinlandschap.pdf"]
    assert forwarded.forwarded_from.meeting.status == Meeting.Status.PUBLISHED
    return coordinator, forwarded


def test_a_proposal_goes_from_submission_through_triage_and_the_secretaries_to_the_mayors(
    region, new_page, tmp_path, screenshot_of
):
    coordinator, forwarded = submit_route_order_forward_publish(region, new_page, tmp_path, screenshot_of)
    coordinator.goto(f"/vergaderingen/{forwarded.meeting_id}/")
    prepared_in = coordinator.locator(".portal-agenda__meta", has_text="Voorbereid in Overleg gemeentesecretarissen")
    expect(prepared_in).to_be_visible()


def test_an_alderman_with_the_portfolio_sees_the_invitation(region, new_page, tmp_path, screenshot_of):
    coordinator, forwarded = submit_route_order_forward_publish(region, new_page, tmp_path, screenshot_of)
    # The coordinator, secretary of the administrative meeting, publishes its agenda.
    coordinator.goto(f"/vergaderingen/{forwarded.meeting_id}/")
    coordinator.get_by_role("link", name="Agenda publiceren").click()
    confirm(coordinator, "Yes, publish")
    coordinator.get_by_role("link", name="Uitnodigingen", exact=True).click()
    alderman = region.people["Haarlem:alderman:0"]
    expect(coordinator.get_by_role("table")).to_contain_text(alderman.full_name)

    page = new_page()
    log_in(page, "wethouder")
    menu_link(page, "Mijn uitnodigingen").click()
    invitation = page.get_by_role("listitem").filter(has_text=TITLE)
    expect(invitation).to_have_count(1)
    expect(invitation).to_contain_text("Bestuurlijk afstemmingsoverleg Kennemerland")
    page.get_by_role("link", name="Bestuurlijk afstemmingsoverleg Kennemerland").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bestuurlijk afstemmingsoverleg Kennemerland")
    expect(page.get_by_text(TITLE)).to_be_visible()
    screenshot_of(page, "uitnodiging-wethouder")
