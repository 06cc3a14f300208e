"""Work comes to each person, in Chromium on the demo region: the project leader submits, the coordinator
schedules it, the project leader's start page and notice show it, the secretary publishes after a
confirmation, and the mayor finds the decision to sign on his start page with its count in the menu."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from decisions.demo import SEED_000
from reminders import delivery
from reminders.models import Reminder
from reminders.tasks import dispatch_due_reminders
from tests.e2e.conftest import log_in, menu_link

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
TITLE = "Gezamenlijke inkoop van laadpalen"
COORDINATION = "Coördinatieoverleg regionale samenwerking Zuid-Kennemerland"


def deliver() -> None:
    """What beat and the worker do: claim what is due and send it (the worker's own tests start a real one)."""
    dispatch_due_reminders()
    for reminder in Reminder.objects.filter(status=Reminder.Status.CLAIMED):
        delivery.send_one(reminder.pk)


def test_work_comes_to_each_person_and_the_irreversible_step_asks_first(
    demo_region, new_page, screenshot_of, assert_accessible, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    deliver()  # what the demo had due already, read, so that what follows is the journey's own
    Reminder.objects.update(read_at=timezone.now())

    leader = new_page()
    log_in(leader, "projectleider")
    menu_link(leader, "Agendapunt indienen").click()
    leader.get_by_label("Voorstel").check()
    leader.get_by_label("Titel").fill(TITLE)
    leader.get_by_label("Toelichting").fill("Vier gemeenten kopen samen laadpalen in, met één aanbesteding.")
    leader.get_by_label("Ter instemming door elk college").check()
    leader.get_by_role("button", name="Indienen").click()
    expect(leader.get_by_role("heading", level=1)).to_have_text(TITLE)

    # The coordinator finds it on her start page, with its count in the menu.
    coordinator = new_page()
    log_in(coordinator, "coordinator")
    entry = coordinator.locator(".portal-desk__entry").filter(has_text=TITLE)
    expect(entry).to_contain_text("Te beoordelen agendapunten")
    expect(menu_link(coordinator, "Triage-inbox")).to_contain_text("1")
    entry.get_by_role("link", name=TITLE).click()
    coordinator.get_by_label("Overleg", exact=True).select_option(label=COORDINATION)
    coordinator.get_by_role("button", name="Op de agenda zetten").click()
    expect(coordinator.get_by_text("op de agenda", exact=False).first).to_be_visible()

    # The project leader hears of it and finds the documents to send on her start page.
    deliver()
    leader.goto("/")
    notifications = leader.get_by_role("link", name=re.compile(r"Meldingen \d+ ongelezen"))
    expect(notifications).to_be_visible()
    documents = leader.locator(".portal-desk__entry").filter(has_text=TITLE)
    expect(documents).to_contain_text("Stukken aan te leveren")
    assert_accessible(leader)
    screenshot_of(leader, "start-page-project-leader")
    notifications.click()
    expect(leader.get_by_role("main")).to_contain_text(f"Uw inzending “{TITLE}” staat op de agenda van")
    routed = Reminder.objects.get(kind=Reminder.Kind.SUBMISSION_ROUTED, subject__contains=TITLE)
    assert routed.recipient.user.username == "projectleider" and routed.status == Reminder.Status.SENT

    # The coordinating secretary publishes the agenda, after a page that says what happens and to whom.
    secretary = new_page()
    log_in(secretary, "secretaris")
    menu_link(secretary, "Agenda's voorbereiden").click()
    secretary.get_by_role("link", name=re.compile(TITLE)).click()
    secretary.get_by_role("link", name="Terug naar de vergadering").click()
    secretary.get_by_role("link", name="Agenda publiceren").click()
    expect(secretary.get_by_role("heading", level=1)).to_have_text("Agenda publiceren?")
    expect(secretary.get_by_role("main")).to_contain_text("De agenda wordt leesbaar voor")
    assert_accessible(secretary)
    screenshot_of(secretary, "confirm-publish")
    secretary.get_by_role("button", name="Ja, publiceren").click()
    expect(secretary.get_by_text("gepubliceerd").first).to_be_visible()

    # The mayor of Zandvoort finds the seed decision to sign, with its count in the menu.
    mayor = new_page()
    log_in(mayor, "burgemeester-zandvoort")
    sign = mayor.locator(".portal-desk__entry").filter(has_text=SEED_000["title"])
    expect(sign).to_contain_text("Te ondertekenen besluiten")
    expect(mayor.get_by_role("link", name="Start")).to_contain_text("1")
    expect(menu_link(mayor, "Te ondertekenen")).to_contain_text("1")
    assert_accessible(mayor)
    screenshot_of(mayor, "start-page-mayor")
    menu_link(mayor, "Te ondertekenen").click()
    expect(mayor.get_by_role("main")).to_contain_text(SEED_000["title"])
