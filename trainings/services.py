"""Planning rules: trainers, status changes, the schedule generator and conflict checks.

Every function raises `ValidationError` with German messages keyed by form field,
so views can show them next to the field and keep what the user typed.
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

import holidays
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from aktiva.models import Membership, Organization

from .models import CourseRun, Location, Module, Session, Trainer
from .signals import run_status_changed

# --- conflicts ------------------------------------------------------------------------------


def _describe(session: Session) -> str:
    return _("„%(run)s“ am %(date)s, %(start)s–%(end)s") % {
        "run": session.run.title,
        "date": date_format(session.date, "SHORT_DATE_FORMAT"),
        "start": session.start_time.strftime("%H:%M"),
        "end": session.end_time.strftime("%H:%M"),
    }


def session_conflicts(
    *,
    run: CourseRun,
    on: date,
    start: time,
    end: time,
    location: Location | None,
    trainers: list[Trainer] | None = None,
    exclude: list[int] | None = None,
) -> list[str]:
    """Messages for each trainer or room already booked in an overlapping session of another run."""
    if run.status == CourseRun.Status.CANCELLED:
        return []
    trainers = list(run.trainers.all()) if trainers is None else trainers
    location = location or run.location
    others = (
        Session.objects.overlapping(on=on, start=start, end=end)
        .filter(run__organization=run.organization)
        .exclude(pk__in=exclude or [])
        .exclude(run=run)
        .select_related("run", "location", "run__location")
        .prefetch_related("run__trainers")
    )
    if not trainers and location is None:
        return []
    room_q = (
        Q(location=location) | Q(location__isnull=True, run__location=location)
        if location
        else Q(pk__in=[])
    )
    others = others.filter(room_q | Q(run__trainers__in=trainers)).distinct()
    messages = []
    trainer_ids = {t.pk for t in trainers}
    for other in others:
        if location and other.effective_location == location:
            messages.append(
                _("Der Raum %(room)s ist schon belegt: %(other)s.")
                % {"room": location, "other": _describe(other)}
            )
        for trainer in other.run.trainers.all():
            if trainer.pk in trainer_ids:
                messages.append(
                    _("%(trainer)s leitet zur selben Zeit %(other)s.")
                    % {"trainer": trainer, "other": _describe(other)}
                )
    return messages


def run_conflicts(
    *, run: CourseRun, trainers: list[Trainer] | None = None, location=None
) -> list[str]:
    """Conflicts of all held sessions of a run, e.g. after changing its trainers or room."""
    messages: list[str] = []
    location_given = location is not None
    for session in run.sessions.filter(is_cancelled=False).select_related("location"):
        messages += session_conflicts(
            run=run,
            on=session.date,
            start=session.start_time,
            end=session.end_time,
            location=session.location or (location if location_given else run.location),
            trainers=trainers,
        )
    return messages


# --- warnings shown on the run page --------------------------------------------------------------


def run_warnings(run: CourseRun, *, sessions: list[Session]) -> list[str]:
    """Things a planner would otherwise miss. `sessions` come prefetched with their modules."""
    warnings = []
    if run.location and run.capacity > run.location.capacity:
        warnings.append(
            _(
                "Der Durchgang hat %(capacity)s Plätze, "
                "der Raum %(room)s aber nur %(room_capacity)s."
            )
            % {
                "capacity": run.capacity,
                "room": run.location,
                "room_capacity": run.location.capacity,
            }
        )
    covered = {m.code for s in sessions if not s.is_cancelled for m in s.modules.all() if m.is_core}
    missing = [m.name for m in core_modules() if m.code not in covered]
    if missing:
        warnings.append(
            _("Diese Kernmodule kommen in keinem Termin vor: %(modules)s.")
            % {"modules": ", ".join(missing)}
        )
    if not run.trainers.all():
        warnings.append(_("Dem Durchgang ist noch keine Trainerin und kein Trainer zugeordnet."))
    return warnings


def core_modules() -> list[Module]:
    return list(
        Module.objects.filter(organization__isnull=True, kind=Module.Kind.CORE).order_by("position")
    )


# --- trainers -------------------------------------------------------------------------------------


def validate_trainers(trainers: list[Trainer]) -> None:
    unqualified = [t for t in trainers if not t.is_assignable]
    if unqualified:
        raise ValidationError(
            {
                "trainers": _(
                    "Nur aktive Trainer/innen mit AktivA-Qualifizierung können einen Durchgang "
                    "leiten: %(names)s erfüllt das nicht."
                )
                % {"names": ", ".join(str(t) for t in unqualified)}
            }
        )


# --- runs -----------------------------------------------------------------------------------------


@transaction.atomic
def course_run_save(*, run: CourseRun, trainers: list[Trainer], modules: list[Module]) -> CourseRun:
    """Create or update a run with its trainers and modules, refusing double bookings."""
    validate_trainers(trainers)
    run.full_clean()
    if run.pk:
        conflicts = run_conflicts(run=run, trainers=trainers, location=run.location)
        if conflicts:
            raise ValidationError({"trainers": conflicts})
    run.save()
    run.trainers.set(trainers)
    run.modules.set(modules)
    return run


@transaction.atomic
def course_run_transition(
    *, run: CourseRun, to: str, reason: str = "", membership: Membership | None = None
) -> CourseRun:
    """Change a run's status. Given a `membership`, it decides: coordinators make every
    change the workflow allows; a run's trainers only complete it (which issues the
    certificates), once all its sessions have taken place or were cancelled."""
    run = CourseRun.objects.select_for_update().get(pk=run.pk)
    if membership is not None and not membership.is_coordinator:
        if to != CourseRun.Status.COMPLETED or not run.is_visible_to(membership):
            raise PermissionDenied(_("Diese Statusänderung ist der Koordination vorbehalten."))
        if run.can_transition_to(to) and run.has_sessions_ahead():
            raise ValidationError(
                _(
                    "Abschließen können Sie den Durchgang, wenn alle Termine stattgefunden "
                    "haben oder abgesagt sind."
                )
            )
    if not run.can_transition_to(to):
        raise ValidationError(
            _("Ein Durchgang im Status „%(from)s“ kann nicht auf „%(to)s“ gesetzt werden.")
            % {"from": run.get_status_display(), "to": CourseRun.Status(to).label}
        )
    if to == CourseRun.Status.CANCELLED:
        if not reason.strip():
            raise ValidationError({"reason": _("Bitte geben Sie einen Grund für die Absage an.")})
        run.cancellation_reason = reason.strip()
    if to == CourseRun.Status.PLANNED and not run.sessions.filter(is_cancelled=False).exists():
        raise ValidationError(_("Legen Sie zuerst Termine an, bevor Sie den Durchgang planen."))
    old = run.status
    run.status = to
    run.save(update_fields=["status", "cancellation_reason", "updated_at"])
    run_status_changed.send(sender=CourseRun, run=run, old=old, new=to)
    return run


# --- the schedule generator ---------------------------------------------------------------------


@dataclass
class ScheduleResult:
    sessions: list[Session] = field(default_factory=list)
    skipped: list[tuple[date, str]] = field(default_factory=list)


def public_holidays(organization: Organization, years: range) -> dict[date, str]:
    return dict(
        holidays.country_holidays(
            "DE", subdiv=organization.federal_state, years=years, language="de"
        )
    )


def schedule_dates(
    *, organization: Organization, start: date, weekdays: list[int], count: int
) -> tuple[list[date], list[tuple[date, str]]]:
    """The next `count` dates on the given weekdays (0 = Monday), skipping public holidays."""
    if not weekdays:
        raise ValidationError({"weekdays": _("Bitte wählen Sie mindestens einen Wochentag.")})
    found: list[date] = []
    skipped: list[tuple[date, str]] = []
    day = start
    holiday_names = public_holidays(organization, range(start.year, start.year + 3))
    while len(found) < count:
        if day.weekday() in weekdays:
            if day in holiday_names:
                skipped.append((day, holiday_names[day]))
            else:
                found.append(day)
        day += timedelta(days=1)
    return found, skipped


def spread_modules(modules: list[Module], count: int) -> list[list[Module]]:
    """Distribute modules in curriculum order over `count` sessions.

    With fewer modules than sessions a module spans consecutive sessions
    (4 core modules over 8 sessions: two each); with more, a session covers several.
    """
    ordered = sorted(modules, key=lambda m: (m.position, m.name))
    if not ordered:
        return [[] for _ in range(count)]
    m = len(ordered)
    if m <= count:
        return [[ordered[k * m // count]] for k in range(count)]
    return [ordered[k * m // count : (k + 1) * m // count] for k in range(count)]


@transaction.atomic
def schedule_generate(
    *,
    run: CourseRun,
    start: date,
    weekdays: list[int],
    start_time: time,
    end_time: time,
    count: int,
    modules: list[Module],
) -> ScheduleResult:
    """Create `count` sessions and spread the modules over them; refuses on any double booking."""
    _require_open(run)
    if end_time <= start_time:
        raise ValidationError({"end_time": _("Das Ende muss nach dem Beginn liegen.")})
    if count < 1:
        raise ValidationError({"count": _("Mindestens ein Termin.")})
    dates, skipped = schedule_dates(
        organization=run.organization, start=start, weekdays=weekdays, count=count
    )
    conflicts: list[str] = []
    for day in dates:
        conflicts += own_overlaps(run=run, on=day, start=start_time, end=end_time)
        conflicts += session_conflicts(
            run=run, on=day, start=start_time, end=end_time, location=None
        )
    if conflicts:
        raise ValidationError({"__all__": conflicts})
    result = ScheduleResult(skipped=skipped)
    for day, session_modules in zip(dates, spread_modules(modules, count), strict=True):
        session = Session.objects.create(
            run=run, date=day, start_time=start_time, end_time=end_time
        )
        session.modules.set(session_modules)
        result.sessions.append(session)
    run.modules.add(*modules)
    return result


def _require_open(run: CourseRun) -> None:
    if run.is_closed:
        raise ValidationError(
            _("Die Termine eines abgeschlossenen oder abgesagten Durchgangs bleiben, wie sie sind.")
        )


def own_overlaps(
    *, run: CourseRun, on: date, start: time, end: time, exclude: int | None = None
) -> list[str]:
    """A run cannot meet twice at the same time (that would also count a session twice)."""
    sessions = run.sessions.filter(
        is_cancelled=False, date=on, start_time__lt=end, end_time__gt=start
    )
    return [
        _("Dieser Durchgang hat am %(date)s schon einen Termin von %(start)s bis %(end)s.")
        % {
            "date": date_format(s.date, "SHORT_DATE_FORMAT"),
            "start": s.start_time.strftime("%H:%M"),
            "end": s.end_time.strftime("%H:%M"),
        }
        for s in sessions.exclude(pk=exclude)
    ]


# --- single sessions ------------------------------------------------------------------------------


@transaction.atomic
def session_save(*, session: Session, modules: list[Module]) -> Session:
    """Add or move one session, refusing double bookings of its trainers and room."""
    _require_open(session.run)
    session.full_clean()
    if not session.is_cancelled:
        conflicts = own_overlaps(
            run=session.run,
            on=session.date,
            start=session.start_time,
            end=session.end_time,
            exclude=session.pk,
        )
        conflicts += session_conflicts(
            run=session.run,
            on=session.date,
            start=session.start_time,
            end=session.end_time,
            location=session.location,
            exclude=[session.pk] if session.pk else None,
        )
        if conflicts:
            raise ValidationError({"date": conflicts})
    session.save()
    session.modules.set(modules)
    return session


def session_set_cancelled(*, session: Session, cancelled: bool) -> Session:
    _require_open(session.run)
    if not cancelled:
        return session_save(
            session=_with(session, is_cancelled=False), modules=list(session.modules.all())
        )
    session.is_cancelled = True
    session.save(update_fields=["is_cancelled"])
    return session


def _with(session: Session, **changes) -> Session:
    for name, value in changes.items():
        setattr(session, name, value)
    return session
