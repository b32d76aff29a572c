"""iCalendar files of sessions: a trainer's private subscription and a run's download."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from aktiva.addresses import public_url

from .models import CourseRun, Session, Trainer, new_ical_token

BERLIN = ZoneInfo("Europe/Berlin")
# How far back a subscription reaches; older sessions only make calendars slow.
FEED_HISTORY = timedelta(days=365)


def feed_sessions(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """Everything an event needs, in a constant number of queries."""
    return sessions.select_related("run", "location", "run__location").prefetch_related(
        "modules", "run__trainers"
    )


def trainer_feed_sessions(trainer: Trainer) -> QuerySet[Session]:
    since = timezone.localdate() - FEED_HISTORY
    return feed_sessions(
        Session.objects.filter(
            run__organization_id=trainer.organization_id, date__gte=since
        ).for_trainer(trainer)
    )


def _uid_domain() -> str:
    # not the request's address: an event keeps its uid whichever address fetched the feed
    return urlsplit(public_url()).hostname or "aktiva"


def _event(session: Session, base: str) -> Event:
    run = session.run
    event = Event()
    event.add("uid", f"session-{session.pk}@{_uid_domain()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", datetime.combine(session.date, session.start_time, tzinfo=BERLIN))
    event.add("dtend", datetime.combine(session.date, session.end_time, tzinfo=BERLIN))
    event.add("summary", f"AktivA: {run.title}")
    if session.is_cancelled or run.status == CourseRun.Status.CANCELLED:
        event.add("status", "CANCELLED")
    elif run.status == CourseRun.Status.DRAFT:
        event.add("status", "TENTATIVE")
    else:
        event.add("status", "CONFIRMED")
    location = session.effective_location
    if location:
        event.add("location", f"{location.name}, {location.address}")
    lines = []
    modules = [m.name for m in session.modules.all()]
    if modules:
        lines.append(_("Module: %(modules)s") % {"modules": ", ".join(modules)})
    trainers = [str(t) for t in run.trainers.all()]
    if trainers:
        lines.append(_("Trainer/innen: %(trainers)s") % {"trainers": ", ".join(trainers)})
    if location and location.directions:
        lines.append(_("Weg: %(directions)s") % {"directions": location.directions})
    if session.note:
        lines.append(session.note)
    url = public_url(run.get_absolute_url(), base=base)
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("url", url)
    return event


def sessions_calendar(sessions, *, name: str, base: str = "") -> bytes:
    """`base`: the address of the request (`aktiva.addresses`) for the links in events."""
    calendar = Calendar()
    calendar.add("prodid", "-//AktivA//Termine//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Berlin")
    days = []
    for session in sessions:
        calendar.add_component(_event(session, base))
        days.append(session.date)
    if days:
        # a VTIMEZONE covering only the years in use keeps the file small
        calendar.add_missing_timezones(
            first_date=min(days) - timedelta(days=366), last_date=max(days) + timedelta(days=366)
        )
    return calendar.to_ical()


def trainer_calendar(trainer: Trainer, *, base: str = "") -> bytes:
    return sessions_calendar(
        trainer_feed_sessions(trainer),
        name=_("AktivA-Termine %(name)s") % {"name": trainer},
        base=base,
    )


def run_calendar(run: CourseRun, *, base: str = "") -> bytes:
    return sessions_calendar(
        feed_sessions(run.sessions.all()), name=f"AktivA: {run.title}", base=base
    )


def trainer_subscription_url(trainer: Trainer, *, base: str = "") -> str:
    return public_url(reverse("trainings:ical_feed", args=[trainer.ical_token]), base=base)


@transaction.atomic
def trainer_renew_ical_token(*, trainer: Trainer) -> Trainer:
    """Give the trainer a new secret subscription address; the old one answers 404 from now on."""
    trainer.ical_token = new_ical_token()
    Trainer.objects.filter(pk=trainer.pk).update(ical_token=trainer.ical_token)
    return trainer
