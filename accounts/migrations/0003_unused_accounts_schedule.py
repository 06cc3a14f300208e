"""The daily pass over unused accounts, as a django-celery-beat row the coordinator can change in the admin
site. In Europe/Amsterdam time, outside 02:00-03:00 (the hour daylight saving time skips or repeats)."""

from django.db import migrations
from django.utils import timezone

NAME = "accounts: switch off unused accounts"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="4",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/Amsterdam",
    )
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "accounts.tasks.deactivate_unused_accounts",
            "crontab": crontab,
            "interval": None,
            "description": "Daily at 04:30: switches off accounts unused for ACCOUNT_UNUSED_MONTHS, with a notice.",
        },
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_second_factor_accounts"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
