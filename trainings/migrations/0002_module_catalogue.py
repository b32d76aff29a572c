from django.db import migrations

from trainings.catalogue import CATALOGUE


def load(apps, schema_editor):
    Module = apps.get_model("trainings", "Module")
    for code, name, kind, position, units, description in CATALOGUE:
        Module.objects.update_or_create(
            organization=None,
            code=code,
            defaults={"name": name, "kind": kind, "position": position, "default_units": units, "description": description},
        )


def unload(apps, schema_editor):
    apps.get_model("trainings", "Module").objects.filter(
        organization=None, code__in=[row[0] for row in CATALOGUE]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("trainings", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
