from datetime import timedelta
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from aktiva.audit import audit_log
from aktiva.models import AuditLogEntry
from participants.models import Attendance, Certificate, Participant
from participants.retention import participants_anonymise_expired
from participants.selectors import attendance_summaries
from participants.tasks import retention_task

from .factories import EnrollmentFactory, ParticipantFactory, mark, run_with_sessions


def test_anonymises_after_retention_period_and_keeps_counts(org, coordinator, settings):
    settings.AKTIVA_RETENTION_DAYS = 30
    old_run, old_sessions = run_with_sessions(org, count=2, past=40)  # ended 39 days ago
    recent_run, _ = run_with_sessions(org, count=2, past=10)
    old = EnrollmentFactory(
        run=old_run,
        participant=ParticipantFactory(
            organization=org,
            first_name="Olga",
            last_name="Alt",
            customer_number="K1",
            email="o@example.org",
        ),
        withdrawal_reason="",
    )
    mark(old, old_sessions)
    Certificate.objects.create(
        participant=old.participant,
        run=old_run,
        initials="O. A.",
        sessions_attended=2,
        sessions_held=2,
        units_attended=8,
    )
    audit_log(user=coordinator, organization=org, action="view", obj=old.participant)
    kept = EnrollmentFactory(
        run=recent_run, participant=ParticipantFactory(organization=org, last_name="Neu")
    )
    both = ParticipantFactory(organization=org, last_name="Beides")
    EnrollmentFactory(run=old_run, participant=both)
    EnrollmentFactory(run=recent_run, participant=both)

    assert participants_anonymise_expired() == 1

    person = Participant.objects.get(pk=old.participant.pk)
    assert person.first_name == "Anonymisiert" and person.last_name == f"#{person.pk}"
    assert (person.customer_number, person.email, person.phone, person.note) == ("", "", "", "")
    assert person.anonymised_at is not None
    assert not AuditLogEntry.objects.filter(object_repr__contains="Olga").exists()
    assert Participant.objects.get(pk=kept.participant.pk).last_name == "Neu"
    assert Participant.objects.get(pk=both.pk).last_name == "Beides"
    # aggregates survive
    assert Attendance.objects.filter(enrollment=old).count() == 2
    assert sorted(s.attended for s in attendance_summaries(old_run)) == [0, 2]
    assert Certificate.objects.get().initials == "O. A."
    # running twice changes nothing
    assert retention_task() == 0


def test_never_enrolled_old_record_is_anonymised(org, settings):
    settings.AKTIVA_RETENTION_DAYS = 30
    stale = ParticipantFactory(organization=org, last_name="Vergessen")
    Participant.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=31))
    fresh = ParticipantFactory(organization=org, last_name="Frisch")
    assert participants_anonymise_expired() == 1
    assert Participant.objects.get(pk=fresh.pk).last_name == "Frisch"


def test_anonymised_person_is_hidden_from_search_and_not_editable(coordinator_client, org):
    person = ParticipantFactory(organization=org, last_name="Weg", anonymised_at=timezone.now())
    response = coordinator_client.get(reverse("participants:list"), {"q": "Weg"})
    assert list(response.context["page"].object_list) == []
    assert (
        coordinator_client.get(reverse("participants:update", args=[person.pk])).status_code == 404
    )


def test_beat_schedule_runs_retention(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["participants-retention"]
    assert entry["task"] == retention_task.name


def test_old_generated_documents_are_deleted(org, settings):
    from django.core.files.base import ContentFile

    from aktiva.models import Document
    from participants.retention import documents_delete_expired

    settings.AKTIVA_RETENTION_DAYS = 30
    old = Document.objects.create(organization=org, kind="participants.invitation", title="alt")
    old.file.save("einladung.pdf", ContentFile(b"%PDF"), save=True)
    path = old.file.path
    Document.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    fresh = Document.objects.create(organization=org, kind="participants.invitation", title="neu")
    other = Document.objects.create(organization=org, kind="feedback.report", title="fremd")
    Document.objects.filter(pk=other.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert documents_delete_expired() == 1
    assert set(Document.objects.values_list("pk", flat=True)) == {fresh.pk, other.pk}
    assert not Path(path).exists()
