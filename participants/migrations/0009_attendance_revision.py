"""AttendanceRevision and the triggers that raise an organization's whenever a place
(enrollment) or an attendance mark of one of its runs is inserted, changed or deleted:
everything the attendance warnings are worked out from, besides the runs and sessions
(RunsRevision). The SQL is aktiva.revisions'."""

import django.db.models.deletion
from django.db import migrations, models

from aktiva.revisions import trigger_operations

ORGANIZATION = {
    "participants_enrollment": (
        "SELECT organization_id FROM trainings_courserun WHERE id = {row}.run_id"
    ),
    "participants_attendance": (
        "SELECT r.organization_id FROM participants_enrollment e"
        " JOIN trainings_courserun r ON r.id = e.run_id WHERE e.id = {row}.enrollment_id"
    ),
}

create_triggers, drop_triggers = trigger_operations(
    revision_table="participants_attendancerevision",
    prefix="participants_attendance_revision_",
    organization=ORGANIZATION,
    moved=True,  # an update raises the organization before and after (a row moved)
)


class Migration(migrations.Migration):
    dependencies = [
        ("aktiva", "0008_organization_report_team"),
        ("participants", "0008_absence_reasons_and_report_consent"),
        ("trainings", "0007_runs_revision_modules"),
    ]

    operations = [
        migrations.CreateModel(
            name="AttendanceRevision",
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
                "verbose_name": "Stand der Anwesenheit",
                "verbose_name_plural": "Stände der Anwesenheit",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
