"""Notifications, the delivery choice and the coordinator's operations page."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from municipalities.models import Person
from reminders.models import Reminder, TaskRun
from tests.factories import PersonFactory


def delivered(person: Person, count: int, **fields) -> list[Reminder]:
    content_type = ContentType.objects.get_for_model(Person)
    now = timezone.now()
    return Reminder.objects.bulk_create(
        [
            Reminder(
                kind=Reminder.Kind.ACTION_OVERDUE,
                content_type=content_type,
                object_id=person.pk,
                recipient=person,
                due_at=now - datetime.timedelta(minutes=n),
                status=Reminder.Status.SENT,
                sent_at=now - datetime.timedelta(minutes=n),
                delivery="email",
                subject=f"Actiepunt {n} over tijd",
                link="/mijn-actiepunten/",
                **fields,
            )
            for n in range(count)
        ]
    )


@pytest.fixture
def person(db) -> Person:
    return PersonFactory(with_login=True)


def test_the_notification_list_shows_unread_first_class_and_counts_them_in_the_header(person, client_for):
    delivered(person, 3)
    page = client_for(person.user).get("/meldingen/").content.decode()
    assert "Actiepunt 0 over tijd" in page and "Actiepunt 2 over tijd" in page
    assert "3 ongelezen" in page
    assert page.count(">ongelezen<") == 3  # in words, not by weight or colour alone


def test_opening_a_notification_marks_it_read_and_goes_to_the_page_to_act_on(person, client_for):
    reminder = delivered(person, 1)[0]
    response = client_for(person.user).post(f"/meldingen/{reminder.pk}/gelezen/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/mijn-actiepunten/"
    reminder.refresh_from_db()
    assert reminder.read_at is not None
    client_for(person.user).post(f"/meldingen/{reminder.pk}/gelezen/", {"unread": "1"})
    reminder.refresh_from_db()
    assert reminder.read_at is None


def test_mark_all_read(person, client_for):
    delivered(person, 4)
    client_for(person.user).post("/meldingen/alles-gelezen/")
    assert not Reminder.objects.filter(read_at__isnull=True).exists()
    assert "ongelezen</span>" not in client_for(person.user).get("/meldingen/").content.decode()


def test_someone_elses_notification_is_not_found_and_reading_needs_post(person, client_for):
    other = PersonFactory(with_login=True)
    reminder = delivered(other, 1)[0]
    assert client_for(person.user).post(f"/meldingen/{reminder.pk}/gelezen/").status_code == 404
    assert client_for(other.user).get(f"/meldingen/{reminder.pk}/gelezen/").status_code == 405
    pending = delivered(other, 1)[0]
    Reminder.objects.filter(pk=pending.pk).update(status=Reminder.Status.PENDING)
    assert client_for(other.user).post(f"/meldingen/{pending.pk}/gelezen/").status_code == 404


def test_a_next_outside_the_site_is_ignored(person, client_for):
    reminder = delivered(person, 1)[0]
    response = client_for(person.user).post(f"/meldingen/{reminder.pk}/gelezen/", {"next": "https://evil.example/"})
    assert response["Location"] == "/meldingen/"


def test_a_person_chooses_how_reminders_reach_them(person, client_for):
    client = client_for(person.user)
    page = client.get("/meldingen/voorkeur/").content.decode()
    assert "één e-mail per dag met alle herinneringen" in page and "alleen in het portaal" in page
    assert client.post("/meldingen/voorkeur/", {"reminder_delivery": "digest", "language": "en"}).status_code == 302
    person.refresh_from_db()
    assert person.reminder_delivery == "digest" and person.language == "en"
    bad = client.post("/meldingen/voorkeur/", {"reminder_delivery": "fax", "language": "nl"})
    assert bad.status_code == 200 and "Selecteer een geldige keuze" in bad.content.decode()


def test_a_login_without_a_person_has_no_notification_list(outsider, client_for):
    assert client_for(outsider).get("/meldingen/").status_code == 404


def test_the_notification_list_keeps_its_query_count_as_it_grows(person, client_for, django_assert_max_num_queries):
    client = client_for(person.user)
    delivered(person, 3)
    # The list itself and the menu's counts of what waits (reminders/desk.py), whatever the list holds.
    with django_assert_max_num_queries(21) as small:
        client.get("/meldingen/")
    delivered(person, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/meldingen/")


def test_the_operations_page_is_the_coordinators(coordinator, secretary, client_for, django_assert_max_num_queries):
    person = coordinator.person
    delivered(person, 2)
    failed = delivered(person, 1)[0]
    Reminder.objects.filter(pk=failed.pk).update(status=Reminder.Status.FAILED, note="SMTPServerDisconnected: weg")
    TaskRun.record("dispatch", "3 queued")
    client = client_for(coordinator)
    page = client.get("/werking/").content.decode()
    assert "Vandaag verstuurd</dt><dd>2</dd>" in page.replace("\n", "").replace("  ", "")
    assert "SMTPServerDisconnected: weg" in page
    assert "reminders: dispatch" in page and "3 queued" in page
    assert "niet gedraaid" not in page
    assert client_for(secretary).get("/werking/").status_code == 403
    with django_assert_max_num_queries(35) as small:  # the page and the menu's counts
        client.get("/werking/")
    for _ in range(30):
        Reminder.objects.filter(pk=delivered(person, 1)[0].pk).update(status=Reminder.Status.FAILED)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/werking/")
    response = client.post("/werking/opnieuw/")
    assert response.status_code == 302
    assert not Reminder.objects.filter(status=Reminder.Status.FAILED).exists()


def test_a_silent_dispatcher_is_a_warning_on_the_operations_page(coordinator, client_for):
    TaskRun.objects.create(name="dispatch", finished_at=timezone.now() - datetime.timedelta(minutes=30))
    assert "niet gedraaid" in client_for(coordinator).get("/werking/").content.decode()


def test_the_default_schedules_exist_in_amsterdam_time_and_skip_the_night_hour(db):
    tasks = {task.name: task for task in PeriodicTask.objects.select_related("crontab")}
    assert tasks["reminders: dispatch"].task == "reminders.tasks.dispatch_due_reminders"
    assert tasks["reminders: dispatch"].crontab.minute == "*"
    for name in ("reminders: janitor", "reminders: plan", "reminders: daily digest", "monthly evaluation"):
        assert name in tasks
    for task in tasks.values():
        crontab = task.crontab
        assert str(crontab.timezone) == "Europe/Amsterdam", task.name
        hours = crontab.schedule.hour
        assert 2 not in hours, f"{task.name} runs between 02:00 and 03:00"


def test_the_coordinator_changes_schedules_and_lead_times_in_the_admin(coordinator, secretary, client_for):
    client = client_for(coordinator)
    task = PeriodicTask.objects.get(name="reminders: daily digest")
    assert client.get(f"/beheer/django_celery_beat/periodictask/{task.pk}/change/").status_code == 200
    page = client.get("/beheer/reminders/remindersettings/").content.decode()
    assert "Stukken ontbreken: dagen voor de uiterste datum voor stukken" in page
    assert client_for(secretary).get("/beheer/django_celery_beat/periodictask/").status_code == 403


def test_saving_new_lead_times_plans_again_after_the_commit(db, django_capture_on_commit_callbacks):
    from reminders.models import ReminderSettings

    conf = ReminderSettings.get_solo()
    conf.agenda_deadline_days = 5
    with django_capture_on_commit_callbacks(execute=False) as queued:
        conf.save()
    assert [callback.func.__self__.name for callback in queued] == ["reminders.tasks.plan_reminders"]
