"""Document failures become codes shown in the reader's language; document kinds get one
naming scheme (`<app>.<name>`) and one parameter key for the run (`run`)."""

from django.db import migrations, models

KIND_RENAMES = {"feedback_codes": "feedback.code_slips", "feedback_year_report": "feedback.year_report"}
# The German sentences stored so far, by a word only each of them has.
FAILURE_BY_WORD = [
    ("erreichbar", "broker_down"),
    ("Versuchen", "retries"),
    ("zu lange", "timeout"),
]


def forwards(apps, schema_editor):
    Document = apps.get_model("aktiva", "Document")
    for document in Document.objects.iterator():
        changed = []
        if document.error:
            document.failure = next(
                (code for word, code in FAILURE_BY_WORD if word in document.error), "error"
            )
            changed.append("failure")
        if document.kind in KIND_RENAMES:
            document.kind = KIND_RENAMES[document.kind]
            changed.append("kind")
        if "run_id" in document.params:
            document.params["run"] = document.params.pop("run_id")
            changed.append("params")
        if changed:
            document.save(update_fields=changed)


def backwards(apps, schema_editor):
    Document = apps.get_model("aktiva", "Document")
    old_kinds = {new: old for old, new in KIND_RENAMES.items()}
    for document in Document.objects.filter(kind__in=old_kinds).iterator():
        document.kind = old_kinds[document.kind]
        document.params["run_id"] = document.params.pop("run", None)
        document.save(update_fields=["kind", "params"])


class Migration(migrations.Migration):
    dependencies = [("aktiva", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="failure",
            field=models.CharField(
                blank=True,
                choices=[
                    ("broker_down", "Der Dienst, der Dokumente erstellt, ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten noch einmal."),
                    ("retries", "Das Dokument konnte nach mehreren Versuchen nicht erstellt werden."),
                    ("timeout", "Das Erstellen hat zu lange gedauert."),
                    ("empty", "Für diese Auswahl gibt es nichts mehr zu drucken."),
                    ("error", "Beim Erstellen des Dokuments ist ein Fehler aufgetreten."),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="document", name="error"),
    ]
