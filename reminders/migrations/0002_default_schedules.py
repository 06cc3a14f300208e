"""The default schedules of the periodic tasks, as django-celery-beat rows the
coordinator can change in the admin site. All in Europe/Amsterdam time, and
nothing between 02:00 and 03:00, the hour that daylight saving time skips or
repeats."""

from django.db import migrations
from django.utils import timezone

OUTSIDE_THE_NIGHT_HOUR = "0-1,3-23"

SCHEDULES = [
    # name, task, minute, hour, description
    (
        "reminders: dispatch",
        "reminders.tasks.dispatch_due_reminders",
        "*",
        OUTSIDE_THE_NIGHT_HOUR,
        "Every minute: claims the reminders that are due and queues them for sending.",
    ),
    (
        "reminders: janitor",
        "reminders.tasks.return_stuck_reminders",
        "*/5",
        OUTSIDE_THE_NIGHT_HOUR,
        "Hands out again reminders that stayed claimed too long (a worker that died).",
    ),
    (
        "reminders: plan",
        "reminders.tasks.plan_reminders",
        "7,22,37,52",
        OUTSIDE_THE_NIGHT_HOUR,
        "Every quarter of an hour: plans reminders for changes no save announced (offices, lead times).",
    ),
    (
        "reminders: daily digest",
        "reminders.tasks.send_digests",
        "15",
        "8,12,17",
        "The daily digest at 08:15, after the reminders of the day went out at 08:00; "
        "the later runs only retry a digest that could not be sent.",
    ),
    (
        "monthly evaluation",
        "meetings.tasks.open_monthly_evaluations",
        "30",
        "7",
        "Daily; from the first working day of the month on, opens that month's evaluation once.",
    ),
    (
        "pdfs: agendas and minutes missing",
        "meetings.tasks.render_missing_pdfs",
        "*/10",
        OUTSIDE_THE_NIGHT_HOUR,
        "Renders PDFs whose task never reached a worker.",
    ),
    (
        "pdfs: college decisions missing",
        "decisions.tasks.render_missing_pdfs",
        "5-59/10",
        OUTSIDE_THE_NIGHT_HOUR,
        "Renders college-decision PDFs whose task never reached a worker.",
    ),
    (
        "sync-body-access",
        "governance.tasks.sync_access",
        "15",
        "3",
        "Nightly: rights follow the memberships and offices that started or ended.",
    ),
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, minute, hour, description in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="Europe/Amsterdam",
        )
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={"task": task, "crontab": crontab, "interval": None, "description": description},
        )
    # Tells a running beat that the schedule changed.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
