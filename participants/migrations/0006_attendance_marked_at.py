import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def marked_when_last_changed(apps, schema_editor):
    # Marks made before taps carried their time: the last change is the best guess.
    apps.get_model("participants", "Attendance").objects.update(marked_at=F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0005_warning_digest"),
    ]

    operations = [
        migrations.AddField(
            model_name="attendance",
            name="marked_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.RunPython(marked_when_last_changed, migrations.RunPython.noop),
    ]
