from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("municipalities", "0006_sign_permission"),
        ("reminders", "0005_planning_marks_and_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="reminder",
            index=models.Index(fields=["status", "sent_at"], name="reminder_status_sent"),
        ),
        migrations.AddIndex(
            model_name="reminder",
            index=models.Index(fields=["status", "changed_at"], name="reminder_status_changed"),
        ),
    ]
