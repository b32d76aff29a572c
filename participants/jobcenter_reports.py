"""What providers owe the jobcenter (§ 61 SGB II): the monthly absence report
(Fehlzeitenmeldung) per run and calendar month, and the notice of a non-start
(Nichtantritt) or of leaving early (Abbruch).

Reads only; the documents in `participants.documents` render them. A person appears with
their facts only when their consent to this transfer is recorded
(`Participant.report_consent_on`); otherwise as "keine Einwilligung" and nothing more
(§ 50 SGB II: data go to the jobcenter only as far as needed). Each function runs a
fixed number of queries, however many runs, months and people there are.
"""

import calendar
import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from aktiva.models import Document
from aktiva.spreadsheet import defused
from trainings.models import CourseRun, Session

from .models import Attendance, Enrollment

ABSENCE_REPORT = "participants.absence_report"
EXIT_NOTICE = "participants.exit_notice"
ABSENT = [Attendance.Status.ABSENT, Attendance.Status.EXCUSED]
REPORTED = [*ABSENT, Attendance.Status.LATE]
CODES = ["E", "UE", "K"]


def month_key(day: date) -> str:
    return f"{day:%Y-%m}"


def parse_month(value: str) -> date | None:
    """ "2026-12" → 1 Dec 2026; anything else → None."""
    try:
        year, month = (int(part) for part in str(value).split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return None


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def month_label(month: date) -> str:
    return formats.date_format(month, "F Y")


def code_legend() -> list[tuple[str, str]]:
    return [
        ("E", _("entschuldigt: wichtiger Grund")),
        ("UE", _("unentschuldigt")),
        ("K", _("krank: arbeitsunfähig mit Bescheinigung (AU)")),
    ]


# --- the monthly report ---------------------------------------------------------------------


@dataclass
class Absence:
    day: date
    code: str
    label: str


@dataclass
class ReportEntry:
    """One person in a monthly report; without consent only their name is used."""

    enrollment: Enrollment
    consent: bool
    absences: list[Absence] = field(default_factory=list)
    late: list[date] = field(default_factory=list)

    @property
    def participant(self):
        return self.enrollment.participant

    @property
    def counts(self) -> dict[str, int]:
        """Days absent per code, for the overview."""
        return {code: sum(1 for a in self.absences if a.code == code) for code in CODES}


def run_months(run: CourseRun) -> list[date]:
    """The calendar months in which the run has held (not cancelled) sessions."""
    days = run.sessions.filter(is_cancelled=False).values_list("date", flat=True)
    return sorted({d.replace(day=1) for d in days})


def absence_report(run: CourseRun, month: date) -> list[ReportEntry]:
    """Everyone who had a place in the run during the month, with their absences (code per
    day) and late arrivals; a person without consent without any of it. Two queries."""
    start, end = month, month_end(month)
    enrollments = (
        Enrollment.objects.filter(run=run)
        .in_attendance()
        .select_related("participant")
        # who left before the month began is not in it any more
        .exclude(status=Enrollment.Status.DROPPED_OUT, withdrawn_at__date__lt=start)
        .order_by("participant__last_name", "participant__first_name", "pk")
    )
    entries = {
        e.pk: ReportEntry(enrollment=e, consent=e.participant.report_consent_on is not None)
        for e in enrollments
    }
    marks = (
        Attendance.objects.filter(
            enrollment_id__in=list(entries),
            session__run=run,
            session__is_cancelled=False,
            session__date__range=(start, end),
            status__in=REPORTED,
        )
        .select_related("session")
        .order_by("session__date", "session__start_time")
    )
    for mark in marks:
        entry = entries[mark.enrollment_id]
        if not entry.consent:
            continue
        if mark.status == Attendance.Status.LATE:
            entry.late.append(mark.session.date)
        else:
            label = mark.get_status_display()
            if mark.excuse_reason:
                label = f"{label}: {mark.get_excuse_reason_display()}"
            entry.absences.append(Absence(mark.session.date, mark.report_code, label))
    return list(entries.values())


def absence_report_csv(run: CourseRun, month: date, entries: list[ReportEntry]) -> bytes:
    """One row per absence or late arrival; a person without any one row saying so, a
    person without consent one row saying only that. UTF-8 with BOM and semicolons:
    what German spreadsheet programs open without asking."""
    out = io.StringIO()
    writer = _DefusedWriter(out)
    team = run.organization.report_team_name
    writer.writerow(
        [
            _("Durchgang"),
            _("Monat"),
            _("Empfänger"),
            _("Nachname"),
            _("Vorname"),
            _("Kundennummer"),
            _("Datum"),
            _("Code"),
            _("Bedeutung"),
        ]
    )
    head = [run.title, month_key(month), team]
    for entry in entries:
        person = entry.participant
        if not entry.consent:
            no_consent = _("keine Einwilligung")
            writer.writerow([*head, person.last_name, person.first_name, "", "", "", no_consent])
            continue
        who = [*head, person.last_name, person.first_name, person.customer_number]
        rows = [(a.day, a.code, a.label) for a in entry.absences]
        rows += [(day, "", _("verspätet")) for day in entry.late]
        for day, code, label in sorted(rows, key=lambda row: row[0]):
            writer.writerow([*who, day.isoformat(), code, label])
        if not rows:
            writer.writerow([*who, "", "", _("keine Fehlzeiten")])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


class _DefusedWriter:
    """csv.writer with semicolons whose cells never start a formula (names and titles are
    typed by people)."""

    def __init__(self, out):
        self._writer = csv.writer(out, delimiter=";")

    def writerow(self, row):
        self._writer.writerow([defused(cell) for cell in row])


# --- exits: non-start and leaving early ------------------------------------------------------


class ExitKind:
    NON_START = "non_start"
    DROPOUT = "dropout"


def exits(enrollments):
    """Of these enrollments, those the jobcenter hears of: whoever had a place and was
    withdrawn (a non-start while they attended no session) or dropped out. Each with
    `attended` (sessions attended) and `last_attended` (a date or None)."""
    attended = Q(attendances__status__in=Attendance.ATTENDED)
    return (
        enrollments.filter(
            Q(status=Enrollment.Status.DROPPED_OUT)
            | Q(status=Enrollment.Status.WITHDRAWN, withdrawn_from=Enrollment.Status.ENROLLED)
        )
        .annotate(
            attended=Count("attendances", filter=attended),
            last_attended=Max("attendances__session__date", filter=attended),
        )
        .select_related("participant")
        .order_by("withdrawn_at", "pk")
    )


def exit_kind(enrollment: Enrollment) -> str:
    """A withdrawal before anything was attended is a non-start; everything else leaving."""
    if enrollment.status == Enrollment.Status.WITHDRAWN and not enrollment.attended:
        return ExitKind.NON_START
    return ExitKind.DROPOUT


def exit_label(kind: str) -> str:
    return _("Nichtantritt") if kind == ExitKind.NON_START else _("Abbruch")


# --- what is due and what was produced -------------------------------------------------------


@dataclass
class _Reported:
    """Something owed to the jobcenter and the documents produced for it, newest first."""

    documents: list[Document] = field(default_factory=list, kw_only=True)

    @property
    def produced(self) -> Document | None:
        return self.documents[0] if self.documents else None


@dataclass
class MonthlyStatus(_Reported):
    run: CourseRun
    month: date
    absences: int = 0
    late: int = 0
    ended: bool = False

    @property
    def key(self) -> str:
        return month_key(self.month)

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def due(self) -> bool:
        return self.ended and self.absences > 0 and not self.documents


@dataclass
class ExitStatus(_Reported):
    enrollment: Enrollment
    kind: str

    @property
    def label(self) -> str:
        return exit_label(self.kind)

    @property
    def due(self) -> bool:
        return not self.documents


@dataclass
class ReportsOverview:
    months: list[MonthlyStatus]
    exits: list[ExitStatus]

    @property
    def due_months(self) -> list[MonthlyStatus]:
        return [m for m in self.months if m.due]

    @property
    def due_exits(self) -> list[ExitStatus]:
        return [e for e in self.exits if e.due]


def reports_overview(runs, *, organization, today: date | None = None) -> ReportsOverview:
    """For these runs: each month with held sessions (absences, late arrivals, whether the
    month or the run has ended, the reports produced) and each exit with its notices.
    Five queries whatever the number of runs (runs, sessions, marks, exits, documents)."""
    today = today or timezone.localdate()
    runs = {run.pk: run for run in runs.select_related("organization")}
    last_day: dict[int, date] = {}
    months: dict[tuple[int, date], MonthlyStatus] = {}
    sessions = Session.objects.filter(run_id__in=list(runs), is_cancelled=False)
    for run_id, day in sessions.values_list("run_id", "date").order_by("date"):
        last_day[run_id] = max(day, last_day.get(run_id, day))
        key = (run_id, day.replace(day=1))
        months.setdefault(key, MonthlyStatus(run=runs[run_id], month=key[1]))
    counts = (
        Attendance.objects.filter(
            session__run_id__in=list(runs), session__is_cancelled=False, status__in=REPORTED
        )
        .annotate(month=TruncMonth("session__date"))
        .values("session__run_id", "month")
        .annotate(
            absences=Count("pk", filter=Q(status__in=ABSENT)),
            late=Count("pk", filter=Q(status=Attendance.Status.LATE)),
        )
        .order_by()
    )
    for row in counts:
        month = row["month"]
        month = month.date() if hasattr(month, "date") else month
        status = months.get((row["session__run_id"], month))
        if status:
            status.absences, status.late = row["absences"], row["late"]
    for (run_id, month), status in months.items():
        run = runs[run_id]
        run_ended = run.status == CourseRun.Status.COMPLETED or last_day[run_id] < today
        status.ended = month_end(month) < today or run_ended
    exit_rows = [
        ExitStatus(enrollment=e, kind=exit_kind(e))
        for e in exits(Enrollment.objects.filter(run_id__in=list(runs)))
    ]
    for row in exit_rows:
        row.enrollment.run = runs[row.enrollment.run_id]
    by_enrollment = {row.enrollment.pk: row for row in exit_rows}
    documents = (
        Document.objects.filter(organization=organization, kind__in=[ABSENCE_REPORT, EXIT_NOTICE])
        .filter(params__run__in=list(runs))
        .exclude(status=Document.Status.FAILED)
        .select_related("requested_by")
        .order_by("-created_at")
    )
    for document in documents:
        if document.kind == ABSENCE_REPORT:
            month = parse_month(document.params.get("month"))
            status = months.get((document.params["run"], month))
            if status:
                status.documents.append(document)
        elif document.params.get("enrollment") in by_enrollment:
            by_enrollment[document.params["enrollment"]].documents.append(document)
    ordered = sorted(months.values(), key=lambda m: (m.month, m.run.title, m.run.pk))
    return ReportsOverview(months=ordered, exits=exit_rows)
