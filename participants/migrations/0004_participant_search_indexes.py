"""Participant search uses indexes on PostgreSQL: trigram GIN indexes for the name parts
(`icontains` is `UPPER(col::text) LIKE UPPER('%term%')`) and an expression index for the
customer number (`iexact`). SQLite, the embedded default, has neither and needs none."""

from django.db import migrations

INDEXES = [
    "CREATE INDEX IF NOT EXISTS participant_first_name_trgm ON participants_participant "
    "USING gin ((UPPER(first_name::text)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS participant_last_name_trgm ON participants_participant "
    "USING gin ((UPPER(last_name::text)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS participant_customer_number_upper ON participants_participant "
    "((UPPER(customer_number::text)))",
]
NAMES = ["participant_first_name_trgm", "participant_last_name_trgm", "participant_customer_number_upper"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for sql in INDEXES:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in NAMES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("participants", "0003_participant_restrict")]

    operations = [migrations.RunPython(create, drop)]
