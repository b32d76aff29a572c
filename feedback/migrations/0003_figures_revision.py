"""Triggers that raise an organization's FiguresRevision whenever a run, a session or a
response of it is inserted, changed or deleted. Written for PostgreSQL and for SQLite (the
embedded default); both upsert, so an organization needs no row before its first change."""

import django.db.models.deletion
from django.db import migrations, models

from aktiva.revisions import trigger_operations

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

# The trigger SQL is aktiva.revisions' (written once for every revision); it builds the same
# statements this migration made when it was written with them inline.
create_triggers, drop_triggers = trigger_operations(
    revision_table="feedback_figuresrevision",
    prefix="feedback_revision_",
    organization=ORGANIZATION,
)


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
