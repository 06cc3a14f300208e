from django.conf import settings
from django.db import migrations, models

# PostgreSQL only (SQLite has no trigram indexes nor NULLS LAST in an index): the admin's icontains searches
# are UPPER(column) LIKE '%...%', which a trigram index on UPPER(column) serves; the triage inbox's recently
# triaged submissions are ordered by triaged_at DESC NULLS LAST.
POSTGRESQL_INDEXES = [
    ("agenda_item_title_trigram", "meetings_agendaitem USING gin (UPPER(title::text) gin_trgm_ops)"),
    ("meeting_location_trigram", "meetings_meeting USING gin (UPPER(location::text) gin_trgm_ops)"),
    ("submission_triaged_recent", "meetings_submission (triaged_at DESC NULLS LAST)"),
]


def create_postgresql_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in POSTGRESQL_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_postgresql_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in POSTGRESQL_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0010_deadline_working_day_help"),
        ("meetings", "0004_agenda_pdf_names"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["starts_at"], name="meeting_starts_at"),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["status", "starts_at"], name="meeting_status_starts_at"),
        ),
        migrations.RunPython(create_postgresql_indexes, drop_postgresql_indexes, elidable=False),
    ]
