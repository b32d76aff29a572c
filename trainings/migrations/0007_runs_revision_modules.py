"""RunsRevision also covers the modules: which modules a run and each of its sessions have
(the two link tables) and the modules themselves (a name or a position changed in the
admin). A module of the shipped catalogue belongs to no organization and is shown by all of
them: its change raises every organization's revision. The run page and the dashboard keep
what they read of runs, sessions and modules under this revision."""

from django.db import migrations

from aktiva.revisions import trigger_operations

ORGANIZATION = {
    "trainings_courserun_modules": (
        "SELECT organization_id FROM trainings_courserun WHERE id = {row}.courserun_id"
    ),
    "trainings_session_modules": (
        "SELECT r.organization_id FROM trainings_session s"
        " JOIN trainings_courserun r ON r.id = s.run_id WHERE s.id = {row}.session_id"
    ),
    "trainings_module": (
        "SELECT id AS organization_id FROM aktiva_organization"
        " WHERE {row}.organization_id IS NULL OR id = {row}.organization_id"
    ),
}

create_triggers, drop_triggers = trigger_operations(
    revision_table="trainings_runsrevision",
    prefix="trainings_runs_revision_",
    organization=ORGANIZATION,
    moved=True,  # an update raises the organization before and after (a row moved)
)


class Migration(migrations.Migration):
    dependencies = [("trainings", "0006_runs_revision")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
