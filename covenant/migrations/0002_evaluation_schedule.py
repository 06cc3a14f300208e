from django.db import migrations


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # 04:40 Amsterdam time, after the council dates.
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="40", hour="4", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Europe/Amsterdam"
    )
    PeriodicTask.objects.update_or_create(
        name="covenant: evaluations",
        defaults={
            "task": "covenant.tasks.plan_evaluations",
            "crontab": crontab,
            "interval": None,
            "description": "Every night: the evaluation each covenant asks for after its evaluation period.",
        },
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name="covenant: evaluations").delete()


class Migration(migrations.Migration):
    dependencies = [("covenant", "0001_initial"), ("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(create_schedule, remove_schedule)]
