"""Early warnings: participants who missed the last sessions one after the other, or who
can no longer reach the attendance a certificate needs.

The rule for the certificate is the one in `participants.selectors` (`AttendanceSummary`),
applied to many runs at once: five queries, however many runs, people and sessions (the
people's names only for those warned about).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from aktiva.addresses import public_url
from aktiva.audit import audit_log_many
from aktiva.models import AuditLogEntry, Membership
from trainings.models import CourseRun, Session

from .models import Attendance, Enrollment, Participant, WarningDigest
from .selectors import AttendanceSummary, summarise

# Missed (excused or not) this many held sessions one after the other, up to the latest.
MISSED_IN_ROW = 2


class _Mark:
    """An attendance mark as far as the rule reads it: thousands of them over all open
    runs, read as rows rather than as model instances."""

    __slots__ = ("enrollment_id", "session_id", "status")

    def __init__(self, enrollment_id: int, session_id: int, status: str):
        self.enrollment_id, self.session_id, self.status = enrollment_id, session_id, status

    @property
    def attended(self) -> bool:
        return self.status in Attendance.ATTENDED


@dataclass
class AttendanceWarning:
    """A person to talk to, with the figures the warning shows. The summary keeps only its
    counts (not every mark and session it was worked out from): the dashboard keeps the
    warnings of all open runs in the cache."""

    run: CourseRun
    summary: AttendanceSummary
    missed_in_row: int

    @property
    def participant(self) -> Participant:
        return self.summary.enrollment.participant

    @property
    def misses_in_row(self) -> bool:
        return self.missed_in_row >= MISSED_IN_ROW

    @property
    def out_of_reach(self) -> bool:
        return not self.summary.reachable

    @property
    def best_possible(self) -> int:
        """Sessions attended if the person comes to every session still to be held."""
        summary = self.summary
        return summary.attended + summary.total - summary.held


def attendance_warnings(
    runs=None, *, sessions: list[Session] | None = None, named: bool = True
) -> list:
    """Warnings for the open runs (not completed or cancelled) of the `runs` queryset,
    run by run in date order, names in alphabetical order. Only people with a place
    (`enrolled`) are warned about: not the withdrawn, the dropped out or the waiting.

    A page that has read its runs' sessions already (the run page, each session with its
    `run`) passes them as `sessions` instead of `runs`: then no query reads them again.

    `named=False` leaves out the people's names: a page that shows only some warnings
    passes those to `name_warned` (the dashboard: a few of 60)."""
    today = timezone.localdate()
    # A run's page warns about a dozen people at most: their names come with the places
    # (one query fewer). Over all open runs only a tenth are warned about: read them after.
    names_with_places = sessions is not None and named
    if sessions is None:
        # Runs with nothing held yet have nobody to warn about: most open runs are planned
        # ones. Their sessions come after them, each with its run (two queries: a join of
        # the sessions with their runs hashed all of an organization's 8,800 runs).
        started = Session.objects.filter(run=OuterRef("pk"), is_cancelled=False, date__lte=today)
        begun = runs.active().filter(Exists(started)).order_by()
        begun = begun.prefetch_related(Prefetch("sessions", to_attr="all_sessions"))
        sessions = []
        for run in begun:
            sessions += run.all_sessions
            del run.all_sessions  # a warning's run is kept in the cache: without its sessions
    by_run: dict[int, list[Session]] = defaultdict(list)
    for session in sorted(sessions, key=lambda s: (s.date, s.start_time)):
        by_run[session.run_id].append(session)
    first_held = {
        run_id: min((s.date for s in run_sessions if not s.is_cancelled), default=None)
        for run_id, run_sessions in by_run.items()
    }
    runs = {
        run_id: run_sessions[0].run
        for run_id, run_sessions in sorted(
            by_run.items(), key=lambda item: (first_held[item[0]], item[0])
        )
        if first_held[run_id] is not None
        and first_held[run_id] <= today
        and not run_sessions[0].run.is_closed
    }
    if not runs:
        return []
    sessions = by_run
    enrollments: dict[int, list[Enrollment]] = defaultdict(list)
    places = Enrollment.objects.filter(run_id__in=runs).in_attendance()
    if names_with_places:
        places = places.select_related("participant")
    else:  # 500 places over all open runs: only what the rule reads
        places = places.only("run_id", "participant_id", "status")
    for enrollment in places:
        enrollments[enrollment.run_id].append(enrollment)
    marks: dict[int, list[_Mark]] = defaultdict(list)
    for enrollment_id, session_id, status in Attendance.objects.filter(
        session__run_id__in=runs, enrollment__run_id__in=runs
    ).values_list("enrollment_id", "session_id", "status"):
        marks[enrollment_id].append(_Mark(enrollment_id, session_id, status))
    warnings = []
    for run_id, run in runs.items():
        people = enrollments[run_id]
        run_marks = [mark for enrollment in people for mark in marks[enrollment.pk]]
        for summary in summarise(sessions[run_id], people, run_marks):
            if summary.enrollment.status != Enrollment.Status.ENROLLED or not summary.held:
                continue
            warning = AttendanceWarning(
                run=run, summary=summary, missed_in_row=summary.missed_in_row
            )
            if warning.misses_in_row or warning.out_of_reach:
                summary.marks, summary.held_sessions, summary.attended_sessions = {}, [], []
                warnings.append(warning)
    if named and not names_with_places:
        name_warned(warnings)
    return warnings


def name_warned(warnings: list[AttendanceWarning]) -> None:
    """Reads the names of the people warned about (one query, none for none)."""
    people = Participant.objects.in_bulk({w.summary.enrollment.participant_id for w in warnings})
    for warning in warnings:
        enrollment = warning.summary.enrollment
        enrollment.participant = people[enrollment.participant_id]


def warning_digest_recipients() -> list[int]:
    """Memberships (ids) of staff who want the daily mail and can receive it."""
    return list(
        Membership.objects.filter(warning_mail=True, user__is_active=True)
        .exclude(user__email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def warning_digest_send(*, membership_id: int, today: date) -> bool:
    """Today's mail with the warnings of the runs this staff member sees (the run's
    trainers, the coordinators). Sends nothing when there is nothing to warn about, when
    the person switched the mail off, or when today's mail already went out; True if sent.

    The row in `WarningDigest` is written before the mail is sent, in the same
    transaction: a second run the same day finds it (two at once: the unique constraint
    lets one through), and a failed send rolls it back so that a retry can send."""
    membership = (
        Membership.objects.select_related("user", "organization")
        .filter(pk=membership_id, warning_mail=True, user__is_active=True)
        .exclude(user__email="")
        .first()
    )
    if membership is None:
        return False
    user = membership.user
    if WarningDigest.objects.filter(user=user, sent_on=today).exists():
        return False
    warnings = attendance_warnings(CourseRun.objects.visible_to(membership))
    if not warnings:
        return False
    try:
        with transaction.atomic():
            WarningDigest.objects.create(user=user, sent_on=today, warning_count=len(warnings))
    except IntegrityError:  # another worker sends it
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "name": user.get_full_name() or user.get_username(),
            "organization": membership.organization,
            "warnings": warnings,
            # a morning task has no request: the public address, or the development one
            "base_url": public_url(),
            "settings_url": public_url(reverse("account_settings")),
        }
        subject = ngettext(
            "AktivA: %(n)d Hinweis zur Anwesenheit",
            "AktivA: %(n)d Hinweise zur Anwesenheit",
            len(warnings),
        ) % {"n": len(warnings)}
        body = render_to_string("participants/mail/warning_digest.txt", context)
    send_mail(subject, body, None, [user.email])
    audit_log_many(
        user=user,
        organization=membership.organization,
        action=AuditLogEntry.Action.VIEW,
        objects=[w.participant for w in warnings],
        details={"page": "warning_mail"},
    )
    return True
