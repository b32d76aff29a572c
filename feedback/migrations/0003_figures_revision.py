"""Triggers that raise an organization's FiguresRevision whenever a run, a session or a
response of it is inserted, changed or deleted. Written for PostgreSQL and for SQLite (the
embedded default); both upsert, so an organization needs no row before its first change."""

import django.db.models.deletion
from django.db import migrations, models

TABLES = ("trainings_courserun", "trainings_session", "feedback_response")

# The organization of the changed row, from NEW or OLD (`{row}`).
ORGANIZATION = {
    "trainings_courserun": "SELECT {row}.organization_id AS organization_id",
    "trainings_session": (
        "SELECT organization_id FROM trainings_courserun WHERE id = {row}.run_id"
    ),
    "feedback_response": (
        "SELECT r.organization_id AS organization_id FROM feedback_feedbackcode c"
        " JOIN trainings_courserun r ON r.id = c.run_id WHERE c.id = {row}.code_id"
    ),
}

BUMP = (
    "INSERT INTO feedback_figuresrevision (organization_id, revision)"
    " SELECT organization_id, 1 FROM ({select}) AS changed"
    " WHERE organization_id IS NOT NULL"
    " ON CONFLICT (organization_id)"
    " DO UPDATE SET revision = feedback_figuresrevision.revision + 1"
)


def _postgresql(table: str) -> list[str]:
    name = f"feedback_revision_{table}"
    return [
        f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    {BUMP.format(select=ORGANIZATION[table].format(row="OLD"))};
  ELSE
    {BUMP.format(select=ORGANIZATION[table].format(row="NEW"))};
  END IF;
  RETURN NULL;
END $$""",
        f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table}"
        f" FOR EACH ROW EXECUTE FUNCTION {name}()",
    ]


def _sqlite(table: str) -> list[str]:
    statements = []
    for operation, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        select = ORGANIZATION[table].format(row=row)
        statements.append(
            f"CREATE TRIGGER feedback_revision_{table}_{operation.lower()}"
            f" AFTER {operation} ON {table} FOR EACH ROW BEGIN {BUMP.format(select=select)}; END"
        )
    return statements


def _drop(vendor: str, table: str) -> list[str]:
    name = f"feedback_revision_{table}"
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    return [f"DROP TRIGGER IF EXISTS {name}_{op}" for op in ("insert", "update", "delete")]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    make = _postgresql if vendor == "postgresql" else _sqlite
    for table in TABLES:
        for statement in make(table):
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for table in TABLES:
        for statement in _drop(schema_editor.connection.vendor, table):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("aktiva", "0001_initial"),
        ("feedback", "0002_default_questionnaires"),
        ("trainings", "0003_session_held_run_date_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="FiguresRevision",
            fields=[
                (
                    "organization",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="aktiva.organization",
                    ),
                ),
                ("revision", models.PositiveBigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "Stand der Auswertungen",
                "verbose_name_plural": "Stände der Auswertungen",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
