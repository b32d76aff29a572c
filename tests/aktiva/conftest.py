"""Document kinds that exist only in tests, and a fixture that asks for one."""

import pytest
from django import forms

from aktiva import documents
from aktiva.pdf import html_to_pdf

CALLS = []


class GreetingForm(documents.DocumentForm):
    name = forms.CharField(max_length=500)

    def params(self):
        return {"name": self.cleaned_data["name"]}

    def title_parts(self):
        return [self.cleaned_data["name"]]


@documents.register
class Greeting(documents.DocumentKind):
    key = "tests.greeting"
    label = "Gruß"
    names_people = True
    form_class = GreetingForm

    def render(self, document):
        CALLS.append(document.pk)
        return "hallo.pdf", html_to_pdf(f"<h1>Hallo {document.params['name']}</h1>")


@documents.register
class Broken(Greeting):
    key = "tests.broken"
    names_people = False

    def render(self, document):
        raise RuntimeError("template broken")


@documents.register
class Flaky(Broken):
    key = "tests.flaky"
    attempts: list = []

    def render(self, document):
        from django.db import OperationalError as DbError

        self.attempts.append(1)
        raise DbError("database restarted")


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Runs what is queued on commit (each test runs inside a transaction)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def request_document(on_commit):
    def request(org, user, kind="tests.greeting", name="Welt"):
        document_kind = documents.kind_for(kind)
        form = document_kind.form({"name": name}, organization=org)
        assert form.is_valid(), form.errors
        with on_commit():
            return documents.document_request(
                organization=org, kind=document_kind, form=form, user=user
            )

    return request
