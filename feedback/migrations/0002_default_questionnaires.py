from django.db import migrations

from feedback.defaults import QUESTIONNAIRES


def load(apps, schema_editor):
    Questionnaire = apps.get_model("feedback", "Questionnaire")
    Item = apps.get_model("feedback", "Item")
    for key, purpose, title, intro, items in QUESTIONNAIRES:
        questionnaire, _ = Questionnaire.objects.update_or_create(
            organization=None,
            key=key,
            version=1,
            defaults={"purpose": purpose, "title": title, "intro": intro, "is_current": True},
        )
        for position, (item_key, kind, label, text, required) in enumerate(items, start=1):
            Item.objects.update_or_create(
                questionnaire=questionnaire,
                key=item_key,
                defaults={"kind": kind, "label": label, "text": text, "required": required, "position": position},
            )


def unload(apps, schema_editor):
    apps.get_model("feedback", "Questionnaire").objects.filter(
        organization=None, key__in=[row[0] for row in QUESTIONNAIRES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
