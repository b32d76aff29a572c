"""Business rules for participants: enrollment with a waiting list, attendance, certificates."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Subquery
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
    enrollment.withdrawn_from = ""
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
    enrollment.withdrawn_from = enrollment.status
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
        withdrawn_from=Enrollment.Status.WAITING,
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


def attendance_closed_reason(session: Session) -> str:
    """Why no attendance can be recorded for this session now; "" when it can."""
    if session.run.status == CourseRun.Status.CANCELLED:
        return _("Der Durchgang ist abgesagt.")
    if session.is_cancelled:
        return _("Für einen abgesagten Termin wird keine Anwesenheit erfasst.")
    if session.date > timezone.localdate():
        return _("Anwesenheit kann erst am Tag des Termins erfasst werden.")
    return ""


@dataclass
class AttendanceResult:
    """What `attendance_record_many` did, per enrollment id: the people with a place it
    found, their marks (saved or unchanged), and a message where none was recorded."""

    enrollments: dict[int, Enrollment] = field(default_factory=dict)
    marks: dict[int, Attendance] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)
    # Taps older than the mark's last change: not applied, `marks` holds the current mark.
    outdated: set[int] = field(default_factory=set)


def attendance_record_many(
    *,
    session: Session,
    marks: dict[int, str],
    user,
    reasons: dict[int, str] | None = None,
    tapped_at: datetime | None = None,
) -> AttendanceResult:
    """Set the marks of several participants for one session at once (the trainer's list
    in the room) and keep every change in the history.

    `tapped_at` is when the marks were made (a phone without reception sends its taps
    later); the newest decision wins: a tap older than a mark's last change is not applied
    and reported in `outdated`. A time in the future (a phone's clock running ahead) counts
    as now. Without it, the marks are made now.

    `reasons` gives the kind of excuse per enrollment id (`Attendance.ExcuseReason`); an
    excuse without one is "wichtiger Grund" (what a trainer told of a reason in the room
    usually means; switched to AU when the certificate arrives). A reason for any other
    status is refused for that row.

    Permission (the run's trainers and the coordinators, `CourseRun.visible_to`) and the
    session's state are checked once, for all rows; a row with an unknown status or a
    person without a place is reported in `errors` while the others are saved. One query
    reads the enrollments with the permission and the current marks, one writes the marks
    (an upsert: two taps at the same moment cannot create two rows, the last one wins),
    one writes the history, whatever the number of rows.
    """
    membership = getattr(user, "membership", None)
    if membership is None:
        raise PermissionDenied(_("Nur die Trainer/innen des Durchgangs und die Koordination."))
    reason = attendance_closed_reason(session)
    if reason:
        raise ValidationError(reason)
    now = timezone.now()
    if tapped_at is not None and timezone.is_naive(tapped_at):
        raise ValidationError(_("Die Uhrzeit der Auswahl braucht eine Zeitzone."))
    tapped_at = now if tapped_at is None else min(tapped_at, now)
    current = Attendance.objects.filter(session=session, enrollment=OuterRef("pk"))
    enrollments = {
        e.pk: e
        for e in Enrollment.objects.filter(run_id=session.run_id, pk__in=list(marks))
        .in_attendance()
        .select_related("participant")
        .annotate(
            may_record=Exists(
                CourseRun.objects.visible_to(membership).filter(pk=OuterRef("run_id"))
            ),
            current_status=Subquery(current.values("status")[:1]),
            current_reason=Subquery(current.values("excuse_reason")[:1]),
            current_id=Subquery(current.values("pk")[:1]),
            current_marked_at=Subquery(current.values("marked_at")[:1]),
        )
    }
    if any(not e.may_record for e in enrollments.values()) or (
        not enrollments and not session.run.is_visible_to(membership)
    ):
        raise PermissionDenied(_("Nur die Trainer/innen des Durchgangs und die Koordination."))
    reasons = reasons or {}
    result, changed = AttendanceResult(enrollments=enrollments), []
    for enrollment_id, status in marks.items():
        enrollment = enrollments.get(enrollment_id)
        reason = reasons.get(enrollment_id, "")
        if status == Attendance.Status.EXCUSED and not reason:
            reason = Attendance.ExcuseReason.IMPORTANT
        if enrollment is None:
            result.errors[enrollment_id] = _("Diese Person hat in diesem Durchgang keinen Platz.")
        elif status not in Attendance.Status.values:
            result.errors[enrollment_id] = _("Unbekannter Anwesenheitsstatus.")
        elif reason and status != Attendance.Status.EXCUSED:
            result.errors[enrollment_id] = _("Einen Grund gibt es nur bei „entschuldigt“.")
        elif reason and reason not in Attendance.ExcuseReason.values:
            result.errors[enrollment_id] = _("Unbekannter Grund der Entschuldigung.")
        elif (status, reason) == (enrollment.current_status, enrollment.current_reason) or (
            enrollment.current_marked_at and enrollment.current_marked_at > tapped_at
        ):
            if (status, reason) != (enrollment.current_status, enrollment.current_reason):
                result.outdated.add(enrollment_id)
            result.marks[enrollment_id] = Attendance(
                pk=enrollment.current_id,
                session=session,
                enrollment=enrollment,
                status=enrollment.current_status,
                excuse_reason=enrollment.current_reason or "",
                marked_at=enrollment.current_marked_at,
            )
        else:
            changed.append(
                Attendance(
                    session=session,
                    enrollment=enrollment,
                    status=status,
                    excuse_reason=reason,
                    marked_at=tapped_at,
                )
            )
    if changed:
        _attendance_save(session, changed, user=user)
        result.marks.update((a.enrollment_id, a) for a in changed)
    return result


# Checks and reads come before: a refusal must not break a caller's transaction, and with
# no savepoint a tap costs no extra statements.
@transaction.atomic(savepoint=False)
def _attendance_save(session: Session, changed: list[Attendance], *, user) -> None:
    previous = {a.enrollment_id: a.enrollment.current_status or "" for a in changed}
    Attendance.objects.bulk_create(
        changed,
        update_conflicts=True,
        unique_fields=["enrollment", "session"],
        update_fields=["status", "excuse_reason", "updated_at", "marked_at"],
    )
    AttendanceChange.objects.bulk_create(
        AttendanceChange(
            attendance_id=a.pk,
            previous_status=previous[a.enrollment_id],
            status=a.status,
            excuse_reason=a.excuse_reason,
            changed_by=user if user.is_authenticated else None,
        )
        for a in changed
    )
    if session.run.status == CourseRun.Status.COMPLETED and session.run.certificates.exists():
        # A correction after the end: certificates follow the attendance at once.
        certificates_issue(run=session.run, user=user)


def attendance_record(
    *, session: Session, enrollment: Enrollment, status: str, user, excuse_reason: str = ""
) -> Attendance:
    """Set one participant's mark for one session (`attendance_record_many` for one row)."""
    result = attendance_record_many(
        session=session,
        marks={enrollment.pk: status},
        reasons={enrollment.pk: excuse_reason} if excuse_reason else None,
        user=user,
    )
    if enrollment.pk in result.errors:
        raise ValidationError(result.errors[enrollment.pk])
    return result.marks[enrollment.pk]


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


def attendance_all_present(*, session: Session, user) -> list[int]:
    """ "Alle anwesend": everyone with a place and no mark yet for this session is present.
    Returns their enrollment ids, so that the trainer can take it back."""
    unmarked = (
        Enrollment.objects.filter(run_id=session.run_id)
        .in_attendance()
        .exclude(attendances__session=session)
        .values_list("pk", flat=True)
    )
    present = Attendance.Status.PRESENT
    result = attendance_record_many(
        session=session, marks={pk: present for pk in unmarked}, user=user
    )
    return sorted(result.marks)


@transaction.atomic
def attendance_undo_all_present(*, session: Session, enrollment_ids: list[int], user) -> int:
    """Takes back an "Alle anwesend": the marks it set go again, unless someone has changed
    them since (then they stay, as they are the newer decision)."""
    if not session.run.is_visible_to(getattr(user, "membership", None)):
        raise PermissionDenied(_("Nur die Trainer/innen des Durchgangs und die Koordination."))
    reason = attendance_closed_reason(session)
    if reason:
        raise ValidationError(reason)
    untouched = (
        Attendance.objects.filter(
            session=session, enrollment_id__in=enrollment_ids, status=Attendance.Status.PRESENT
        )
        .annotate(changes_count=Count("changes"))
        .filter(changes_count=1)
    )
    ids = list(untouched.values_list("pk", flat=True))
    Attendance.objects.filter(pk__in=ids).delete()
    return len(ids)
