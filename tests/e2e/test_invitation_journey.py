"""The invitation journey in Chromium against the demo region: the secretary publishes the agenda of the
coordination meeting; the mayor's invitation carries the meeting as a calendar item; he sends apologies with
an alderman of his own municipality in his place; the secretary sees both on the attendance form."""

import icalendar
import pytest
from django.core import mail
from playwright.sync_api import expect

from meetings.models import Meeting
from reminders import delivery
from reminders.models import Reminder
from reminders.tasks import dispatch_due_reminders
from tests.e2e.conftest import confirm, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_mayor_is_invited_sends_apologies_with_a_replacement_and_the_attendance_shows_both(
    demo_region, new_page, screenshot_of, assert_accessible, settings, live_server
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.PORTAL_URL = live_server.url  # the mail's links lead to this portal
    body = demo_region.bodies["coordination"]
    meeting = body.meetings.filter(status=Meeting.Status.PLANNED).order_by("starts_at").first()
    mayor = demo_region.people["Haarlem:mayor"]
    alderman = demo_region.people["Haarlem:alderman:0"]

    secretary = new_page()
    log_in(secretary, "secretaris")
    secretary.goto(f"/vergaderingen/{meeting.pk}/")
    secretary.get_by_role("link", name="Agenda publiceren").click()
    confirm(secretary, "Yes, publish")
    expect(secretary.get_by_text("gepubliceerd").first).to_be_visible()

    # What beat and the worker do: the invitations go out, once.
    dispatch_due_reminders()
    for reminder in Reminder.objects.filter(status=Reminder.Status.CLAIMED):
        delivery.send_one(reminder.pk)
    [invitation] = [m for m in mail.outbox if m.to == [mayor.email] and m.subject.startswith("Uitnodiging: ")]
    assert body.name in invitation.subject
    [(_name, content, mimetype)] = [a for a in invitation.attachments if a[0].endswith(".ics")]
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == meeting.starts_at and "method=REQUEST" in mimetype
    apology_link = next(line for line in invitation.body.split() if line.endswith("/afmelden/"))

    # The mayor follows the mail's link, logs in, and names his alderman as replacement.
    page = new_page()
    log_in(page, "burgemeester")
    page.goto(apology_link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Afmelden")
    page.get_by_label("Wie komt er in uw plaats").select_option(label=alderman.full_name)
    page.get_by_label("Toelichting voor de secretaris").fill("Ik zit die avond in de raad.")
    assert_accessible(page)
    screenshot_of(page, "afmelden")
    page.get_by_role("button", name="Afmelding versturen").click()
    expect(page.get_by_text("Uw afmelding is doorgegeven aan de secretaris")).to_be_visible()
    expect(page.get_by_text(f"In uw plaats komt: {alderman.full_name}.")).to_be_visible()

    # His own calendar address holds the meeting; the page meets WCAG.
    page.get_by_role("link", name="Mijn agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn agenda")
    assert_accessible(page)
    feed = page.request.get(page.get_by_label("Adres van uw agenda").input_value())
    assert feed.ok and f"UID:vergadering-{meeting.pk}@" in feed.text()

    # The secretary sees who comes, and the attendance form starts from it.
    secretary.goto(f"/vergaderingen/{meeting.pk}/")
    expect(secretary.get_by_text(f"{mayor.full_name} – vervangen door {alderman.full_name}")).to_be_visible()
    secretary.get_by_role("link", name="Aanwezigheid").click()
    expect(secretary.get_by_role("radio", name=f"Afwezig met kennisgeving: {mayor.full_name}")).to_be_checked()
    expect(secretary.get_by_role("radio", name=f"Aanwezig: {alderman.full_name}")).to_be_checked()
    assert_accessible(secretary)
    screenshot_of(secretary, "aanwezigheid-met-afmelding")
