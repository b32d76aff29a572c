"""English is complete where German data meets the page: the shipped module catalogue, the
public holidays in the schedule message, the shipped questionnaires on the staff results
page and in the export; and dates and times on a page follow the chosen language."""

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from aktiva.models import Document
from feedback import exports
from tests.factories import CourseRunFactory, catalogue_module, run_with_sessions
from tests.feedback.factories import FeedbackCodeFactory, submit_course
from tests.participants.factories import EnrollmentFactory
from trainings.models import Module


def _in(language: str, client: Client) -> Client:
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client


def _generate(client: Client, org) -> str:
    """Four sessions Monday to Thursday from 3 May 2027; Thursday is Ascension Day in Saxony."""
    run = CourseRunFactory(organization=org, title="AktivA Mai")
    response = client.post(
        reverse("trainings:schedule_generate", args=[run.pk]),
        {
            "start": "2027-05-03",
            "weekdays": ["0", "1", "2", "3"],
            "start_time": "09:00",
            "end_time": "12:30",
            "count": "4",
            "modules": [catalogue_module("aktivitaetenplanung").pk],
        },
        follow=True,
    )
    assert response.redirect_chain, response.content.decode()
    return response.content.decode()


def test_schedule_message_and_sessions_in_english(coordinator_client, org):
    html = _generate(_in("en", coordinator_client), org)
    assert "Public holidays skipped: 06/05/2027 (Ascension Day)." in html
    assert "03/05/2027" in html and "10/05/2027" in html  # the sessions, in the same format
    assert "03.05.2027" not in html and "Christi Himmelfahrt" not in html
    assert "09:00–12:30" in html and "a.m." not in html
    assert "Activity planning" in html and "Aktivitätenplanung" not in html


def test_schedule_message_and_sessions_in_german(coordinator_client, org):
    html = _generate(coordinator_client, org)
    assert "Übersprungene Feiertage: 06.05.2027 (Christi Himmelfahrt)." in html
    assert "03.05.2027" in html and "10.05.2027" in html
    assert "Aktivitätenplanung" in html


def test_module_catalogue_in_english_own_modules_as_typed(coordinator_client, org):
    Module.objects.create(organization=org, code="bewerbung", name="Bewerbungstraining", position=9)
    html = _in("en", coordinator_client).get(reverse("trainings:module_list")).content.decode()
    for english in (
        "Activity planning",
        "Constructive thinking",
        "Social skills and social support",
        "Systematic problem solving",
        "Exercise",
        "Nutrition",
        "Relaxation",
        "Workshop: benefits under SGB II and SGB III",
        "Structuring the day",
    ):
        assert english in html
    assert "Bewerbungstraining" in html  # typed by the organization: no translation


@pytest.mark.django_db
def test_a_shipped_module_renamed_in_the_admin_is_shown_as_typed():
    module = catalogue_module("bewegung")
    with translation.override("en"):
        assert str(module) == "Exercise"
        Module.objects.filter(pk=module.pk).update(name="Bewegung und Sport")
        module.refresh_from_db()
        assert str(module) == "Bewegung und Sport"
        assert module.display_description == "Bringing exercise into everyday life."


@pytest.fixture
def answered_run(org):
    run, _ = run_with_sessions(org, first=date(2026, 3, 2), count=8)
    for _ in range(3):
        submit_course(FeedbackCodeFactory(run=run), scale=1, helped="Die Gruppe")
    return run


def test_staff_results_show_the_shipped_questionnaire_in_english(coordinator_client, answered_run):
    html = (
        _in("en", coordinator_client)
        .get(reverse("feedback:run_results", args=[answered_run.pk]))
        .content.decode()
    )
    assert "Acceptance" in html and "I felt comfortable in the training." in html
    assert "strongly agree" in html and "What helped" in html
    assert "Akzeptanz" not in html and "wohlgefühlt" not in html and "stimme voll" not in html
    assert "Die Gruppe" in html  # what participants wrote stays as written


def test_the_export_names_the_questions_in_the_readers_language(org, answered_run):
    with translation.override("en"):
        text = exports.answers_csv(org, 2026).decode("utf-8-sig")
    assert text.startswith("Course run;Questionnaire;Version;Moment;")
    assert "I felt comfortable in the training." in text and "Acceptance" in text
    assert "wohlgefühlt" not in text


def _year_report(client: Client, capture) -> tuple[PdfReader, str]:
    with capture(execute=True):
        client.post(reverse("feedback:year_report_pdf", args=[2026]))
    document = Document.objects.latest("pk")
    assert document.status == Document.Status.DONE, document.get_failure_display()
    reader = PdfReader(io.BytesIO(document.file.read()))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_year_report_is_written_in_the_askers_language(
    coordinator_client, answered_run, django_capture_on_commit_callbacks
):
    reader, text = _year_report(_in("en", coordinator_client), django_capture_on_commit_callbacks)
    assert (
        reader.trailer["/Root"]["/Lang"] == "en" and reader.metadata.title == "Annual report 2026"
    )
    assert "Acceptance" in text and "I felt comfortable in the training." in text
    assert "Course runs 2026" in text and "Akzeptanz" not in text and "Durchgänge" not in text
    reader, text = _year_report(_in("de", coordinator_client), django_capture_on_commit_callbacks)
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert "Akzeptanz" in text and "Durchgänge 2026" in text and "Acceptance" not in text


def test_documents_for_participants_stay_german_when_an_english_reader_asks(
    coordinator_client, org, django_capture_on_commit_callbacks
):
    module = catalogue_module("konstruktives-denken")
    run, _ = run_with_sessions(org, count=2)
    run.modules.set([module])
    EnrollmentFactory(run=run)
    with django_capture_on_commit_callbacks(execute=True):
        _in("en", coordinator_client).post(
            reverse("participants:document", args=[run.pk, "handout"]), {"module": module.pk}
        )
    document = Document.objects.latest("pk")
    assert document.language == "de" and document.status == Document.Status.DONE
    reader = PdfReader(io.BytesIO(document.file.read()))
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert "Konstruktives Denken" in reader.pages[0].extract_text()


def test_the_attendance_matrix_heads_its_columns_in_the_readers_format(coordinator_client, org):
    run, _ = run_with_sessions(org, first=date(2027, 5, 3), count=2)
    EnrollmentFactory(run=run)
    url = reverse("participants:matrix", args=[run.pk])
    assert "03.05." in coordinator_client.get(url).content.decode()
    html = _in("en", coordinator_client).get(url).content.decode()
    assert "03/05" in html and "03.05." not in html and "03/05/" not in html
