"""Text from the database reaches PDFs as text: never a stylesheet (a run title used to
blank the code slips) and never escaped twice (footers printed &amp;)."""

import io

import pytest
from pypdf import PdfReader

from aktiva import documents
from aktiva.models import Document
from tests.factories import run_with_sessions
from tests.feedback.factories import FeedbackCodeFactory
from tests.participants.factories import EnrollmentFactory

HOSTILE = '}} body { display: none } x{ "Kurs" A & B </style>'


def _render(org, key, run, data=None) -> str:
    kind = documents.kind_for(key)
    form = kind.form(data or {}, organization=org, run=run)
    assert form.is_valid(), form.errors
    document = Document.objects.create(
        organization=org, kind=key, params=form.params(), title=kind.title(form)[:200]
    )
    _filename, content = kind.render(document)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize(
    "key, data",
    [
        ("feedback.code_slips", None),
        ("participants.invitation", None),
        ("participants.signin_sheet", "session"),
    ],
)
def test_a_hostile_run_title_prints_as_typed(org, key, data):
    org.name = 'Jobcenter "Nord" & Süd'
    org.save()
    run, sessions = run_with_sessions(org, count=2, past=0, title=HOSTILE)
    EnrollmentFactory(run=run)
    FeedbackCodeFactory(run=run)
    text = _render(org, key, run, {"session": sessions[0].pk} if data else None)
    assert "body { display: none }" in text  # the page is not blank: the title is shown
    assert 'Jobcenter "Nord" & Süd' in text  # the footer, as typed
    assert "&amp;" not in text and "&quot;" not in text
