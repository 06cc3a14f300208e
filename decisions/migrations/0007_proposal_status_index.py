from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0006_decision_pdf_names"),
        ("governance", "0010_deadline_working_day_help"),
        ("meetings", "0005_indexes_for_national_scale"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="regionalproposal",
            index=models.Index(fields=["status"], name="proposal_status"),
        ),
    ]
