"""The FiguresRevision triggers of migration 0003 again, now raising on an update the
organization a row had before as well as the one it has after: a run moved to another
organization (the admin allows it) leaves the old one's year report at once."""

from importlib import import_module

from django.db import migrations

from aktiva.revisions import trigger_replacement

made = import_module("feedback.migrations.0003_figures_revision")

forward, backward = trigger_replacement(
    revision_table="feedback_figuresrevision",
    prefix="feedback_revision_",
    organization=made.ORGANIZATION,
)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0004_figures_revision_without_database_key")]

    operations = [migrations.RunPython(forward, backward)]
