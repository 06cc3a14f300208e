import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from reminders.admin import TASKS

pytestmark = pytest.mark.django_db
SCHEDULE_ADMINS = ["clockedschedule", "crontabschedule", "intervalschedule", "solarschedule"]


@pytest.fixture
def internal_task(db):
    every_hour = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.HOURS)
    return PeriodicTask.objects.create(
        name="celery.backend_cleanup", task="celery.backend_cleanup", interval=every_hour
    )


def test_the_coordinator_sees_the_named_tasks_with_their_descriptions(coordinator, client_for, internal_task):
    page = client_for(coordinator).get(reverse("admin:django_celery_beat_periodictask_changelist")).content.decode()
    for task in PeriodicTask.objects.filter(task__in=TASKS):
        with translation.override("nl"):
            title, description = [escape(str(text)) for text in TASKS[task.task]]
        assert title in page and description in page, task.name
        assert f">{task.name}<" not in page
    assert "celery.backend_cleanup" not in page
    assert client_for(coordinator).get(
        reverse("admin:django_celery_beat_periodictask_change", args=[internal_task.pk])
    ).status_code in (302, 404)


def test_the_scheduler_internals_are_for_superusers_only(coordinator, client_for):
    client = client_for(coordinator)
    index = client.get(reverse("admin:index")).content.decode()
    for name in SCHEDULE_ADMINS:
        url = reverse(f"admin:django_celery_beat_{name}_changelist")
        assert url not in index
        assert client.get(url).status_code == 403, name
    assert reverse("admin:django_celery_beat_periodictask_changelist") in index
    assert client.get(reverse("admin:django_celery_beat_periodictask_add")).status_code == 403

    superuser = get_user_model().objects.create_superuser("beheerder", "beheer@example.nl", "x-wachtwoord-123")
    for name in SCHEDULE_ADMINS:
        assert client_for(superuser).get(reverse(f"admin:django_celery_beat_{name}_changelist")).status_code == 200


def test_the_coordinator_switches_a_task_off_and_chooses_another_schedule(coordinator, client_for):
    task = PeriodicTask.objects.get(task="reminders.tasks.send_digests")
    other = CrontabSchedule.objects.exclude(pk=task.crontab_id).first()
    url = reverse("admin:django_celery_beat_periodictask_change", args=[task.pk])
    client = client_for(coordinator)
    form = client.get(url).content.decode()
    with translation.override("nl"):
        assert escape(str(TASKS[task.task][1])) in form
    for internal in ('name="task"', 'name="args"', 'name="queue"', 'name="interval"', 'name="name"'):
        assert internal not in form
    response = client.post(url, {"crontab": other.pk})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.enabled is False and task.crontab == other
    assert task.task == "reminders.tasks.send_digests"
