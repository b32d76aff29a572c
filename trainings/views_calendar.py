"""The organization's calendar (month and week) and a trainer's own sessions."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.shortcuts import render
from django.utils import timezone

from aktiva.access import member_required

from .ical import feed_sessions, trainer_subscription_url
from .models import CourseRun, Session, Trainer
from .views import visible_runs

# How far back "Meine Termine" shows past sessions.
RECENT_DAYS = 28


@dataclass
class CalendarDay:
    day: date
    in_period: bool
    is_today: bool
    sessions: list[Session] = field(default_factory=list)


def _own_trainer(request) -> Trainer | None:
    """The user's trainer profile in their organization, if any."""
    return Trainer.objects.for_organization(request.organization).filter(user=request.user).first()


def _parse_date(value: str | None, default: date) -> date:
    """A date from the query string; nonsense and far-off years fall back to the default."""
    try:
        parsed = date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return parsed if 1900 <= parsed.year <= 9000 else default


def _month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def _is_cancelled(session: Session) -> bool:
    return session.is_cancelled or session.run.status == CourseRun.Status.CANCELLED


@member_required
def calendar(request):
    today = timezone.localdate()
    view = "woche" if request.GET.get("ansicht") == "woche" else "monat"
    anchor = _parse_date(request.GET.get("datum"), today)
    if view == "woche":
        period_start = anchor - timedelta(days=anchor.weekday())
        period_end = period_start + timedelta(days=6)
        previous, following = period_start - timedelta(days=7), period_start + timedelta(days=7)
    else:
        period_start, period_end = _month_bounds(anchor)
        previous = (period_start - timedelta(days=1)).replace(day=1)
        following = period_end + timedelta(days=1)
    grid_start = period_start - timedelta(days=period_start.weekday())
    grid_end = period_end + timedelta(days=6 - period_end.weekday())

    trainer = _own_trainer(request)
    only_mine = bool(trainer) and request.GET.get("meine") == "1"
    sessions = Session.objects.filter(run__in=visible_runs(request)).between(grid_start, grid_end)
    if only_mine:
        sessions = sessions.for_trainer(trainer)
    sessions = sessions.select_related("run", "location", "run__location").prefetch_related(
        "run__trainers"
    )

    days = {}
    day = grid_start
    while day <= grid_end:
        days[day] = CalendarDay(
            day=day, in_period=period_start <= day <= period_end, is_today=day == today
        )
        day += timedelta(days=1)
    for session in sessions:
        session.cancelled = _is_cancelled(session)
        days[session.date].sessions.append(session)
    all_days = list(days.values())
    weeks = [all_days[i : i + 7] for i in range(0, len(all_days), 7)]
    return render(
        request,
        "trainings/calendar.html",
        {
            "view": view,
            "weeks": weeks,
            "period_start": period_start,
            "period_end": period_end,
            "anchor": anchor,
            "previous": previous,
            "following": following,
            "today": today,
            "trainer": trainer,
            "only_mine": only_mine,
            "has_sessions": any(d.sessions for d in all_days if d.in_period),
            "weekday_names": [grid_start + timedelta(days=i) for i in range(7)],
        },
    )


@member_required
def my_sessions(request):
    trainer = _own_trainer(request)
    if trainer is None:
        return render(request, "trainings/my_sessions.html", {"trainer": None})
    today = timezone.localdate()
    sessions = feed_sessions(
        Session.objects.for_organization(request.organization)
        .for_trainer(trainer)
        .filter(date__gte=today - timedelta(days=RECENT_DAYS))
        .order_by("date", "start_time")
    )
    upcoming, recent = [], []
    for session in sessions:
        session.cancelled = _is_cancelled(session)
        session.co_trainers = [t for t in session.run.trainers.all() if t.pk != trainer.pk]
        (upcoming if session.date >= today else recent).append(session)
    recent.reverse()
    return render(
        request,
        "trainings/my_sessions.html",
        {
            "trainer": trainer,
            "upcoming": upcoming,
            "recent": recent,
            "recent_days": RECENT_DAYS,
            "ical_url": trainer_subscription_url(trainer),
        },
    )
