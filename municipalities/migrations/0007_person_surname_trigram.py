from django.db import migrations

# PostgreSQL only (SQLite has no trigram indexes): the admin searches people by surname, and the reminder
# admin finds reminders through their recipient's surname, as UPPER(surname) LIKE '%...%'. The trigram
# index serves the search, and its statistics let the planner see how few people match (it otherwise
# guesses a fifth of them and reads the whole reminder table).
INDEX = "person_surname_trigram"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON municipalities_person USING gin (UPPER(surname::text) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("municipalities", "0006_sign_permission")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
