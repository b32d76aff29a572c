"""The rights of the people whose data this is (GDPR): access to everything stored about
them (Art. 15) and erasure (Art. 17), which anonymises as the retention does."""

from django.db import models, transaction
from django.utils import timezone

from aktiva.audit import audit_log
from aktiva.models import AuditLogEntry

from .models import Attendance, AttendanceChange, Certificate, Enrollment, Participant
from .retention import participants_anonymise


def _fields(obj: models.Model, *, leave_out=()) -> dict:
    """Every concrete field of the row, by name, as JSON-ready values."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in leave_out:
            continue
        value = getattr(obj, field.attname)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        data[field.name] = value
    return data


def participant_export(participant: Participant) -> dict:
    """Everything stored about one person (Art. 15 GDPR), the runs it hangs off by name."""
    enrollments = Enrollment.objects.filter(participant=participant).select_related("run")
    attendances = Attendance.objects.filter(enrollment__participant=participant).select_related(
        "session"
    )
    changes = AttendanceChange.objects.filter(
        attendance__enrollment__participant=participant
    ).select_related("changed_by")
    audit = AuditLogEntry.objects.filter(
        object_type=participant._meta.label, object_id=str(participant.pk)
    ).select_related("user")
    return {
        "participant": _fields(participant),
        "enrollments": [
            {**_fields(e), "run_title": e.run.title} for e in enrollments.order_by("created_at")
        ],
        "attendance": [
            {**_fields(a), "session_date": a.session.date.isoformat()}
            for a in attendances.order_by("session__date")
        ],
        "attendance_changes": [
            {**_fields(c, leave_out=("changed_by",)), "changed_by": _staff(c.changed_by)}
            for c in changes.order_by("changed_at")
        ],
        "certificates": [_fields(c) for c in Certificate.objects.filter(participant=participant)],
        "access_log": [
            {**_fields(entry, leave_out=("user",)), "user": _staff(entry.user)}
            for entry in audit.order_by("created_at")
        ],
        "exported_at": timezone.now().isoformat(),
    }


def _staff(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


@transaction.atomic
def participant_erase(*, participant: Participant, user) -> Participant:
    """Anonymise one person now (Art. 17 GDPR); the statistics stay."""
    participants_anonymise(ids=[participant.pk])
    participant.refresh_from_db()  # the log names what is left, not the erased name
    audit_log(
        user=user,
        organization=participant.organization,
        action=AuditLogEntry.Action.DELETE,
        obj=participant,
        details={"erasure": True},
    )
    return participant
