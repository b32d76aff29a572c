"""Reads that the trainings pages assemble: the dashboard, a run's sessions, the calendar.
Each runs a fixed number of queries, however many runs and sessions there are."""

import calendar as stdlib_calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, Window, prefetch_related_objects
from django.db.models.functions import RowNumber

from aktiva.models import Membership
from aktiva.paging import CountlessPage, page_without_count

from . import attendance_warnings
from .models import CourseRun, Module, Session, Trainer
from .services import run_warnings

# How many of the week's coming sessions the dashboard lists.
DASHBOARD_WEEK_SESSIONS = 12
# "Meine Termine" pages through a trainer's coming sessions ("weiter" for later ones) and
# shows the newest past ones; older ones are in the calendar ("Nur meine Termine").
MY_UPCOMING_PER_PAGE = 10
MY_RECENT_SHOWN = 5


def dashboard(membership: Membership, today: date) -> dict:
    """The week's coming sessions (the first few and how many more), today's among them,
    runs per status and active runs without a trainer."""
    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=6)
    runs = CourseRun.objects.visible_to(membership)
    # the rest of the week from today on, its first sessions only: a busy jobcenter has
    # about 60 a week; the calendar's week view shows them all
    rest_of_week = Session.objects.filter(run__in=runs).between(today, week_end)
    # One query for the week's first sessions, all of today's (they come first, and a
    # trainer records attendance from there) and how many the week has in all.
    in_order = ["date", "start_time", "pk"]
    shown = list(
        rest_of_week.annotate(
            position=Window(RowNumber(), order_by=in_order),
            week_total=Window(Count("pk")),
        )
        .filter(Q(position__lte=DASHBOARD_WEEK_SESSIONS) | Q(date=today))
        .select_related("run", "location", "run__location")
        .prefetch_related("modules", "run__trainers")
        .order_by(*in_order)
    )
    week_sessions = [s for s in shown if s.position <= DASHBOARD_WEEK_SESSIONS]
    week_more = shown[0].week_total - len(week_sessions) if shown else 0
    today_sessions = [s for s in shown if s.date == today and not s.is_cancelled]
    by_status = {row["status"]: row["n"] for row in runs.values("status").annotate(n=Count("id"))}
    runs_active = runs.active()
    lacking_trainers = (
        runs_active.annotate(trainer_count=Count("trainers"))
        .filter(trainer_count__lt=1)
        .with_dates()
        .order_by("first_date")
    )
    return {
        "today": today,
        "today_sessions": today_sessions,
        "week_start": week_start,
        "week_end": week_end,
        "week_sessions": week_sessions,
        "week_more": week_more,
        "status_counts": [(s, by_status.get(s.value, 0)) for s in CourseRun.Status],
        "lacking_trainers": lacking_trainers,
        "runs_active": runs_active,
        "attendance_warnings": attendance_warnings.for_runs(runs),
    }


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


def run_page(run: CourseRun) -> dict:
    """A run's page: its sessions, warnings, the status changes it allows, its units."""
    sessions = run_sessions(run)
    return {
        "run": run,
        "sessions": sessions,
        "warnings": run_warnings(run, sessions=sessions),
        "attendance_warnings": attendance_warnings.for_sessions(sessions),
        # (status, what its button says)
        "transitions": [
            (s, CourseRun.ACTIONS[s])
            for s in run.allowed_transitions
            if s != CourseRun.Status.CANCELLED
        ],
        "can_cancel": run.can_transition_to(CourseRun.Status.CANCELLED),
        "total_units": sum(s.teaching_units for s in sessions if not s.is_cancelled),
    }


def my_sessions(
    trainer: Trainer, today: date, recent_days: int, page=None
) -> tuple[CountlessPage, list[Session], bool]:
    """A page of a trainer's upcoming sessions and, on the first page, the newest few of
    the last `recent_days` (and whether there are more), each with its co-trainers. A
    trainer of ten years leads hundreds of runs: only the shown sessions are loaded, and
    only they get their modules and co-trainers' names."""
    mine = (
        Session.objects.filter(run__organization_id=trainer.organization_id)
        .for_trainer(trainer)
        .select_related("run", "location", "run__location")
    )
    upcoming = page_without_count(
        mine.filter(date__gte=today).order_by("date", "start_time", "pk"),
        page,
        MY_UPCOMING_PER_PAGE,
    )
    recent: list[Session] = []
    if upcoming.number == 1:
        since, yesterday = today - timedelta(days=recent_days), today - timedelta(days=1)
        recent = list(
            mine.between(since, yesterday).order_by("-date", "-start_time", "-pk")[
                : MY_RECENT_SHOWN + 1
            ]
        )
    more_recent = len(recent) > MY_RECENT_SHOWN
    recent = recent[:MY_RECENT_SHOWN]
    shown = [*upcoming.object_list, *recent]
    prefetch_related_objects(shown, "modules")
    co_trainers = trainer_names({s.run_id for s in shown}, but=trainer)
    for session in shown:
        session.cancelled = is_cancelled(session)
        session.co_trainers = co_trainers[session.run_id]
    return upcoming, recent, more_recent


def is_cancelled(session: Session) -> bool:
    return session.is_cancelled or session.run.status == CourseRun.Status.CANCELLED


@dataclass
class CalendarDay:
    day: date
    in_period: bool
    is_today: bool
    holiday: str = ""  # the public holiday's name in the organization's state
    sessions: list[Session] = field(default_factory=list)
    more: int = 0  # sessions of the day not shown (the month view shows a few a day)


def calendar_weeks(
    sessions,
    *,
    period_start: date,
    period_end: date,
    today: date,
    holidays: dict[date, str] | None = None,
    per_day: int | None = None,
) -> list[list[CalendarDay]]:
    """Monday-first weeks covering the period (a month or one week) with the sessions of
    each day, taken from the `sessions` queryset, and the public holidays by name. With
    `per_day`, a day keeps its first sessions and counts the others in `more`."""
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
    sessions = sessions.between(weeks[0][0], weeks[-1][-1])
    if per_day is not None:  # the days' first few found by id and date, only those read whole
        shown: dict[date, int] = defaultdict(int)
        keep = []
        for pk, day in sessions.values_list("pk", "date"):
            if shown[day] < per_day:
                shown[day] += 1
                keep.append(pk)
            else:
                days[day].more += 1
        sessions = sessions.filter(pk__in=keep)
    for session in sessions:
        session.cancelled = is_cancelled(session)
        days[session.date].sessions.append(session)
    return [[days[day] for day in week] for week in weeks]
