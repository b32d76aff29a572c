"""Reads that the trainings pages assemble: the dashboard, a run's sessions, the calendar.
Each runs a fixed number of queries, however many runs and sessions there are."""

import calendar as stdlib_calendar
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Window,
)
from django.db.models.functions import RowNumber
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.formats import date_format, time_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from aktiva import revisions
from aktiva.addresses import url_maker
from aktiva.models import Membership
from aktiva.paging import CountlessPage, page_without_count

from . import attendance_warnings, headcount
from .models import CourseRun, Location, Module, RunsRevision, Session, Trainer
from .services import run_warnings

# How many of the week's coming sessions the dashboard lists (today's too: the page
# "Anwesenheit heute" lists all of today's).
DASHBOARD_WEEK_SESSIONS = 12
# About how many people the dashboard's attendance warnings name (whole runs: at least the
# first run's); the other runs are linked, their pages name everyone.
DASHBOARD_WARNINGS = 10
# "Meine Termine" pages through a trainer's coming sessions ("weiter" for later ones) and
# shows the newest past ones; older ones are in the calendar ("Nur meine Termine").
MY_UPCOMING_PER_PAGE = 10
MY_RECENT_SHOWN = 5


def own_trainer_profile(request) -> Trainer | None:
    """The member's own trainer profile in their organization, if any (`is_profile_of`): it
    came with the user (`aktiva.backends.MembershipBackend` joins it), so asking costs no
    query."""
    membership = getattr(request, "membership", None)
    if not membership:
        return None
    try:
        trainer = request.user.trainer
    except ObjectDoesNotExist:
        return None
    return trainer if trainer.is_profile_of(membership) else None


def attendance_revision(membership: Membership) -> tuple:
    """The database, the organization's RunsRevision and the warnings' revision (places and
    marks), in one query: what a part showing attendance warnings is kept under (the run
    page, the dashboard); the first two alone are `runs_revision`'s."""
    return revisions.database_and_revisions(
        membership.organization_id, RunsRevision, *attendance_warnings.revision_models()
    )


def dashboard_revision(membership: Membership) -> tuple:
    """What the dashboard's cached parts are made of besides today: `attendance_revision`
    and whose runs the member sees (`CourseRun.objects.visible_to`: a coordinator all of
    the organization's, a trainer the runs they lead)."""
    sees = "all" if membership.is_coordinator else membership.user_id
    return attendance_revision(membership), membership.organization_id, sees


def dashboard_warnings(membership: Membership, today: date, revision: tuple) -> tuple:
    """The dashboard's attendance warnings and the links to the other runs with warnings
    (`_warnings_shown`; the links rendered: no names in them), kept in the cache under
    `dashboard_revision` and today; the people's names are read every time (they are not in
    the revision)."""

    def read():
        runs = CourseRun.objects.visible_to(membership)
        warnings, more = _warnings_shown(attendance_warnings.for_runs(runs, named=False))
        more_list = render_to_string(
            "trainings/partials/attendance_warnings_more.html",
            {"attendance_warnings_more": more},
        )
        return warnings, more_list

    key = part_key(revision, "dashboard-warnings", (today,))
    warnings, more_list = revisions.remembered(key, read, PART_CACHE_SECONDS)
    attendance_warnings.name(warnings)
    return warnings, mark_safe(more_list)


def dashboard(membership: Membership, today: date) -> dict:
    """The week's coming sessions (the first few and how many more), today's among them,
    runs per status, and the active runs without a trainer or with too few people."""
    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=6)
    runs = CourseRun.objects.visible_to(membership)
    # the rest of the week from today on, its first sessions only: a busy jobcenter has
    # about 60 a week; the calendar's week view shows them all
    rest_of_week = Session.objects.filter(run__in=runs).between(today, week_end)
    # One query for the week's first sessions (today's come first: a trainer records
    # attendance from there), how many the week has in all and how many of them today: the
    # window counts run before the LIMIT, over the whole rest of the week. (A row number
    # filtered on is compiled as a nested query: twice the compile time of this one.)
    in_order = ["date", "start_time", "pk"]
    shown = list(
        rest_of_week.annotate(
            week_total=Window(Count("pk")),
            today_total=Window(Count("pk", filter=Q(date=today, is_cancelled=False))),
        )
        .select_related("run", "location", "run__location")
        .prefetch_related("modules", "run__trainers")
        .order_by(*in_order)[:DASHBOARD_WEEK_SESSIONS]
    )
    week_more = shown[0].week_total - len(shown) if shown else 0
    today_sessions = [s for s in shown if s.date == today and not s.is_cancelled]
    today_more = shown[0].today_total - len(today_sessions) if shown else 0
    by_status = {row["status"]: row["n"] for row in runs.values("status").annotate(n=Count("id"))}
    runs_active = runs.active()
    # Trainer-less runs are found first (an index read per run), the dates only for them.
    lacking_trainers = list(
        runs_active.filter(
            ~Exists(CourseRun.trainers.through.objects.filter(courserun_id=OuterRef("pk")))
        )
        .with_dates()
        .order_by("first_date")
    )
    return {
        "today": today,
        "today_sessions": today_sessions,
        "today_more": today_more,
        "week_start": week_start,
        "week_end": week_end,
        "week_sessions": shown,
        "week_more": week_more,
        "status_counts": [(s, by_status.get(s.value, 0)) for s in CourseRun.Status],
        "lacking_trainers": lacking_trainers,
        "runs_below_minimum": headcount.runs_below_minimum(runs_active),
    }


def _warnings_shown(warnings: list) -> tuple[list, list[tuple[CourseRun, int]]]:
    """The warnings of the first runs, about `DASHBOARD_WARNINGS` people (whole runs, the
    first one always), and (run, how many) for the other runs: 28 running runs can warn
    about 60 people, more than anyone reads on an overview, and each name is an entry in
    the audit trail."""
    per_run: dict[int, list] = {}
    for warning in warnings:  # run by run already
        per_run.setdefault(warning.run.pk, []).append(warning)
    shown, more = [], []
    for group in per_run.values():
        if not shown or (not more and len(shown) + len(group) <= DASHBOARD_WARNINGS):
            shown += group
        else:
            more.append((group[0].run, len(group)))
    return shown, more


def runs_listed(order: list[int]) -> list[CourseRun]:
    """The runs of these ids (a page of a list), in their order, with what the list shows:
    dates, room and the trainers' names (`trainer_names`)."""
    found = (
        CourseRun.objects.filter(pk__in=order)
        .with_dates()
        .select_related("location")
        .only("title", "status", "location__name")
        .in_bulk()
    )
    names = trainer_names(order)
    for run_id, run in found.items():
        run.trainer_names = names[run_id]
    return [found[pk] for pk in order]


def runs_revision(organization_id: int) -> tuple:
    """What the parts kept under RunsRevision are made of, in one query: which database it
    is, the organization and its RunsRevision (raised by database triggers with every change
    to its runs, sessions, rooms, trainers, modules and who leads which run, in the same
    transaction)."""
    return revisions.database_and_revisions(organization_id, RunsRevision), organization_id


def part_key(revision: tuple, part: str, inputs: tuple) -> str:
    """The cache key of a part of a page (the runs list's rows and filter, the calendar's
    days, "Meine Termine", a run's plan, the dashboard's overview and warnings), made of all
    it is made from, so that a changed input never finds an old part: the revision
    (`runs_revision`, `dashboard_revision`, `attendance_revision`), the part's own inputs (the
    runs list's rows: the page's run ids in their order; a filter: what was typed into it;
    the dashboard: today and whose runs), the language and the script prefix (the links).
    Who may see which rows is decided by a live query or check, or is in the inputs: a
    trainer's part can only be made of runs they lead."""
    made_of = (revision, part, inputs, get_language(), get_script_prefix())
    return f"trainings:{part}:" + hashlib.sha256(repr(made_of).encode()).hexdigest()


# The parts stay in the shared cache this long at most (a change gives them a new key at
# once; see part_key).
PART_CACHE_SECONDS = 24 * 3600


def remembered_part(revision: tuple, part: str, inputs: tuple, render_part) -> str:
    """A rendered part of a page (the runs list, the calendar, "Meine Termine", the
    dashboard), from the cache under `part_key`, or rendered and kept there."""
    key = part_key(revision, part, inputs)
    return mark_safe(revisions.remembered(key, render_part, PART_CACHE_SECONDS))


@dataclass(frozen=True)
class TrainerRow:
    """A line of the trainer list, read as values. The rendered rows are kept in the cache
    under a key made of the rows themselves (`remembered_part` with the rows as its inputs,
    no revision): whatever a row shows is a field here, the derived ones too
    (`is_qualified` turns with the date, `url`)."""

    pk: int
    first_name: str
    last_name: str
    email: str
    phone: str
    qualified_on: date | None
    is_active: bool
    username: str | None  # the linked account's
    is_qualified: bool
    url: str


def trainer_rows(trainers, page, per_page: int) -> CountlessPage:
    """The page `page` of the trainers (an ordered queryset) as `TrainerRow`s, in one query."""
    url, today = url_maker("trainings:trainer_detail"), timezone.localdate()
    fields = ["pk", "first_name", "last_name", "email", "phone", "qualified_on", "is_active"]
    shown = page_without_count(trainers.values_list(*fields, "user__username"), page, per_page)
    shown.object_list = [
        TrainerRow(*values, is_qualified=Trainer.qualified_by(values[5], today), url=url(values[0]))
        for values in shown.object_list
    ]
    return shown


def trainer_names(run_ids, *, but: Trainer | None = None) -> dict[int, list[str]]:
    """The runs' trainers by name (`but` left out), in one query: lists show names, and a
    model per trainer and row costs a list of 25 rows about a millisecond."""
    led = CourseRun.trainers.through.objects.filter(courserun_id__in=run_ids)
    if but is not None:
        led = led.exclude(trainer=but)
    names = defaultdict(list)
    for run_id, first, last in led.order_by(
        "trainer__last_name", "trainer__first_name"
    ).values_list("courserun_id", "trainer__first_name", "trainer__last_name"):
        names[run_id].append(Trainer.name_of(first, last))
    return names


def run_sessions(run: CourseRun) -> list[Session]:
    """The run's sessions with rooms and modules in curriculum order (cancelled ones too)."""
    sessions = list(
        run.sessions.select_related("location").prefetch_related(
            Prefetch("modules", queryset=Module.objects.order_by("position"))
        )
    )
    for session in sessions:
        session.run = run  # spares a query per session for effective_location
    return sessions


@dataclass
class RunPlan:
    """What a run's page shows of its planning: the run with its room, trainers and
    modules, its sessions (each with room and modules) as table rows, and the planner's
    warnings. Read in six queries; kept in the cache under the organization's RunsRevision
    (which every change to these rows raises), so a repeat view reads one number."""

    run: CourseRun
    sessions: list[Session]
    session_rows: list["SessionRow"]
    warnings: list[str]


def run_plan(membership: Membership, pk: int, revision: tuple) -> RunPlan | None:
    """The plan of the run `pk` if this member may see it (`CourseRun.is_visible_to`, the
    one-run form of `visible_to`, on the trainers read with it), else None. `revision`:
    `attendance_revision` (the plan is kept under its RunsRevision only)."""
    database, runs_revision = revision[:2]
    revision = ((database, runs_revision), membership.organization_id)

    def read():
        run = (
            CourseRun.objects.filter(organization_id=membership.organization_id, pk=pk)
            .select_related("location")
            .prefetch_related("trainers", "modules")
            .first()
        )
        if run is None:
            return ()  # kept too: a mistyped address costs one read as well
        sessions = run_sessions(run)
        return RunPlan(
            run=run,
            sessions=sessions,
            session_rows=_session_rows(run, sessions),
            warnings=run_warnings(run, sessions=sessions),
        )

    key = part_key(revision, "run-plan", (pk,))
    plan = revisions.remembered(key, read, PART_CACHE_SECONDS)
    if not plan or not plan.run.is_visible_to(membership):
        return None
    return plan


def run_page(plan: RunPlan, revision: tuple, today: date) -> dict:
    """A run's page: its plan, its attendance warnings and place counts (kept in the cache
    under `attendance_revision` and today; the people's names read every time), the status
    changes it allows, its units."""
    run, sessions = plan.run, plan.sessions

    def read():
        warnings = attendance_warnings.for_sessions(sessions, named=False)
        return warnings, headcount.place_counts(run)

    key = part_key((revision, run.organization_id), "run-attendance", (run.pk, today))
    warnings, place_counts = revisions.remembered(key, read, PART_CACHE_SECONDS)
    attendance_warnings.name(warnings)
    return {
        "run": run,
        "sessions": sessions,
        "session_rows": plan.session_rows,
        "warnings": plan.warnings,
        "attendance_warnings": warnings,
        "place_counts": place_counts,
        # (status, what its button says)
        "transitions": [
            (s, CourseRun.ACTIONS[s])
            for s in run.allowed_transitions
            if s != CourseRun.Status.CANCELLED
        ],
        "can_cancel": run.can_transition_to(CourseRun.Status.CANCELLED),
        "total_units": sum(s.teaching_units for s in sessions if not s.is_cancelled),
    }


@dataclass
class SessionRow:
    """A line of a run's session table, formatted once: a template spends more time on
    the lookups and filters of a row than Python does on formatting it."""

    session: Session
    day: str  # "Mo 23.11.2026"
    short_date: str
    times: str
    modules: str  # the module names, or "" for none
    location: Location | None
    update_url: str
    cancel_url: str


def _session_rows(run: CourseRun, sessions: list[Session]) -> list[SessionRow]:
    update_url = url_maker("trainings:session_update", run.pk)
    cancel_url = url_maker("trainings:session_cancel", run.pk)
    rows = []
    for session in sessions:
        short_date = date_format(session.date, "SHORT_DATE_FORMAT")
        rows.append(
            SessionRow(
                session=session,
                day=f"{date_format(session.date, 'D')} {short_date}",
                short_date=short_date,
                times=f"{time_format(session.start_time)}–{time_format(session.end_time)}",
                modules=", ".join(m.display_name for m in session.modules.all()),
                location=session.effective_location,
                update_url=update_url(session.pk),
                cancel_url=cancel_url(session.pk),
            )
        )
    return rows


@dataclass
class MySessions:
    """Which sessions "Meine Termine" shows, by id: a page of the trainer's coming ones and,
    on the first page, the newest few of the last days."""

    page: CountlessPage  # of session ids
    recent: list[int]  # newest first
    earlier_day: date | None  # the oldest shown past one's day, when there are older ones


def my_sessions(trainer: Trainer, today: date, recent_days: int, page=None) -> MySessions:
    """A page of a trainer's upcoming sessions and, on the first page, the newest few of
    the last `recent_days`, as ids: a trainer of ten years leads hundreds of runs, and the
    cards (`my_session_cards`) are kept rendered under the ids."""
    mine = Session.objects.filter(run__organization_id=trainer.organization_id).for_trainer(trainer)
    coming = mine.filter(date__gte=today).order_by("date", "start_time", "pk")
    upcoming = page_without_count(coming.values_list("pk", flat=True), page, MY_UPCOMING_PER_PAGE)
    recent: list[tuple[int, date]] = []
    if upcoming.number == 1:
        since, yesterday = today - timedelta(days=recent_days), today - timedelta(days=1)
        recent = list(
            mine.between(since, yesterday)
            .order_by("-date", "-start_time", "-pk")
            .values_list("pk", "date")[: MY_RECENT_SHOWN + 1]
        )
    shown = recent[:MY_RECENT_SHOWN]
    earlier_day = shown[-1][1] if len(recent) > MY_RECENT_SHOWN else None
    return MySessions(upcoming, [pk for pk, _day in shown], earlier_day)


def my_session_cards(trainer: Trainer, order: list[int]) -> list[Session]:
    """The sessions of these ids, in their order, with what a card of "Meine Termine" shows:
    run, rooms, modules, `cancelled`, `co_trainers` (the run's other trainers by name) and
    `run_url`."""
    found = (
        Session.objects.filter(pk__in=order)
        .select_related("run", "location", "run__location")
        .prefetch_related("modules")
        .in_bulk()
    )
    co_trainers = trainer_names({s.run_id for s in found.values()}, but=trainer)
    run_url = url_maker("trainings:run_detail")
    for session in found.values():
        session.cancelled = is_cancelled(session)
        session.co_trainers = co_trainers[session.run_id]
        session.run_url = run_url(session.run_id)
    return [found[pk] for pk in order]


def is_cancelled(session: Session) -> bool:
    return session.is_cancelled or session.run.status == CourseRun.Status.CANCELLED


@dataclass(slots=True)
class CalendarEntry:
    """A session as the calendar shows it. Read as values: a month shows about 80 sessions,
    and building each as a session with its run and rooms cost more than the query."""

    date: date
    start_time: time
    url: str  # the run's page
    title: str
    time_span: str  # 09:00–12:30
    state: str  # "cancelled" (the session or its whole run), "draft" or ""
    room: str  # the name of the session's room, else the run's
    trainers: str = ""  # the run's trainers (the week view shows them)

    @property
    def cancelled(self) -> bool:
        return self.state == "cancelled"


@dataclass
class CalendarDay:
    day: date
    in_period: bool
    is_today: bool
    holiday: str = ""  # the public holiday's name in the organization's state
    sessions: list[CalendarEntry] = field(default_factory=list)
    more: int = 0  # sessions of the day not shown (the month view shows a few a day)

    def __post_init__(self):
        # the day's anchor and links, written several times a day: cheaper than a filter
        self.iso = self.day.isoformat()

    # Names as the date filter writes them ("D", "l, j. F"), without parsing a format for
    # each of the month's 35 days.
    @property
    def weekday_abbr(self) -> str:
        return str(WEEKDAYS_ABBR[self.day.weekday()])

    @property
    def long_name(self) -> str:
        return f"{WEEKDAYS[self.day.weekday()]}, {self.day.day}. {MONTHS[self.day.month]}"

    # The link to the rest of a busy day: written here, as a month has twenty of them
    # and a template's translation tag costs more than the words.
    @property
    def more_text(self) -> str:
        text = ngettext("+ %(more)s weiterer Termin", "+ %(more)s weitere Termine", self.more)
        return text % {"more": self.more}

    @property
    def more_hint(self) -> str:
        return gettext("am %(day)s (Wochenansicht)") % {"day": self.long_name}


def calendar_weeks(
    sessions,
    *,
    period_start: date,
    period_end: date,
    today: date,
    holidays: dict[date, str] | None = None,
    per_day: int | None = None,
    with_trainers: bool = False,
) -> list[list[CalendarDay]]:
    """Monday-first weeks covering the period (a month or one week) with the sessions of
    each day, taken from the `sessions` queryset, and the public holidays by name. With
    `per_day`, a day keeps its first sessions and counts the others in `more`; with
    `with_trainers`, each entry names the run's trainers."""
    weeks = [
        week
        for week in stdlib_calendar.Calendar().monthdatescalendar(
            period_start.year, period_start.month
        )
        if week[-1] >= period_start and week[0] <= period_end
    ]
    days = {
        day: CalendarDay(
            day=day,
            in_period=period_start <= day <= period_end,
            is_today=day == today,
            holiday=(holidays or {}).get(day, ""),
        )
        for week in weeks
        for day in week
    }
    sessions = (
        sessions.between(weeks[0][0], weeks[-1][-1])
        .with_room_name()
        .order_by("date", "start_time", "pk")
    )
    if per_day is not None:
        # A busy month has about 500 sessions: the database numbers each day's sessions and
        # counts them, and only the first few a day are read (in one query).
        sessions = sessions.annotate(
            position=Window(RowNumber(), partition_by=F("date"), order_by=["start_time", "pk"]),
            day_total=Window(Count("pk"), partition_by=F("date")),
        ).filter(position__lte=per_day)
    fields = ["date", "start_time", "end_time", "is_cancelled", "run_id", "run__title"]
    fields += ["run__status", "room_name"] + (["day_total"] if per_day is not None else [])
    rows = list(sessions.values_list(*fields))
    trainers = (
        {run: ", ".join(names) for run, names in trainer_names({row[4] for row in rows}).items()}
        if with_trainers
        else {}
    )
    time_labels: dict[time, str] = {}  # a month has a few dozen distinct times
    # reversed once: "/…/durchgaenge/" + the run's id + "/" (the pattern ends in "<pk>/")
    run_url = url_maker("trainings:run_detail")
    for day_of, start, end, is_cancelled, run_id, title, status, room, *total in rows:
        times = [
            time_labels.get(t) or time_labels.setdefault(t, time_format(t, "TIME_FORMAT"))
            for t in (start, end)
        ]
        day = days[day_of]
        day.sessions.append(
            CalendarEntry(
                date=day_of,
                start_time=start,
                url=run_url(run_id),
                title=title,
                time_span="–".join(times),
                state="cancelled"
                if is_cancelled or status == CourseRun.Status.CANCELLED
                else "draft"
                if status == CourseRun.Status.DRAFT
                else "",
                room=room or "",
                trainers=trainers.get(run_id, ""),
            )
        )
        if total:  # the rest of the day, behind "+ n weitere"
            day.more = max(total[0] - per_day, 0)
    return [[days[day] for day in week] for week in weeks]
