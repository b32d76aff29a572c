"""The RunsRevision triggers of migration 0006 again, now raising on an update the
organization a row had before as well as the one it has after: a run moved to another
organization (the admin allows it) leaves the old one's cached pages at once (0007's
triggers were made so from the start)."""

from importlib import import_module

from django.db import migrations

from aktiva.revisions import trigger_replacement

made = import_module("trainings.migrations.0006_runs_revision")

forward, backward = trigger_replacement(
    revision_table="trainings_runsrevision",
    prefix="trainings_runs_revision_",
    organization=made.ORGANIZATION,
)


class Migration(migrations.Migration):
    dependencies = [("trainings", "0007_runs_revision_modules")]

    operations = [migrations.RunPython(forward, backward)]
