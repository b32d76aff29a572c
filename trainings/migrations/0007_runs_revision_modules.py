"""RunsRevision raised by the sessions' modules too ("Meine Termine" keeps its cards rendered
under it): a change to which modules a session covers (the link table), or to a module. A
module of the shipped catalogue belongs to no organization and is shown to every one: its
change raises every organization's revision (the catalogue changes in the admin, rarely)."""

from django.db import migrations

from aktiva.revisions import trigger_operations

# The organization of the changed row, from NEW or OLD (`{row}`); for a catalogue module,
# every organization.
ORGANIZATION = {
    "trainings_session_modules": (
        "SELECT run.organization_id FROM trainings_session AS session"
        " JOIN trainings_courserun AS run ON run.id = session.run_id"
        " WHERE session.id = {row}.session_id"
    ),
    "trainings_module": (
        "SELECT id AS organization_id FROM aktiva_organization"
        " WHERE id = {row}.organization_id OR {row}.organization_id IS NULL"
    ),
}

create_triggers, drop_triggers = trigger_operations(
    revision_table="trainings_runsrevision",
    prefix="trainings_runs_revision_",
    organization=ORGANIZATION,
)


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0006_runs_revision"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
