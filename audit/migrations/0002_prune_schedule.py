"""The nightly pruning of the audit trail, as a django-celery-beat row the coordinator can change in the
admin site; at 04:10 Europe/Amsterdam, outside the hour (02:00-03:00) that daylight saving time skips or
repeats, and after the access sync of 03:15."""

from django.db import migrations
from django.utils import timezone

NAME = "audit: prune the audit trail"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="10",
        hour="4",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/Amsterdam",
    )
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "audit.tasks.prune_audit_trail",
            "crontab": crontab,
            "interval": None,
            "description": "Nightly: deletes audit events and lock-out records older than AUDIT_RETENTION_DAYS.",
        },
    )
    # Tells a running beat that the schedule changed.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
