"""Business rules for participants: enrollment with a waiting list, attendance, certificates."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aktiva.audit import audit_log
from aktiva.models import AuditLogEntry
from trainings.models import CourseRun, Session

from .models import Attendance, AttendanceChange, Certificate, Enrollment, Participant
from .selectors import attendance_summaries


@transaction.atomic
def participant_save(*, participant: Participant, user) -> Participant:
    creating = participant.pk is None
    participant.full_clean()
    participant.save()
    audit_log(
        user=user,
        organization=participant.organization,
        action=AuditLogEntry.Action.CREATE if creating else AuditLogEntry.Action.CHANGE,
        obj=participant,
    )
    return participant


@dataclass
class EnrollmentResult:
    enrollment: Enrollment
    promoted: Enrollment | None = None


@transaction.atomic
def enrollment_create(*, run: CourseRun, participant: Participant, user=None) -> Enrollment:
    """Give the participant a place, or a place at the end of the waiting list when the run
    is full or others are already waiting (they move up first, see `waiting_list_promote`).

    The run row is locked first, so two coordinators taking the last place at the same
    moment are served one after the other: the second sees the place taken.
    """
    run = CourseRun.objects.select_for_update().get(pk=run.pk)
    if run.is_closed:
        raise ValidationError(
            _("Ein abgeschlossener oder abgesagter Durchgang nimmt niemanden mehr auf.")
        )
    if participant.organization_id != run.organization_id:
        raise ValidationError(_("Die Person gehört zu einer anderen Organisation."))
    existing = Enrollment.objects.filter(run=run, participant=participant).first()
    if existing and existing.status != Enrollment.Status.WITHDRAWN:
        raise ValidationError(
            _("%(name)s ist in diesem Durchgang schon eingetragen (%(status)s).")
            % {"name": participant, "status": existing.get_status_display()}
        )
    enrollment = existing or Enrollment(run=run, participant=participant)
    taken = Enrollment.objects.filter(run=run).holding_place().count()
    someone_waits = Enrollment.objects.filter(run=run).waiting().exists()
    now = timezone.now()
    if taken < run.capacity and not someone_waits:
        enrollment.status = Enrollment.Status.ENROLLED
        enrollment.waiting_since = None
    else:
        enrollment.status = Enrollment.Status.WAITING
        enrollment.waiting_since = now
    enrollment.withdrawn_at = None
    enrollment.withdrawal_reason = ""
    enrollment.promoted_at = None
    enrollment.full_clean()
    enrollment.save()
    audit_log(
        user=user,
        organization=run.organization,
        action=AuditLogEntry.Action.CHANGE,
        obj=participant,
        details={"run": run.pk, "enrollment": enrollment.status},
    )
    return enrollment


@transaction.atomic
def enrollment_withdraw(
    *, enrollment: Enrollment, reason: str, user=None, dropped_out: bool = False
) -> EnrollmentResult:
    """Withdraw (with a reason), or record that someone dropped out of a run they attended.

    A freed place goes to the first person on the waiting list. A dropout keeps the
    attendance recorded so far; withdrawal and dropout differ only in the status.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Bitte geben Sie einen Grund an.")})
    run = CourseRun.objects.select_for_update().get(pk=enrollment.run_id)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status not in (Enrollment.Status.ENROLLED, Enrollment.Status.WAITING):
        raise ValidationError(_("Diese Anmeldung ist nicht mehr aktiv."))
    if dropped_out and enrollment.status != Enrollment.Status.ENROLLED:
        raise ValidationError(
            {"outcome": _("Abbrechen kann nur, wer angemeldet ist (nicht auf der Warteliste).")}
        )
    freed_place = enrollment.holds_place
    status = Enrollment.Status.DROPPED_OUT if dropped_out else Enrollment.Status.WITHDRAWN
    enrollment.status = status
    enrollment.withdrawn_at = timezone.now()
    enrollment.withdrawal_reason = reason
    enrollment.waiting_since = None
    enrollment.full_clean()
    enrollment.save()
    audit_log(
        user=user,
        organization=run.organization,
        action=AuditLogEntry.Action.CHANGE,
        obj=enrollment.participant,
        details={"run": run.pk, "enrollment": status.value},
    )
    promoted = None
    if freed_place and not run.is_closed:
        promoted = _promote_next(run=run, user=user)
    return EnrollmentResult(enrollment=enrollment, promoted=promoted)


@transaction.atomic
def enrollments_close(*, run: CourseRun) -> None:
    """When a run is completed, its participants have completed it; nobody waits any more."""
    Enrollment.objects.filter(run=run, status=Enrollment.Status.ENROLLED).update(
        status=Enrollment.Status.COMPLETED
    )
    Enrollment.objects.filter(run=run, status=Enrollment.Status.WAITING).update(
        status=Enrollment.Status.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawal_reason=_("Durchgang abgeschlossen, kein Platz frei geworden"),
        waiting_since=None,
    )


@transaction.atomic
def waiting_list_promote(*, run: CourseRun, user=None) -> list[Enrollment]:
    """Fill free places (e.g. after the capacity was raised) from the waiting list, in order."""
    run = CourseRun.objects.select_for_update().get(pk=run.pk)
    if run.is_closed:
        raise ValidationError(_("Der Durchgang ist abgeschlossen oder abgesagt."))
    promoted = []
    while (enrollment := _promote_next(run=run, user=user)) is not None:
        promoted.append(enrollment)
    return promoted


def _promote_next(*, run: CourseRun, user) -> Enrollment | None:
    if Enrollment.objects.filter(run=run).holding_place().count() >= run.capacity:
        return None
    first = Enrollment.objects.filter(run=run).waiting().select_related("participant").first()
    if first is None:
        return None
    first.status = Enrollment.Status.ENROLLED
    first.waiting_since = None
    first.promoted_at = timezone.now()
    first.save(update_fields=["status", "waiting_since", "promoted_at"])
    audit_log(
        user=user,
        organization=run.organization,
        action=AuditLogEntry.Action.CHANGE,
        obj=first.participant,
        details={"run": run.pk, "enrollment": "promoted"},
    )
    return first


def attendance_check_session(session: Session) -> None:
    if session.run.status == CourseRun.Status.CANCELLED:
        raise ValidationError(_("Der Durchgang ist abgesagt."))
    if session.is_cancelled:
        raise ValidationError(_("Für einen abgesagten Termin wird keine Anwesenheit erfasst."))
    if session.date > timezone.localdate():
        raise ValidationError(_("Anwesenheit kann erst am Tag des Termins erfasst werden."))


@transaction.atomic
def attendance_record(*, session: Session, enrollment: Enrollment, status: str, user) -> Attendance:
    """Set one participant's mark for one session and keep the change in the history."""
    if not session.run.is_visible_to(getattr(user, "membership", None)):
        raise PermissionDenied(_("Nur die Trainer/innen des Durchgangs und die Koordination."))
    attendance_check_session(session)
    if (
        enrollment.run_id != session.run_id
        or enrollment.status not in Enrollment.ATTENDANCE_STATUSES
    ):
        raise ValidationError(_("Diese Person hat in diesem Durchgang keinen Platz."))
    if status not in Attendance.Status.values:
        raise ValidationError(_("Unbekannter Anwesenheitsstatus."))
    attendance, created = Attendance.objects.select_for_update().get_or_create(
        session=session, enrollment=enrollment, defaults={"status": status}
    )
    previous = "" if created else attendance.status
    if previous == status:
        return attendance
    attendance.status = status
    attendance.full_clean()
    attendance.save()
    AttendanceChange.objects.create(
        attendance=attendance, previous_status=previous, status=status, changed_by=user
    )
    if session.run.status == CourseRun.Status.COMPLETED and session.run.certificates.exists():
        # A correction after the end: certificates follow the attendance at once.
        certificates_issue(run=session.run, user=user)
    return attendance


@transaction.atomic
def certificates_issue(*, run: CourseRun, user=None) -> list[Certificate]:
    """Issue (or keep) a certificate for everyone with enough attendance in a completed run,
    and withdraw the certificates of those who no longer have it (attendance corrected).

    Returns the valid certificates. A revoked certificate is valid again, with the same
    number, once its holder qualifies again.
    """
    if run.status != CourseRun.Status.COMPLETED:
        raise ValidationError(
            _("Bescheinigungen gibt es erst, wenn der Durchgang abgeschlossen ist.")
        )
    existing = {
        c.participant_id: c for c in Certificate.objects.select_for_update().filter(run=run)
    }
    certificates = []
    for summary in attendance_summaries(run):
        if not summary.eligible:
            continue
        participant = summary.enrollment.participant
        certificate = existing.pop(participant.pk, None)
        if certificate is None:
            certificate = Certificate(
                participant=participant, run=run, initials=participant.initials
            )
        certificate.sessions_attended = summary.attended
        certificate.sessions_held = summary.total
        certificate.units_attended = summary.units_attended
        certificate.revoked_at = None
        certificate.full_clean()
        certificate.save()
        certificates.append(certificate)
    # Whoever is left over has no (longer) enough attendance or no place any more.
    revoked = [c for c in existing.values() if not c.is_revoked]
    if revoked:
        Certificate.objects.filter(pk__in=[c.pk for c in revoked]).update(revoked_at=timezone.now())
        audit_log(
            user=user,
            organization=run.organization,
            action=AuditLogEntry.Action.CHANGE,
            obj=run,
            details={"certificates_revoked": [c.number for c in revoked]},
        )
    if certificates:
        audit_log(
            user=user,
            organization=run.organization,
            action=AuditLogEntry.Action.EXPORT,
            obj=run,
            details={"certificates": [c.number for c in certificates]},
        )
    return certificates
