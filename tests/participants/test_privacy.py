"""A person's rights: everything stored about them (Art. 15 GDPR) and erasure (Art. 17);
deleting in the admin does not destroy statistics."""

import io
import json

import pytest
from django.contrib.admin.sites import site
from django.db.models import RestrictedError
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfReader

from aktiva.audit import audit_log
from aktiva.models import AuditLogEntry, Document
from participants.models import (
    Attendance,
    AttendanceChange,
    Certificate,
    Enrollment,
    Participant,
)
from participants.privacy import participant_export
from participants.services import attendance_record
from tests.factories import UserFactory

from .factories import EnrollmentFactory, ParticipantFactory, run_with_sessions


@pytest.fixture
def person(org, coordinator):
    run, sessions = run_with_sessions(org, count=2, title="AktivA Auskunft")
    participant = ParticipantFactory(
        organization=org,
        first_name="Ida",
        last_name="Ulm",
        customer_number="123D456789",
        email="ida@example.org",
        phone="0351 555",
        note="bevorzugt vormittags",
    )
    enrollment = EnrollmentFactory(run=run, participant=participant)
    attendance_record(session=sessions[0], enrollment=enrollment, status="late", user=coordinator)
    Certificate.objects.create(
        participant=participant, run=run, initials="I. U.", sessions_attended=2,
        sessions_held=2, units_attended=8,
    )  # fmt: skip
    audit_log(user=coordinator, organization=org, action=AuditLogEntry.Action.VIEW, obj=participant)
    return participant


# The rows that hang off a person, and how each is reached from them.
PERSONAL_MODELS = {
    Participant: "participant",
    Enrollment: "enrollments",
    Attendance: "attendance",
    AttendanceChange: "attendance_changes",
    Certificate: "certificates",
    AuditLogEntry: "access_log",
}


def test_the_export_holds_every_field_of_every_model_about_the_person(person):
    """Fails when a model or field about people is added and the export misses it."""
    from django.apps import apps

    related = {
        model
        for model in apps.get_app_config("participants").get_models()
        if model is Participant
        or any(
            f.related_model in (Participant, Enrollment, Attendance)
            for f in model._meta.concrete_fields
            if f.is_relation
        )
    }
    assert related <= set(PERSONAL_MODELS), related - set(PERSONAL_MODELS)
    export = participant_export(person)
    for model, section in PERSONAL_MODELS.items():
        rows = export[section] if isinstance(export[section], list) else [export[section]]
        assert rows, section
        for field in model._meta.concrete_fields:
            assert field.name in rows[0], f"{section}: {field.name} missing"
    assert export["participant"]["customer_number"] == "123D456789"
    assert export["participant"]["note"] == "bevorzugt vormittags"


def test_coordinator_downloads_the_export_as_json_and_it_is_logged(coordinator_client, person):
    response = coordinator_client.get(reverse("participants:export_json", args=[person.pk]))
    data = json.loads(response.content)
    assert response.status_code == 200 and data["participant"]["last_name"] == "Ulm"
    assert data["attendance"][0]["status"] == "late"
    assert AuditLogEntry.objects.filter(
        action=AuditLogEntry.Action.EXPORT, details__art15="json"
    ).exists()


def test_the_export_as_pdf_names_everything(
    coordinator_client, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(reverse("participants:export_pdf", args=[person.pk]))
    document = Document.objects.get(kind="participants.data_export")
    document.refresh_from_db()
    assert document.status == Document.Status.DONE
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(document.file.read())).pages)
    assert "Ulm" in text and "123D456789" in text and "AktivA Auskunft" in text


def test_export_and_erasure_are_for_the_own_organizations_coordinators(
    trainer_client, outsider_client, person
):
    for name in ("participants:export_json", "participants:erase"):
        url = reverse(name, args=[person.pk])
        assert trainer_client.get(url).status_code == 403
        assert outsider_client.get(url).status_code == 404


def test_erasure_asks_first_then_anonymises_and_statistics_stay(coordinator_client, person):
    url = reverse("participants:erase", args=[person.pk])
    page = coordinator_client.get(url).content.decode()
    assert "endgültig" in page
    coordinator_client.post(url, {})  # no confirmation: nothing happens
    person.refresh_from_db()
    assert person.last_name == "Ulm"
    coordinator_client.post(url, {"confirm": str(person.pk)})
    person.refresh_from_db()
    assert person.anonymised_at and person.last_name != "Ulm" and person.customer_number == ""
    assert Attendance.objects.filter(enrollment__participant=person).count() == 1
    certificate = Certificate.objects.get(participant=person)
    verify = coordinator_client.get(reverse("participants:verify", args=[certificate.number]))
    assert verify.status_code == 200 and "I. U." in verify.content.decode()
    logged = AuditLogEntry.objects.filter(object_id=str(person.pk))
    assert not logged.filter(object_repr__contains="Ulm").exists()


def test_deleting_a_person_keeps_the_statistics(person):
    with pytest.raises(RestrictedError):
        person.delete()
    admin = site._registry[Participant]
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    assert not admin.has_delete_permission(request, person)


def test_deleting_a_staff_account_keeps_the_attendance_history(person, coordinator):
    coordinator.delete()
    assert AttendanceChange.objects.get().changed_by is None
    assert Attendance.objects.count() == 1
