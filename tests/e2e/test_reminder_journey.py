"""The coordinator hears of the monthly evaluation in the portal and records it, by keyboard, in Chromium."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from governance import demo
from governance.models import MonthlyEvaluation
from meetings.actions import open_monthly_evaluations
from meetings.demo import load_meetings
from reminders import delivery
from reminders.models import Reminder
from reminders.tasks import dispatch_due_reminders
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "demo-wachtwoord"


def test_the_coordinator_opens_the_evaluation_notification_and_records_findings_by_keyboard(
    transactional_db, database_snapshot, new_page, screenshot_of, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def build():
        region = demo.load(PASSWORD)
        load_meetings(region)
        return region

    region = database_snapshot(f"demo region, meetings ({PASSWORD})", build)
    [evaluation] = open_monthly_evaluations()
    dispatch_due_reminders()
    for reminder in Reminder.objects.filter(status=Reminder.Status.CLAIMED):
        delivery.send_one(reminder.pk)  # what the worker does; its own tests start a real one
    assert any("Maandelijkse evaluatie" in m.subject for m in mail.outbox)

    page = new_page()
    log_in(page, "coordinator", PASSWORD)
    expect(page.get_by_role("link", name="Meldingen 1 ongelezen")).to_be_visible()

    page.get_by_role("link", name="Meldingen 1 ongelezen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Meldingen")).to_be_visible()
    expect(page.get_by_role("cell", name="ongelezen", exact=True)).to_be_visible()
    screenshot_of(page, "notifications-unread")

    notification = page.get_by_role("button", name=f"{evaluation.title} ({evaluation.cooperation})", exact=True)
    notification.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=str(evaluation.title))).to_be_visible()
    expect(page.get_by_role("link", name="Meldingen 1 ongelezen")).to_have_count(0)

    page.get_by_label("Bevindingen").fill("Het secretarissenoverleg heeft te volle agenda's.")
    page.get_by_label("Overleg").first.select_option(label=region.bodies["secretaries"].name)
    page.get_by_label("Wat er verandert").first.fill("Voortaan een voorportaal per taakveld.")
    page.get_by_label("Wat er verandert").first.press("Tab")
    page.get_by_role("button", name="Opslaan").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("De evaluatie is opgeslagen.")).to_be_visible()
    expect(page.get_by_text("Voortaan een voorportaal per taakveld.")).to_be_visible()
    screenshot_of(page, "evaluations-of-the-year")
    evaluation.refresh_from_db()
    assert evaluation.findings == "Het secretarissenoverleg heeft te volle agenda's."
    assert MonthlyEvaluation.objects.get().adjustments.get().body == region.bodies["secretaries"]
