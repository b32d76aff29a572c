import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from aktiva.models import AuditLogEntry, Document
from participants.models import Attendance, Certificate, HandoutContent
from participants.services import attendance_record, certificates_issue
from tests.factories import LocationFactory, TrainerFactory, catalogue_module
from trainings.services import course_run_transition

from .factories import EnrollmentFactory, ParticipantFactory, mark, run_with_sessions


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    """Tests run inside a transaction that never commits: queue documents at once."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())


def pdf_text(document: Document) -> str:
    document.refresh_from_db()
    assert document.status == "done", document.get_failure_display()
    with document.file.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def completed_run(org, trainer):
    org.city, org.contact_phone = "Dresden", "0351 99 88 77"
    org.save()
    second = TrainerFactory(organization=org, first_name="Ben", last_name="Zweiter")
    run, sessions = run_with_sessions(
        org, count=8, trainers=[trainer, second], title="AktivA Herbst"
    )
    module = catalogue_module("aktivitaetenplanung")
    sessions[0].modules.set([module])
    run.modules.set([module])
    run.status = "running"
    run.save()
    seven = EnrollmentFactory(
        run=run,
        participant=ParticipantFactory(organization=org, first_name="Sieben", last_name="Mal"),
    )
    six = EnrollmentFactory(
        run=run,
        participant=ParticipantFactory(organization=org, first_name="Sechs", last_name="Mal"),
    )
    mark(seven, sessions[:7])
    mark(seven, sessions[7:], "absent")
    mark(six, sessions[:6])
    run = course_run_transition(run=run, to="completed")  # issues the certificates
    for session in sessions:
        session.run = run
    return run, sessions, seven, six


def _request(client, run, kind, **data):
    response = client.post(reverse("participants:document", args=[run.pk, kind]), data)
    assert response.status_code == 302, response
    return Document.objects.latest("pk")


def test_certificates_batch_pdf_text(coordinator_client, completed_run):
    run, sessions, seven, six = completed_run
    document = _request(coordinator_client, run, "certificates")
    text = pdf_text(document)
    certificate = Certificate.objects.get()
    assert certificate.participant == seven.participant  # 6 of 8 gets none
    assert "Sieben Mal" in text and "Sechs Mal" not in text
    assert "7 von 8" in text and "28 UE" in text
    assert certificate.number in text
    assert "Aktivitätenplanung" in text and "Tina Trainerin" in text and "Ben Zweiter" in text
    assert (
        sessions[0].date.strftime("%d.%m.%Y") in text
        and sessions[-1].date.strftime("%d.%m.%Y") in text
    )
    assert "Jobcenter Dresden" in text


def test_certificate_page_says_why_not(coordinator_client, completed_run):
    run, *_ = completed_run
    page = coordinator_client.get(
        reverse("participants:certificates", args=[run.pk])
    ).content.decode()
    assert "Keine Bescheinigung: 6 besucht, nötig sind 7 Termine (80 %)." in page


def test_no_certificate_for_below_80_percent(coordinator_client, completed_run):
    run, _, _, six = completed_run
    response = coordinator_client.post(
        reverse("participants:document", args=[run.pk, "certificates"]),
        {"enrollment": six.pk},
        follow=True,
    )
    assert "80 %" in response.content.decode()
    assert not Document.objects.exists()
    assert not Certificate.objects.filter(participant=six.participant).exists()


def test_certificates_only_for_completed_run(coordinator_client, org):
    run, sessions = run_with_sessions(org, count=2)
    enrollment = EnrollmentFactory(run=run)
    mark(enrollment, sessions)
    response = coordinator_client.post(
        reverse("participants:document", args=[run.pk, "certificates"]), follow=True
    )
    assert "abgeschlossen" in response.content.decode()
    assert not Certificate.objects.exists()


def test_certificate_issue_twice_keeps_number(coordinator_client, completed_run):
    run, _, seven, _ = completed_run
    _request(coordinator_client, run, "certificates")
    number = Certificate.objects.get().number
    document = _request(coordinator_client, run, "certificates", enrollment=seven.pk)
    assert Certificate.objects.get().number == number
    assert number in pdf_text(document)


def test_public_verification_shows_only_course_date_initials(
    client, coordinator_client, completed_run
):
    run, sessions, *_ = completed_run
    _request(coordinator_client, run, "certificates")
    certificate = Certificate.objects.get()
    response = client.get(reverse("participants:verify", args=[certificate.number]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "ist echt" in page and "AktivA Herbst" in page and "S. M." in page
    assert sessions[-1].date.strftime("%d.%m.%Y") in page
    assert "Sieben" not in page
    assert client.get(reverse("participants:verify", args=["TB-FALSCH"])).status_code == 404


def test_signin_sheet_text(trainer_client, trainer, org):
    location = LocationFactory(organization=org, name="Raum 2.14", street="Budapester Straße 30")
    run, sessions = run_with_sessions(
        org, count=2, trainers=[trainer], location=location, title="AktivA Sommer"
    )
    EnrollmentFactory(
        run=run, participant=ParticipantFactory(organization=org, first_name="Ida", last_name="Ulm")
    )
    EnrollmentFactory(
        run=run,
        participant=ParticipantFactory(organization=org, first_name="Wer", last_name="Wartet"),
        status="waiting",
        waiting_since="2026-01-01T08:00Z",
    )
    document = _request(trainer_client, run, "signin_sheet", session=sessions[1].pk)
    text = pdf_text(document)
    assert "Unterschriftenliste" in text and "Ulm, Ida" in text and "Wartet" not in text
    assert sessions[1].date.strftime("%d.%m.%Y") in text
    assert "Raum 2.14" in text and "Tina Trainerin" in text and "Unterschrift" in text


def test_invitation_text_one_and_all(coordinator_client, org, trainer):
    org.contact_phone = "0351 123 456"
    org.save()
    location = LocationFactory(
        organization=org, name="Saal A", step_free=True, street="Hauptstraße 1"
    )
    run, sessions = run_with_sessions(org, count=2, past=-3, trainers=[trainer], location=location)
    a = EnrollmentFactory(
        run=run,
        participant=ParticipantFactory(organization=org, first_name="Ali", last_name="Aksoy"),
    )
    EnrollmentFactory(
        run=run,
        participant=ParticipantFactory(organization=org, first_name="Bea", last_name="Berg"),
    )
    text = pdf_text(_request(coordinator_client, run, "invitation", enrollment=a.pk))
    assert "Ali Aksoy" in text and "Bea Berg" not in text
    assert sessions[0].date.strftime("%d.%m.%Y") in text and "09:00–12:00" in text
    assert "Hauptstraße 1" in text and "stufenlos erreichbar" in text
    assert "Tina Trainerin" in text and "0351 123 456" in text
    text = pdf_text(_request(coordinator_client, run, "invitation"))
    assert "Ali Aksoy" in text and "Bea Berg" in text


def test_handout_uses_organization_content(coordinator_client, org, other_org):
    module = catalogue_module("konstruktives-denken")
    run, sessions = run_with_sessions(org, count=2)
    run.modules.set([module])
    sessions[1].modules.set([module])
    EnrollmentFactory(
        run=run,
        participant=ParticipantFactory(organization=org, first_name="Hanna", last_name="Hoff"),
    )
    HandoutContent.objects.create(
        organization=org,
        module=module,
        body="# Unser Blatt\n\n- Gedanken prüfen\n- <img src='file:///etc/passwd'>",
    )
    HandoutContent.objects.create(organization=other_org, module=module, body="Fremder Inhalt")
    text = pdf_text(_request(coordinator_client, run, "handout", module=module.pk))
    assert "Hanna Hoff" in text and "Konstruktives Denken" in text
    assert sessions[1].date.strftime("%d.%m.%Y") in text
    assert "Unser Blatt" in text and "Gedanken prüfen" in text and "<img" in text  # shown as text
    assert "Fremder Inhalt" not in text


def test_handout_edit_page(coordinator_client, trainer_client, org):
    module = catalogue_module("problemloesen")
    url = reverse("participants:handout_edit", args=[module.pk])
    assert trainer_client.get(url).status_code == 403
    assert "Systematisches Problemlösen" in coordinator_client.get(url).content.decode()
    coordinator_client.post(url, {"body": "# Neu"})
    assert HandoutContent.objects.get(organization=org, module=module).body == "# Neu"


def test_document_request_access(anonymous_client, outsider_client, trainer_client, org, trainer):
    run, sessions = run_with_sessions(org, count=1)  # trainer does not lead it
    EnrollmentFactory(run=run)
    url = reverse("participants:document", args=[run.pk, "invitation"])
    assert anonymous_client.post(url).status_code == 302
    assert outsider_client.post(url).status_code == 404
    assert trainer_client.post(url).status_code == 404
    assert not Document.objects.exists()
    assert (
        anonymous_client.post(
            reverse("participants:document", args=[run.pk, "unknown"])
        ).status_code
        == 302
    )


def test_htmx_request_answers_with_status(coordinator_client, org):
    run, sessions = run_with_sessions(org, count=1)
    EnrollmentFactory(run=run)
    response = coordinator_client.post(
        reverse("participants:document", args=[run.pk, "signin_sheet"]),
        {"session": sessions[0].pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Herunterladen" in response.content.decode()


def test_broker_down_says_so(coordinator_client, org):
    from unittest import mock

    from kombu.exceptions import OperationalError

    run, sessions = run_with_sessions(org, count=1)
    EnrollmentFactory(run=run)
    with mock.patch(
        "aktiva.tasks.document_render_task.apply_async", side_effect=OperationalError("refused")
    ):
        response = coordinator_client.post(
            reverse("participants:document", args=[run.pk, "invitation"]), follow=True
        )
    assert response.status_code == 200
    assert "nicht erreichbar" in response.content.decode()
    assert Document.objects.get().status == "failed"
    assert coordinator_client.get(reverse("participants:run", args=[run.pk])).status_code == 200


def test_pdf_fetcher_serves_collected_static_files_only(settings, tmp_path):
    """Production: {% static %} names hashed copies in STATIC_ROOT, unknown to the finders."""
    from django.core.exceptions import SuspiciousFileOperation

    from aktiva.pdf import BASE_URL, StaticOnlyURLFetcher, _static_path

    settings.STATIC_ROOT = tmp_path / "static"
    (settings.STATIC_ROOT / "fonts").mkdir(parents=True)
    hashed = settings.STATIC_ROOT / "fonts" / "source-sans-3-latin-400-normal.0123abcd.woff2"
    hashed.write_bytes(b"font")
    (tmp_path / "secret.txt").write_text("geheim")
    assert _static_path(f"{BASE_URL}static/fonts/{hashed.name}") == hashed.resolve()
    fetcher = StaticOnlyURLFetcher()
    for url in (f"static//{tmp_path}/secret.txt", "static/%2E%2E/secret.txt"):
        with pytest.raises((ValueError, SuspiciousFileOperation)):
            fetcher.fetch(BASE_URL + url)


def test_certificate_revoked_when_attendance_drops_and_valid_again(
    client, coordinator, coordinator_client, completed_run
):
    run, sessions, seven, _ = completed_run
    _request(coordinator_client, run, "certificates")
    certificate = Certificate.objects.get()
    # a correction after the end: one session fewer, 6 of 8 is below 80 %
    attendance_record(session=sessions[0], enrollment=seven, status="absent", user=coordinator)
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert AuditLogEntry.objects.filter(details__certificates_revoked=[certificate.number]).exists()
    page = coordinator_client.get(
        reverse("participants:certificates", args=[run.pk])
    ).content.decode()
    assert "erhält eine Bescheinigung" not in page and "widerrufen" in page
    documents = Document.objects.count()
    refused = coordinator_client.post(
        reverse("participants:document", args=[run.pk, "certificates"]), follow=True
    )
    assert "80 %" in refused.content.decode()
    assert Document.objects.count() == documents
    response = client.get(reverse("participants:verify", args=[certificate.number]))
    verify = response.content.decode()
    assert "widerrufen" in verify and "ist echt" not in verify
    assert "AktivA Herbst" in verify and "S. M." in verify and "Sieben" not in verify
    # corrected back: the same number is valid again
    attendance_record(session=sessions[0], enrollment=seven, status="present", user=coordinator)
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert Certificate.objects.get().number == certificate.number
    assert (
        "ist echt"
        in client.get(reverse("participants:verify", args=[certificate.number])).content.decode()
    )


def test_revoked_certificate_is_not_printed(coordinator_client, completed_run):
    run, sessions, seven, six = completed_run
    Attendance.objects.filter(enrollment=six, session=sessions[6]).delete()
    mark(six, sessions[6:7])
    certificates_issue(run=run)
    assert Certificate.objects.valid().count() == 2
    Attendance.objects.filter(enrollment=six, session=sessions[6]).update(status="absent")
    issued = certificates_issue(run=run)
    assert [c.participant for c in issued] == [seven.participant]
    document = _request(coordinator_client, run, "certificates")
    text = pdf_text(document)
    assert "Sieben Mal" in text and "Sechs Mal" not in text


def test_coordinator_issues_certificates_explicitly(
    coordinator_client, trainer_client, completed_run
):
    run, _sessions, seven, _six = completed_run
    Certificate.objects.all().delete()  # e.g. a run completed before certificates existed
    url = reverse("participants:certificates_issue", args=[run.pk])
    assert trainer_client.post(url).status_code == 403
    page = coordinator_client.post(url, follow=True).content.decode()
    assert "1 gültige Bescheinigung." in page
    assert Certificate.objects.get().participant == seven.participant
    assert Document.objects.count() == 0  # issuing prints nothing by itself


def test_asking_for_the_pdf_issues_no_certificate(coordinator_client, org):
    run, sessions = run_with_sessions(org, count=1)
    enrollment = EnrollmentFactory(run=run)
    mark(enrollment, sessions)
    run.status = "completed"  # completed without the status change: nothing was issued
    run.save()
    response = coordinator_client.post(
        reverse("participants:document", args=[run.pk, "certificates"]), follow=True
    )
    assert "keine gültige Bescheinigung" in response.content.decode()
    assert not Certificate.objects.exists() and not Document.objects.exists()


def _tagged_pdf(document: Document) -> PdfReader:
    """A tagged PDF/UA-1 document in German with its title shown (BITV 2.0)."""
    document.refresh_from_db()
    with document.file.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()  # claims PDF/UA-1
    return reader


def test_certificates_are_tagged_pdfs(coordinator_client, completed_run):
    run, *_ = completed_run
    reader = _tagged_pdf(_request(coordinator_client, run, "certificates"))
    assert reader.metadata.title == "Teilnahmebescheinigung"


def test_handouts_are_tagged_pdfs(coordinator_client, org):
    module = catalogue_module("konstruktives-denken")
    run, _ = run_with_sessions(org, count=2)
    run.modules.set([module])
    EnrollmentFactory(run=run)
    coordinator_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    reader = _tagged_pdf(_request(coordinator_client, run, "handout", module=module.pk))
    assert reader.metadata.title == "Handout Konstruktives Denken"  # a German document


@pytest.mark.parametrize(
    ("public_url", "expected"),
    [("", "http://demo.example:8080"), ("https://aktiva.jobcenter.example", None)],
)
def test_certificates_link_to_the_address_they_were_asked_for_on_unless_one_is_set(
    settings, coordinator_client, completed_run, public_url, expected
):
    """Without AKTIVA_PUBLIC_URL (development, demo) the address of the request; the setting
    wins where it is set. The worker renders later, from the address stored on the row."""
    settings.ALLOWED_HOSTS = ["demo.example"]
    settings.AKTIVA_PUBLIC_URL = public_url
    run = completed_run[0]
    response = coordinator_client.post(
        reverse("participants:document", args=[run.pk, "certificates"]),
        HTTP_HOST="demo.example:8080",
    )
    assert response.status_code == 302
    document = Document.objects.latest("pk")
    assert document.base_url == "http://demo.example:8080"
    text = pdf_text(document).replace("\n", "")
    number = Certificate.objects.get().number
    assert (expected or public_url) + reverse("participants:verify", args=[number]) in text
    assert "127.0.0.1" not in text
