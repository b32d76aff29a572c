"""RunsRevision and the triggers that raise an organization's whenever a run, a session, a
room, a trainer or a run's trainer (the link table) of it is inserted, changed or deleted:
everything a row of the runs list shows. The SQL is aktiva.revisions'."""

import django.db.models.deletion
from django.db import migrations, models

from aktiva.revisions import trigger_operations

# The organization of the changed row, from NEW or OLD (`{row}`).
ORGANIZATION = {
    "trainings_courserun": "SELECT {row}.organization_id AS organization_id",
    "trainings_session": (
        "SELECT organization_id FROM trainings_courserun WHERE id = {row}.run_id"
    ),
    "trainings_location": "SELECT {row}.organization_id AS organization_id",
    "trainings_trainer": "SELECT {row}.organization_id AS organization_id",
    "trainings_courserun_trainers": (
        "SELECT organization_id FROM trainings_courserun WHERE id = {row}.courserun_id"
    ),
}


create_triggers, drop_triggers = trigger_operations(
    revision_table="trainings_runsrevision",
    prefix="trainings_runs_revision_",
    organization=ORGANIZATION,
)


class Migration(migrations.Migration):
    dependencies = [
        ("aktiva", "0008_organization_report_team"),
        ("trainings", "0005_run_held_days"),
    ]

    operations = [
        migrations.CreateModel(
            name="RunsRevision",
            fields=[
                (
                    "organization",
                    models.OneToOneField(
                        db_constraint=False,
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
                "verbose_name": "Stand der Durchgangsliste",
                "verbose_name_plural": "Stände der Durchgangsliste",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
