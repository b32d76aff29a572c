"""The organization's calendar (month and week) and a trainer's own sessions."""

import calendar as stdlib_calendar
from datetime import date, timedelta

from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from aktiva.access import member_required
from aktiva.addresses import request_base_url

from .. import selectors, services
from ..forms.calendar import CalendarFilterForm
from ..ical import trainer_subscription_url
from ..models import Session, Trainer

# The month view shows this many sessions a day; the rest are behind "+ n weitere", a link
# to the week view (a busy jobcenter has about 500 sessions a month).
MONTH_ENTRIES_PER_DAY = 4

# How far back "Meine Termine" shows past sessions.
RECENT_DAYS = 28


def _parse_date(value: str | None, default: date) -> date:
    """A date from the query string; nonsense and far-off years fall back to the default."""
    try:
        parsed = date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return parsed if 1900 <= parsed.year <= 9000 else default


def _period(view: str, anchor: date) -> tuple[date, date, date, date]:
    """(first day, last day, a day of the previous period, a day of the next one)."""
    if view == "woche":
        start = anchor - timedelta(days=anchor.weekday())
        return start, start + timedelta(days=6), start - timedelta(days=7), start + timedelta(7)
    first = anchor.replace(day=1)
    last = first.replace(day=stdlib_calendar.monthrange(first.year, first.month)[1])
    return first, last, (first - timedelta(days=1)).replace(day=1), last + timedelta(days=1)


def _calendar_sessions(request, trainer: Trainer | None):
    """The member's sessions (only the trainer's, if given)."""
    sessions = Session.objects.visible_to(request.membership)
    return sessions.for_trainer(trainer) if trainer else sessions


@member_required
def calendar(request):
    today = timezone.localdate()
    form = CalendarFilterForm(request.GET, organization=request.organization)
    view = "woche" if request.GET.get("ansicht") == "woche" else "monat"
    anchor = _parse_date(request.GET.get("datum"), today)
    if form.month():  # the jump to a month
        view, anchor = "monat", form.month()
    period_start, period_end, previous, following = _period(view, anchor)
    trainer = selectors.own_trainer_profile(request)
    only_mine = bool(trainer) and request.GET.get("meine") == "1"
    keep = form.query() + ("&meine=1" if only_mine else "")
    context = {"view": view, "anchor": anchor, "today": today, "form": form}
    context.update(period_start=period_start, period_end=period_end, previous=previous)
    context.update(following=following, trainer=trainer, only_mine=only_mine)
    context["keep"] = keep.lstrip("&")
    context["filtered"] = bool(form.query() or only_mine)

    def grid() -> str:
        sessions = form.filter(_calendar_sessions(request, only_mine and trainer))
        weeks = selectors.calendar_weeks(
            sessions,
            period_start=period_start,
            period_end=period_end,
            today=today,
            holidays=services.public_holidays(
                request.organization, range(period_start.year - 1, period_end.year + 2)
            ),
            per_day=None if view == "woche" else MONTH_ENTRIES_PER_DAY,
            with_trainers=view == "woche",  # the month view has no room for names
        )
        has_sessions = any(d.sessions or d.more for week in weeks for d in week if d.in_period)
        grid_context = {**context, "weeks": weeks, "has_sessions": has_sessions}
        grid_context["weekday_names"] = [d.day for d in weeks[0]]
        return render_to_string("trainings/partials/calendar_grid.html", grid_context, request)

    # The days' entries cost more to render than to read: kept rendered under the runs'
    # revision (runs, sessions, rooms, trainers, who leads what) and all else they show.
    # Who sees which sessions is in the key: a trainer's own view is never a coordinator's.
    membership = request.membership
    inputs = (
        view,
        period_start,
        today,
        form.query(),
        only_mine and trainer.pk,
        membership.is_coordinator or membership.user_id,
        request.organization.federal_state,  # the public holidays
    )
    revision = selectors.runs_revision(request.organization.pk)
    context["grid"] = selectors.remembered_part(revision, "calendar", inputs, grid)
    # The filter's selects have an option per trainer and per room (in the revision too),
    # and what was typed decides which is selected and what error shows.
    typed = tuple((name, tuple(request.GET.getlist(name))) for name in form.plain_fields)
    context["filter_fields"] = selectors.remembered_part(
        revision,
        "calendar-filter",
        typed,
        lambda: render_to_string("trainings/partials/calendar_filter_fields.html", {"form": form}),
    )
    return render(request, "trainings/calendar.html", context)


@member_required
def my_sessions(request):
    trainer = selectors.own_trainer_profile(request)
    if trainer is None:
        return render(request, "trainings/my_sessions.html", {"trainer": None})
    shown = selectors.my_sessions(
        trainer, timezone.localdate(), RECENT_DAYS, request.GET.get("page")
    )
    page = shown.page
    context = {"trainer": trainer, "page": page}
    context["ical_url"] = trainer_subscription_url(trainer, base=request_base_url(request))

    def cards() -> str:
        sessions = selectors.my_session_cards(trainer, [*page.object_list, *shown.recent])
        cards_context = {"page": page, "query": "", "earlier_day": shown.earlier_day}
        cards_context.update(recent_days=RECENT_DAYS, upcoming=sessions[: len(page)])
        cards_context["recent"] = sessions[len(page) :]
        return render_to_string("trainings/partials/my_sessions_lists.html", cards_context)

    # Fifteen cards cost more to render than to find: kept rendered under the runs' revision
    # (runs, sessions, rooms, trainers, who leads what, the sessions' modules). The sessions
    # shown come from the live query of the trainer's own; the trainer is in the key too, as
    # a card names the run's other trainers.
    inputs = (
        trainer.pk,
        tuple(page.object_list),
        page.number,
        page.has_next,
        tuple(shown.recent),
        shown.earlier_day,
    )
    revision = selectors.runs_revision(request.organization.pk)
    context["sessions"] = selectors.remembered_part(revision, "my-sessions", inputs, cards)
    return render(request, "trainings/my_sessions.html", context)
