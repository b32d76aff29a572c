"""Planning rules: trainers, status changes, the schedule generator and conflict checks.

Every function raises `ValidationError` with German messages keyed by form field,
so views can show them next to the field and keep what the user typed.
"""

from dataclasses import dataclass, field
from datetime import date, time, timedelta

import holidays
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Min, OuterRef, Subquery
from django.utils.formats import date_format, time_format
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from aktiva.models import Membership, Organization

from .models import CourseRun, Location, Module, Session, Trainer
from .signals import run_status_changed

# --- conflicts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """A time a run wants to meet; `location` None means the run's own room."""

    day: date
    start: time
    end: time
    location: Location | None = None


def compact_dates(days: list[date]) -> str:
    """Dates as short as they stay clear: consecutive days as a range, the year once per year
    ("30.11.–3.12., 7.12.–10.12.2026")."""
    days = sorted(set(days))
    ranges: list[list[date]] = []
    for day in days:
        if ranges and day - ranges[-1][-1] == timedelta(days=1):
            ranges[-1].append(day)
        else:
            ranges.append([day])
    # Translators: a day without its year in compact date lists
    short = pgettext("compact date", "d.m.")
    parts = []
    for i, days_in_range in enumerate(ranges):
        first, last = days_in_range[0], days_in_range[-1]
        year_ends = i == len(ranges) - 1 or ranges[i + 1][0].year != last.year
        end = date_format(last, "SHORT_DATE_FORMAT" if year_ends else short)
        if first == last:
            parts.append(end)
        else:
            begin = date_format(first, short if first.year == last.year else "SHORT_DATE_FORMAT")
            parts.append(f"{begin}–{end}")
    return ", ".join(parts)


@dataclass
class Conflict:
    """The days on which one other run already has a room or a trainer that a run wants."""

    cause: str  # "location" or "trainers": the form field that causes it
    other: CourseRun
    resource: Location | Trainer
    days: set[date] = field(default_factory=set)

    def message(self) -> str:
        n = len(self.days)
        values = {
            "n": n,
            "run": self.other.title,
            "days": compact_dates(list(self.days)),
            "name": self.resource,
        }
        if self.cause == "location":
            return (
                ngettext(
                    "%(n)d Termin kollidiert mit „%(run)s“ (%(days)s): %(name)s ist dann belegt.",
                    "%(n)d Termine kollidieren mit „%(run)s“ (%(days)s): %(name)s ist dann belegt.",
                    n,
                )
                % values
            )
        return (
            ngettext(
                "%(n)d Termin kollidiert mit „%(run)s“ (%(days)s): %(name)s leitet dann dort.",
                "%(n)d Termine kollidieren mit „%(run)s“ (%(days)s): %(name)s leitet dann dort.",
                n,
            )
            % values
        )


@dataclass
class Conflicts:
    """What collides, on which days, and which rooms and trainers are free at every slot."""

    items: list[Conflict] = field(default_factory=list)
    free_rooms: list[Location] = field(default_factory=list)
    free_trainers: list[Trainer] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def days(self) -> list[date]:
        return sorted({day for item in self.items for day in item.days})

    def errors(self, fields: dict[str, str] | None = None) -> dict[str, list[str]]:
        """Messages keyed by form field (`fields` renames, e.g. trainers → date)."""
        errors: dict[str, list[str]] = {}
        for item in self.items:
            key = (fields or {}).get(item.cause, item.cause)
            errors.setdefault(key, []).append(item.message())
        return errors


class ConflictError(ValidationError):
    """A double booking: the messages by field, and the conflicts for the next step."""

    def __init__(self, conflicts: Conflicts, fields: dict[str, str] | None = None):
        super().__init__(conflicts.errors(fields))
        self.conflicts = conflicts


def find_conflicts(
    *,
    run: CourseRun,
    slots: list[Slot],
    location: Location | None,
    trainers: list[Trainer],
    exclude: list[int] | None = None,
) -> Conflicts:
    """Other runs of the organization that hold a wanted room or trainer at one of the slots,
    one entry per other run and room or trainer. A fixed number of queries for any number of
    slots."""
    if run.status == CourseRun.Status.CANCELLED or not slots:
        return Conflicts()
    booked = list(
        Session.objects.held()
        .filter(run__organization_id=run.organization_id, date__in={s.day for s in slots})
        .exclude(run_id=run.pk)
        .exclude(pk__in=exclude or [])
        .select_related("run", "location", "run__location")
        .prefetch_related("run__trainers")
    )
    wanted = {t.pk: t for t in trainers}
    found: dict[tuple[str, int, int], Conflict] = {}
    busy_rooms: set[int] = set()
    busy_trainers: set[int] = set()
    for slot in slots:
        room = slot.location or location
        for other in booked:
            if other.date != slot.day or not (
                other.start_time < slot.end and other.end_time > slot.start
            ):
                continue
            other_room = other.effective_location
            other_trainers = list(other.run.trainers.all())
            busy_rooms.add(other_room.pk if other_room else 0)
            busy_trainers.update(t.pk for t in other_trainers)
            clashes = []
            if room and other_room == room:
                clashes.append(("location", room))
            clashes += [("trainers", wanted[t.pk]) for t in other_trainers if t.pk in wanted]
            for field_name, resource in clashes:
                key = (field_name, other.run_id, resource.pk)
                conflict = found.setdefault(key, Conflict(field_name, other.run, resource))
                conflict.days.add(slot.day)
    if not found:
        return Conflicts()
    items = sorted(found.values(), key=lambda c: (min(c.days), c.other.title, str(c.resource)))
    free_rooms = list(
        Location.objects.for_organization(run.organization)
        .filter(is_active=True)
        .exclude(pk__in=busy_rooms)
    )
    free_trainers = list(
        Trainer.objects.for_organization(run.organization)
        .assignable()
        .exclude(pk__in=busy_trainers | set(wanted))
        .order_by("last_name", "first_name")
    )
    return Conflicts(items=items, free_rooms=free_rooms, free_trainers=free_trainers)


def run_conflicts(
    *, run: CourseRun, trainers: list[Trainer], location: Location | None
) -> Conflicts:
    """Conflicts of all held sessions of a run, e.g. after changing its trainers or room."""
    slots = [
        Slot(s.date, s.start_time, s.end_time, s.location)
        for s in run.sessions.filter(is_cancelled=False).select_related("location")
    ]
    return find_conflicts(run=run, slots=slots, location=location, trainers=trainers)


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
    missing = [m.display_name for m in core_modules() if m.code not in covered]
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
            raise ConflictError(conflicts)
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
    # days left out because a room or trainer was booked there (`skip_conflicts`)
    skipped_busy: list[date] = field(default_factory=list)


def public_holidays(organization: Organization, years: range) -> dict[date, str]:
    """The state's public holidays, named in the reader's language (German or English)."""
    language = "en_US" if get_language() == "en" else "de"
    return dict(
        holidays.country_holidays(
            "DE", subdiv=organization.federal_state, years=years, language=language
        )
    )


def schedule_dates(
    *,
    organization: Organization,
    start: date,
    weekdays: list[int],
    count: int,
    leave_out: set[date] | None = None,
) -> tuple[list[date], list[tuple[date, str]]]:
    """The next `count` dates on the given weekdays (0 = Monday), skipping public holidays
    and the days in `leave_out`."""
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
            elif day not in (leave_out or set()):
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


# How often the generator looks further ahead when skipped days make room for new ones
# that collide again; past that the planner decides.
SKIP_ROUNDS = 10


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
    location: Location | None = None,
    trainers: list[Trainer] | None = None,
    skip_conflicts: bool = False,
) -> ScheduleResult:
    """Create `count` sessions and spread the modules over them.

    `location` and `trainers` default to the run's; a different room is booked on the new
    sessions (or becomes the run's room if it has none), different trainers become the run's.
    A double booking refuses the whole schedule, unless `skip_conflicts`: then the busy days
    are left out and later free days on the chosen weekdays take their place.
    """
    _require_open(run)
    if end_time <= start_time:
        raise ValidationError({"end_time": _("Das Ende muss nach dem Beginn liegen.")})
    if count < 1:
        raise ValidationError({"count": _("Mindestens ein Termin.")})
    current = list(run.trainers.all())
    trainers = current if trainers is None else trainers
    trainers_changed = {t.pk for t in trainers} != {t.pk for t in current}
    if trainers_changed:
        validate_trainers(trainers)
    room = location or run.location
    busy: set[date] = set()
    for _round in range(SKIP_ROUNDS):
        dates, skipped = schedule_dates(
            organization=run.organization,
            start=start,
            weekdays=weekdays,
            count=count,
            leave_out=busy,
        )
        own = own_overlaps(run=run, days=dates, start=start_time, end=end_time)
        if own:
            raise ValidationError({"__all__": own})
        slots = [Slot(day, start_time, end_time) for day in dates]
        conflicts = find_conflicts(run=run, slots=slots, location=room, trainers=trainers)
        if not conflicts or not skip_conflicts:
            break
        busy.update(conflicts.days)
    if conflicts:
        raise ConflictError(conflicts)
    if run.location is None and room is not None:
        run.location = room
        run.save(update_fields=["location", "updated_at"])
    result = ScheduleResult(skipped=skipped, skipped_busy=sorted(busy))
    for day, session_modules in zip(dates, spread_modules(modules, count), strict=True):
        session = Session.objects.create(
            run=run,
            date=day,
            start_time=start_time,
            end_time=end_time,
            location=room if room != run.location else None,
        )
        session.modules.set(session_modules)
        result.sessions.append(session)
    run.modules.add(*modules)
    if trainers_changed:
        run.trainers.set(trainers)
    course_run_dates_refresh(run_ids=[run.pk])
    return result


def _require_open(run: CourseRun) -> None:
    if run.is_closed:
        raise ValidationError(
            _("Die Termine eines abgeschlossenen oder abgesagten Durchgangs bleiben, wie sie sind.")
        )


def own_overlaps(
    *, run: CourseRun, days: list[date], start: time, end: time, exclude: int | None = None
) -> list[str]:
    """A run cannot meet twice at the same time (that would also count a session twice)."""
    sessions = run.sessions.filter(
        is_cancelled=False, date__in=days, start_time__lt=end, end_time__gt=start
    )
    return [
        _("Dieser Durchgang hat am %(date)s schon einen Termin von %(start)s bis %(end)s.")
        % {
            "date": date_format(s.date, "SHORT_DATE_FORMAT"),
            "start": time_format(s.start_time, "TIME_FORMAT"),
            "end": time_format(s.end_time, "TIME_FORMAT"),
        }
        for s in sessions.exclude(pk=exclude)
    ]


def course_run_dates_refresh(*, run_ids) -> None:
    """Store the runs' first and last held day (`CourseRun.held_from`, `held_until`) anew
    from their sessions, in one UPDATE. Whatever creates, moves, cancels or deletes
    sessions calls it, so the stored days never differ from `with_dates()`."""
    held = Session.objects.filter(run=OuterRef("pk"), is_cancelled=False).values("run")
    CourseRun.objects.filter(pk__in=run_ids).update(
        held_from=Subquery(held.annotate(day=Min("date")).values("day")),
        held_until=Subquery(held.annotate(day=Max("date")).values("day")),
    )


# --- single sessions ------------------------------------------------------------------------------


@transaction.atomic
def session_save(*, session: Session, modules: list[Module]) -> Session:
    """Add or move one session, refusing double bookings of its trainers and room."""
    _require_open(session.run)
    session.full_clean()
    if not session.is_cancelled:
        own = own_overlaps(
            run=session.run,
            days=[session.date],
            start=session.start_time,
            end=session.end_time,
            exclude=session.pk,
        )
        if own:
            raise ValidationError({"date": own})
        conflicts = find_conflicts(
            run=session.run,
            slots=[Slot(session.date, session.start_time, session.end_time, session.location)],
            location=session.run.location,
            trainers=list(session.run.trainers.all()),
            exclude=[session.pk] if session.pk else None,
        )
        if conflicts:
            # a session's trainers are the run's: what the planner changes here is the time
            raise ConflictError(conflicts, fields={"trainers": "date"})
    session.save()
    session.modules.set(modules)
    course_run_dates_refresh(run_ids=[session.run_id])
    return session


@transaction.atomic
def session_set_cancelled(*, session: Session, cancelled: bool) -> Session:
    _require_open(session.run)
    if not cancelled:
        return session_save(
            session=_with(session, is_cancelled=False), modules=list(session.modules.all())
        )
    session.is_cancelled = True
    session.save(update_fields=["is_cancelled"])
    course_run_dates_refresh(run_ids=[session.run_id])
    return session


def _with(session: Session, **changes) -> Session:
    for name, value in changes.items():
        setattr(session, name, value)
    return session
