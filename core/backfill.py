"""Migrations that add `created_at`/`modified_at` (core.models.Timestamped) to a tracked model fill them from
its history: the first and the last record django-simple-history kept of each row. Rows without history keep
the time of the migration."""

from django.db import migrations
from django.db.models import F, Max, Min, OuterRef, Subquery
from django.db.models.functions import Coalesce


def timestamps_from_history(*model_names: str) -> migrations.RunPython:
    def forwards(apps, schema_editor) -> None:
        for label in model_names:
            app_label, name = label.split(".")
            model = apps.get_model(app_label, name)
            historical = apps.get_model(app_label, f"Historical{name}")
            records = historical.objects.filter(id=OuterRef("pk")).order_by().values("id")
            model.objects.update(
                created_at=Coalesce(
                    Subquery(records.annotate(first=Min("history_date")).values("first")), F("created_at")
                ),
                modified_at=Coalesce(
                    Subquery(records.annotate(last=Max("history_date")).values("last")), F("modified_at")
                ),
            )

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
