"""Reads shared by pages, documents and services. Each runs a fixed number of queries,
however many participants or sessions a run has."""

import functools
import math
from dataclasses import dataclass, field
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from aktiva.models import AuditLogEntry
from trainings.models import CourseRun, Session
from trainings.selectors import run_sessions

from .models import (
    Attendance,
    AttendanceChange,
    Certificate,
    Enrollment,
    Participant,
    matrix_letter,
)


def required_sessions(total: int) -> int:
    """Sessions someone must attend for a certificate: 7 of 8, 8 of 10, …"""
    return _required_sessions(str(settings.AKTIVA_CERTIFICATE_THRESHOLD), total)


@functools.lru_cache(maxsize=256)
def _required_sessions(threshold: str, total: int) -> int:
    # asked for every person of every open run (the dashboard's warnings: thousands of
    # times); keyed by the setting too, so a changed threshold is never answered from before
    return math.ceil(Fraction(threshold) * total)


@dataclass
class AttendanceSummary:
    enrollment: Enrollment
    marks: dict[int, Attendance]
    attended: int
    held: int
    total: int
    # The held sessions this person attended, and the run's held sessions in date order
    # (the same list for everyone in the run).
    attended_sessions: list[Session] = field(default_factory=list, repr=False)
    held_sessions: list[Session] = field(default_factory=list, repr=False)

    @property
    def units_attended(self) -> int:
        # on demand: the certificate needs it, the warnings over all open runs do not
        return sum(s.teaching_units for s in self.attended_sessions)

    @property
    def required(self) -> int:
        return required_sessions(self.total)

    @property
    def missed(self) -> int:
        return self.held - self.attended

    @property
    def misses_left(self) -> int:
        """How many more sessions may still be missed for a certificate (negative: out of reach)."""
        return (self.total - self.required) - self.missed

    @property
    def rate(self) -> float | None:
        return self.attended / self.held if self.held else None

    @property
    def rate_percent(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)

    @property
    def eligible(self) -> bool:
        return self.total > 0 and self.attended >= self.required

    @property
    def reachable(self) -> bool:
        return self.misses_left >= 0

    @property
    def at_risk(self) -> bool:
        return self.misses_left <= 1

    @property
    def missed_in_row(self) -> int:
        """Held sessions missed one after the other up to the latest one, excused or not.
        A held session without a mark for this person ends the count (nobody knows)."""
        streak = 0
        for session in reversed(self.held_sessions):
            mark = self.marks.get(session.pk)
            if mark is None or mark.attended:
                break
            streak += 1
        return streak


def _is_held(session: Session, today, marked: set[int]) -> bool:
    if session.is_cancelled:
        return False
    return session.date < today or (session.date == today and session.pk in marked)


def attendance_summaries(
    run: CourseRun, sessions: list[Session] | None = None
) -> list[AttendanceSummary]:
    """One summary per participant with a place. The rate counts every held session of
    the run, including those before someone moved up from the waiting list."""
    if sessions is None:
        sessions = run_sessions(run)
    enrollments = list(
        Enrollment.objects.filter(run=run).in_attendance().select_related("participant")
    )
    attendances = Attendance.objects.filter(session__run=run, enrollment__in=enrollments)
    return summarise(sessions, enrollments, attendances)


def summarise(
    sessions: list[Session], enrollments: list[Enrollment], attendances
) -> list[AttendanceSummary]:
    """The certificate rule over one run's sessions, enrollments and marks, already read
    (`attendance_summaries` for one run, `participants.warnings` for many at once)."""
    marks: dict[int, dict[int, Attendance]] = {e.pk: {} for e in enrollments}
    for attendance in attendances:
        marks[attendance.enrollment_id][attendance.session_id] = attendance
    today = timezone.localdate()
    marked_sessions = {s for by_session in marks.values() for s in by_session}
    held = [s for s in sessions if _is_held(s, today, marked_sessions)]
    total = sum(1 for s in sessions if not s.is_cancelled)
    summaries = []
    for enrollment in enrollments:
        own = marks[enrollment.pk]
        attended = [s for s in held if s.pk in own and own[s.pk].attended]
        summaries.append(
            AttendanceSummary(
                enrollment=enrollment,
                marks=own,
                attended=len(attended),
                held=len(held),
                total=total,
                attended_sessions=attended,
                held_sessions=held,
            )
        )
    return summaries


@dataclass(slots=True)
class MatrixCell:
    """One person at one session, ready to show: the grid has a cell per person and
    session, and a template that works out letters and labels per cell costs more than
    the rest of the page."""

    session: Session
    mark: Attendance | None
    change: AttendanceChange | None  # the mark's last change (who, when)
    css: str = ""  # the cell's colour class
    letter: str = ""  # A, V, E, K, U; "" without a mark
    label: str = ""  # the letter spelt out: "entschuldigt: wichtiger Grund"


@dataclass
class MatrixRow:
    summary: AttendanceSummary
    cells: list[MatrixCell] = field(default_factory=list)


def _mark_display(status: str, excuse_reason: str) -> tuple[str, str, str]:
    """(colour class, letter, label) of a mark, in the active language."""
    label = str(Attendance.Status(status).label)
    if excuse_reason:
        label += ": " + str(Attendance.ExcuseReason(excuse_reason).label)
    return f" mark-{status}", matrix_letter(status, excuse_reason), label


def attendance_matrix(
    run: CourseRun,
) -> tuple[list[Session], list[MatrixRow], list[AttendanceChange]]:
    """Participants × sessions, with the last change per cell and the whole change history."""
    # the sessions' own columns only: the matrix shows no rooms or modules
    sessions = list(run.sessions.all())
    for session in sessions:
        session.run = run
    summaries = attendance_summaries(run, sessions)
    changes = list(
        AttendanceChange.objects.filter(attendance__session__run=run)
        .select_related("changed_by", "attendance__session", "attendance__enrollment__participant")
        .order_by("-changed_at", "-pk")
    )
    last_change: dict[int, AttendanceChange] = {}
    for change in changes:
        last_change.setdefault(change.attendance_id, change)
    # a few kinds of marks, worked out once each instead of once per cell
    displays: dict[tuple[str, str], tuple[str, str, str]] = {}
    rows = []
    for summary in summaries:
        row = MatrixRow(summary=summary)
        for session in sessions:
            mark = summary.marks.get(session.pk)
            cell = MatrixCell(session, mark, last_change.get(mark.pk) if mark else None)
            if session.is_cancelled:
                cell.css = " col-cancelled"
            elif mark:
                kind = (mark.status, mark.excuse_reason)
                if kind not in displays:
                    displays[kind] = _mark_display(*kind)
                cell.css, cell.letter, cell.label = displays[kind]
            row.cells.append(cell)
        rows.append(row)
    return sessions, rows, changes


def session_attendance(session: Session) -> list[tuple[Enrollment, Attendance | None]]:
    """The list a trainer taps through in the room."""
    enrollments = list(
        Enrollment.objects.filter(run_id=session.run_id)
        .in_attendance()
        .select_related("participant")
    )
    marks = {a.enrollment_id: a for a in Attendance.objects.filter(session=session)}
    return [(e, marks.get(e.pk)) for e in enrollments]


def runs_with_counts(runs):
    """Runs annotated with enrolled and waiting counts (one query)."""
    return runs.annotate(
        enrolled_count=Count(
            "enrollments",
            filter=Q(enrollments__status__in=Enrollment.PLACE_STATUSES),
            distinct=True,
        ),
        waiting_count=Count(
            "enrollments", filter=Q(enrollments__status=Enrollment.Status.WAITING), distinct=True
        ),
    )


def runs_below_minimum(runs) -> list[CourseRun]:
    """The runs of this queryset with fewer places taken than their minimum, with
    `enrolled_count` (for `trainings.headcount`; the dashboard's "Zu wenige Teilnehmende")."""
    return list(
        runs_with_counts(runs).filter(enrolled_count__lt=F("min_participants")).order_by("pk")
    )


def place_counts(run: CourseRun) -> dict[str, int]:
    """People with a place in the run (enrolled or completed) and on its waiting list, in
    one query (for `trainings.headcount`: the run page's participants panel)."""
    counts = dict(
        Enrollment.objects.filter(run=run)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "enrolled": sum(counts.get(status, 0) for status in Enrollment.PLACE_STATUSES),
        "waiting": counts.get(Enrollment.Status.WAITING, 0),
    }


def enrolled_count(run: CourseRun) -> int:
    """People with a place in the run (for `trainings.headcount`)."""
    return Enrollment.objects.filter(run=run).holding_place().count()


def participant_page(participant) -> dict:
    """A person's page: their runs with dates, and who looked at or changed their data."""
    absences = (
        Attendance.objects.exclude(status=Attendance.Status.PRESENT)
        .select_related("session")
        .order_by("session__date", "session__start_time")
    )
    enrollments = participant.enrollments.prefetch_related(
        Prefetch("run", queryset=CourseRun.objects.with_dates()),
        Prefetch("attendances", queryset=absences, to_attr="absences"),
    )
    log = AuditLogEntry.objects.filter(
        organization_id=participant.organization_id,
        object_type=participant._meta.label,
        object_id=str(participant.pk),
    ).select_related("user")[:20]
    return {"participant": participant, "enrollments": enrollments, "log": log}


def run_participants(run: CourseRun) -> dict:
    """A run's people: with a place (or dropped out), waiting in order, withdrawn."""
    enrollments = list(
        run.enrollments.select_related("participant").order_by(
            "participant__last_name", "participant__first_name"
        )
    )
    placed = [e for e in enrollments if e.status in Enrollment.ATTENDANCE_STATUSES]
    waiting = sorted(
        (e for e in enrollments if e.status == Enrollment.Status.WAITING),
        key=lambda e: (e.waiting_since, e.pk),
    )
    return {
        "run": run,
        "placed": placed,
        "waiting": waiting,
        "withdrawn": [e for e in enrollments if e.status == Enrollment.Status.WITHDRAWN],
        "free": max(run.capacity - sum(1 for e in placed if e.holds_place), 0),
    }


def enrollment_candidates(run: CourseRun, membership, term: str) -> list[dict]:
    """People found by the search who are not yet in the run (at most 20; `listed()`
    dicts)."""
    in_run = Enrollment.objects.filter(run=run).exclude(status=Enrollment.Status.WITHDRAWN)
    people = (
        Participant.objects.visible_to(membership)
        .not_anonymised()
        .exclude(pk__in=in_run.values("participant_id"))
        .listed()
    )
    found, _ = people.search_capped(term, 20, 0, 20, organization_id=run.organization_id)
    return found


def out_of_reach(run: CourseRun, enrollments: list[Enrollment]) -> list[Enrollment]:
    """Of these enrollments, those that can no longer reach 80 % (after sessions were held)."""
    if not enrollments:
        return []
    wanted = {e.pk for e in enrollments}
    return [
        s.enrollment
        for s in attendance_summaries(run)
        if s.enrollment.pk in wanted and s.held and not s.reachable
    ]


def certificates_page(run: CourseRun) -> list[AttendanceSummary]:
    """Each participant's attendance with their valid or revoked certificate."""
    summaries = attendance_summaries(run)
    issued = {c.participant_id: c for c in Certificate.objects.filter(run=run)}
    for summary in summaries:
        certificate = issued.get(summary.enrollment.participant_id)
        summary.certificate = certificate if certificate and not certificate.is_revoked else None
        summary.revoked = certificate if certificate and certificate.is_revoked else None
    return summaries


def matrix_page(run: CourseRun) -> dict:
    """The attendance matrix with its history, and today's session if marks can be made."""
    sessions, rows, changes = attendance_matrix(run)
    today = timezone.localdate()
    for session in sessions:
        session.can_mark = not session.is_cancelled and session.date <= today
    today_session = next((s for s in sessions if s.date == today and not s.is_cancelled), None)
    return {
        "run": run,
        "sessions": sessions,
        "rows": rows,
        "changes": changes,
        "today_session": today_session,
    }
