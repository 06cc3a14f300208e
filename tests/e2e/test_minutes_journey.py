"""Minutes from attendance to adoption, in a real Chromium against the demo region."""

import datetime
import io
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from governance import demo
from meetings.demo import load_meetings, load_minutes
from meetings.models import Meeting, Minutes, MinutesPdf
from tests.e2e.conftest import DEMO_PASSWORD as PASSWORD
from tests.e2e.conftest import confirm, log_in, menu_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def region(transactional_db, database_snapshot):
    def build():
        region = demo.load(PASSWORD)
        load_meetings(region)
        load_minutes(region)
        return region

    return database_snapshot(f"demo region, meetings, minutes ({PASSWORD})", build)


def test_minutes_from_attendance_to_adoption_and_a_done_action_point(region, new_page, tmp_path, screenshot_of):
    body = region.bodies["secretaries"]
    # Four weeks ago, minutes still a draft; two weeks ago, the meeting that adopts them.
    following, held = list(body.meetings.past()[:2])
    secretary = new_page()
    log_in(secretary, "secretaris")

    # Attendance, from the invitation list.
    secretary.goto(f"/vergaderingen/{held.pk}/")
    secretary.get_by_role("link", name="Aanwezigheid").click()
    absent = region.people["Velsen:municipal_secretary"].full_name
    secretary.get_by_label(f"Afwezig met kennisgeving: {absent}").check()
    secretary.get_by_role("button", name="Aanwezigheid opslaan").click()

    # The minutes, saved as they are typed, with two action points.
    expect(secretary.get_by_role("heading", level=1)).to_contain_text("Verslag")
    discussion = secretary.get_by_label("Bespreking").nth(3)  # the first regular item comes after three opening items
    discussion.fill("De secretarissen bespreken de concept-woonagenda en vragen om een regionale planning.")
    expect(secretary.locator(".portal-save-status").nth(3)).to_contain_text("Opgeslagen om", timeout=10_000)
    owner = region.people["Haarlem:project_leader"]
    due = (timezone.localdate() + datetime.timedelta(days=21)).isoformat()
    for what in ("Planning woningbouw per gemeente ophalen", "Woonagenda agenderen in het bestuurlijk overleg"):
        section = secretary.locator("section").filter(has_text="Regionale woonagenda").last
        section.locator("summary").click()
        section.get_by_label("Wat").fill(what)
        # The project leader is neither a member nor an attendee: found by the name search.
        section.get_by_label("of iemand anders").fill(owner.full_name)
        section.get_by_label("Uiterste datum").fill(due)
        section.get_by_role("button", name="Het actiepunt toevoegen").click()
        expect(secretary.get_by_text("Het actiepunt is toegevoegd.")).to_be_visible()
    secretary.get_by_role("button", name="Versturen voor commentaar").click()
    expect(secretary.get_by_text("ter becommentariëring verstuurd").first).to_be_visible()

    # The next meeting adopts the minutes.
    secretary.goto(f"/vergaderingen/{following.pk}/")
    secretary.get_by_role("link", name="Dit verslag vaststellen").click()
    confirm(secretary, "Yes, adopt")
    expect(secretary.get_by_text("Het verslag is vastgesteld.")).to_be_visible()
    expect(
        secretary.get_by_text("Aldus vastgesteld in de vergadering van het Overleg gemeentesecretarissen")
    ).to_be_visible()
    screenshot_of(secretary, "verslag-vastgesteld")

    # A real Celery worker renders the adopted minutes; the PDF carries the adoption line.
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    minutes = Minutes.objects.get(meeting=held)
    with start_worker(app, perform_ping_check=False, shutdown_timeout=30):
        deadline = time.monotonic() + 60
        while not MinutesPdf.objects.filter(minutes=minutes, status="adopted").exists() and time.monotonic() < deadline:
            time.sleep(0.5)
    secretary.reload()
    with secretary.expect_download() as download:
        secretary.get_by_role("link", name="Verslag (PDF)").click()
    with open(download.value.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    adopted_on = timezone.localtime(Meeting.objects.get(pk=following.pk).starts_at)
    assert f"van {adopted_on.day} " in text and "Aldus vastgesteld" in text
    assert "Planning woningbouw per gemeente ophalen" in text and owner.full_name in text

    # The owner marks an action point done.
    leader = new_page()
    log_in(leader, "projectleider")
    menu_link(leader, "Mijn actiepunten").click()
    leader.get_by_role("button", name="Afgehandeld: Planning woningbouw per gemeente ophalen").click()
    expect(leader.get_by_text("Het actiepunt is afgehandeld.")).to_be_visible()
    expect(leader.get_by_text("Planning woningbouw per gemeente ophalen")).to_have_count(0)
