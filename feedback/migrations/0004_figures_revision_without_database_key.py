"""FiguresRevision without a foreign key in the database, as `aktiva.models.OrganizationRevision`
has it (SQLite empties a test database row by row, and the triggers write revisions for runs
deleted after their organization). SQLite alters a column by building the table anew, which
the triggers of migration 0003 would stop: they are taken off around the change."""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

revision_triggers = import_module("feedback.migrations.0003_figures_revision")


class Migration(migrations.Migration):
    dependencies = [
        ("aktiva", "0008_organization_report_team"),
        ("feedback", "0003_figures_revision"),
    ]

    operations = [
        migrations.RunPython(revision_triggers.drop_triggers, revision_triggers.create_triggers),
        migrations.AlterField(
            model_name="figuresrevision",
            name="organization",
            field=models.OneToOneField(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="+",
                serialize=False,
                to="aktiva.organization",
            ),
        ),
        migrations.RunPython(revision_triggers.create_triggers, revision_triggers.drop_triggers),
    ]
