from django.db import migrations, models
from django.db.models import Max, Min, OuterRef, Subquery


def fill_held_days(apps, schema_editor):
    """The same UPDATE as `services.course_run_dates_refresh`, for every run at once."""
    CourseRun = apps.get_model("trainings", "CourseRun")
    Session = apps.get_model("trainings", "Session")
    held = Session.objects.filter(run=OuterRef("pk"), is_cancelled=False).values("run")
    CourseRun.objects.update(
        held_from=Subquery(held.annotate(day=Min("date")).values("day")),
        held_until=Subquery(held.annotate(day=Max("date")).values("day")),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("aktiva", "0008_organization_report_team"),
        ("trainings", "0004_run_open_organization"),
    ]

    operations = [
        migrations.AddField(
            model_name="courserun",
            name="held_from",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="courserun",
            name="held_until",
            field=models.DateField(editable=False, null=True),
        ),
        migrations.RunPython(fill_held_days, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="courserun",
            index=models.Index(
                fields=["organization", "-held_from", "-created_at"], name="run_org_held_from"
            ),
        ),
    ]
