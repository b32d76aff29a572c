"""Trainers, the module catalogue, locations, course runs and their sessions."""

import secrets
from datetime import date, datetime, timedelta

from django.db import models
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aktiva.models import Membership, Organization, OrganizationRevision

from .catalogue import SHIPPED_TEXTS


def new_ical_token() -> str:
    return secrets.token_urlsafe(24)


class OrganizationQuerySet(models.QuerySet):
    def for_organization(self, organization: Organization):
        return self.filter(organization=organization)


class TrainerQuerySet(OrganizationQuerySet):
    def assignable(self, on: date | None = None):
        """Active trainers with an AktivA qualification (on the given day)."""
        on = on or timezone.localdate()
        return self.filter(is_active=True, qualified_on__isnull=False, qualified_on__lte=on)


class Trainer(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="trainers"
    )
    user = models.OneToOneField(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainer",
        verbose_name=_("Benutzerkonto"),
    )
    first_name = models.CharField(_("Vorname"), max_length=100)
    last_name = models.CharField(_("Nachname"), max_length=100)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    qualified_on = models.DateField(
        _("AktivA-Qualifizierung am"),
        null=True,
        blank=True,
        help_text=_("Abschluss der viertägigen AktivA-Trainerqualifizierung."),
    )
    certificate_reference = models.CharField(
        _("Nachweis (Zertifikatsnummer)"), max_length=100, blank=True
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    ical_token = models.CharField(
        max_length=64, unique=True, default=new_ical_token, editable=False
    )

    objects = TrainerQuerySet.as_manager()

    class Meta:
        verbose_name = _("Trainer/in")
        verbose_name_plural = _("Trainer/innen")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.name_of(self.first_name, self.last_name)

    def get_absolute_url(self) -> str:
        return reverse("trainings:trainer_detail", args=[self.pk])

    @staticmethod
    def name_of(first_name: str, last_name: str) -> str:
        """How a trainer is named, for lists that read the names without the rows."""
        return f"{first_name} {last_name}"

    @property
    def full_name(self) -> str:
        return str(self)

    @staticmethod
    def qualified_by(qualified_on: date | None, day: date) -> bool:
        """Whether a trainer who qualifies on `qualified_on` is qualified on `day`, for lists
        that read the days without the rows (and today once for all of them)."""
        return qualified_on is not None and qualified_on <= day

    @property
    def is_qualified(self) -> bool:
        return self.qualified_by(self.qualified_on, timezone.localdate())

    @property
    def is_assignable(self) -> bool:
        return self.is_active and self.is_qualified

    def is_profile_of(self, membership: Membership) -> bool:
        """Is this the member's own profile (the same user, in the member's organization)?
        `selectors.own_trainer_profile` finds it for a request."""
        return (
            self.organization_id == membership.organization_id
            and self.user_id == membership.user_id
        )


class ModuleQuerySet(models.QuerySet):
    def for_organization(self, organization: Organization):
        """The shipped catalogue plus the organization's own modules, in curriculum order."""
        return self.filter(Q(organization__isnull=True) | Q(organization=organization))


class Module(models.Model):
    """A unit of the curriculum. Rows without organization are the shipped catalogue."""

    class Kind(models.TextChoices):
        CORE = "core", _("Kernmodul")
        ADDON = "addon", _("Zusatzmodul")
        WORKSHOP = "workshop", _("Workshop")

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="modules"
    )
    code = models.SlugField(_("Kürzel"), max_length=50)
    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.ADDON)
    position = models.PositiveSmallIntegerField(
        _("Reihenfolge"), help_text=_("Position im Curriculum; kleinere Zahlen kommen zuerst.")
    )
    default_units = models.PositiveSmallIntegerField(
        _("Unterrichtseinheiten (UE)"), default=4, help_text=_("Eine UE dauert 45 Minuten.")
    )
    description = models.TextField(_("Beschreibung"), blank=True)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("Modul")
        verbose_name_plural = _("Module")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="module_code_unique_per_organization"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(organization__isnull=True),
                name="module_code_unique_in_catalogue",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language for a shipped module; an organization's as typed."""
        return self._shipped_text(self.name, 0)

    @property
    def display_description(self) -> str:
        return self._shipped_text(self.description, 1)

    def _shipped_text(self, value: str, index: int) -> str:
        shipped = SHIPPED_TEXTS.get(self.code) if self.is_catalogue else None
        # Translated only while the row still says what was shipped: a text changed in the
        # admin has no English, and is shown as it was typed.
        if shipped and shipped[index] == value:
            return gettext(value)
        return value

    @property
    def is_core(self) -> bool:
        return self.kind == self.Kind.CORE

    @property
    def is_catalogue(self) -> bool:
        return self.organization_id is None


class Location(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("Bezeichnung"), max_length=200, help_text=_("z. B. „Raum 2.14“"))
    street = models.CharField(_("Straße und Hausnummer"), max_length=200)
    postal_code = models.CharField(_("PLZ"), max_length=10)
    city = models.CharField(_("Ort"), max_length=100)
    capacity = models.PositiveSmallIntegerField(_("Plätze"))
    step_free = models.BooleanField(_("stufenlos erreichbar"), default=False)
    directions = models.TextField(_("Wegbeschreibung"), blank=True)
    is_active = models.BooleanField(_("in Nutzung"), default=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Ort / Raum")
        verbose_name_plural = _("Orte / Räume")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="location_capacity_positive")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"


class CourseRunQuerySet(OrganizationQuerySet):
    def visible_to(self, membership: Membership):
        """The access rule for runs (and all that hangs off them): coordinators reach every
        run of their organization, trainers the runs they lead. `CourseRun.is_visible_to`
        answers the same for one run."""
        runs = self.filter(organization_id=membership.organization_id)
        if not membership.is_coordinator:
            # A user has at most one trainer profile: the join cannot repeat a run.
            runs = runs.filter(trainers__user_id=membership.user_id)
        return runs

    def with_dates(self):
        """First and last held day and the number of held sessions: the one way to get them."""
        held = Q(sessions__is_cancelled=False)
        return self.annotate(
            first_date=Min("sessions__date", filter=held),
            last_date=Max("sessions__date", filter=held),
            session_count=Count("sessions", filter=held, distinct=True),
        )

    def active(self):
        return self.exclude(status__in=[CourseRun.Status.COMPLETED, CourseRun.Status.CANCELLED])

    def by_first_date(self):
        """Newest first held day first (runs without one first), then newest created. It
        reads the stored `held_from` from an index, so a list of thousands of runs takes its
        page without finding every run's first day; `with_dates` then runs on the page's
        runs only."""
        return self.order_by(F("held_from").desc(nulls_first=True), "-created_at")

    def held_between(self, start: date | None, end: date | None):
        """Runs with a held session in the period (either end may be open)."""
        runs = self
        # The stored days narrow the runs from an index; with one open end they decide alone.
        if start:
            runs = runs.filter(held_until__gte=start)
        if end:
            runs = runs.filter(held_from__lte=end)
        if start and end:  # sessions before and after the period, none in it
            held = Session.objects.filter(
                run=OuterRef("pk"), is_cancelled=False, date__gte=start, date__lte=end
            )
            runs = runs.filter(Exists(held))
        return runs


class CourseRun(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        PLANNED = "planned", _("geplant")
        RUNNING = "running", _("läuft")
        COMPLETED = "completed", _("abgeschlossen")
        CANCELLED = "cancelled", _("abgesagt")

    # Allowed status changes; cancelling is possible from every state before completion.
    TRANSITIONS = {
        Status.DRAFT: [Status.PLANNED, Status.CANCELLED],
        Status.PLANNED: [Status.RUNNING, Status.DRAFT, Status.CANCELLED],
        Status.RUNNING: [Status.COMPLETED, Status.CANCELLED],
        Status.COMPLETED: [],
        Status.CANCELLED: [],
    }

    # What the button that moves a run into a status says (an action, not the status).
    ACTIONS = {
        Status.DRAFT: _("Zurück zum Entwurf"),
        Status.PLANNED: _("Als geplant markieren"),
        Status.RUNNING: _("Als laufend markieren"),
        Status.COMPLETED: _("Als abgeschlossen markieren"),
        Status.CANCELLED: _("Absagen"),
    }
    # The usual minimum; a smaller run needs as many as it has places.
    DEFAULT_MIN_PARTICIPANTS = 8

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="course_runs"
    )
    title = models.CharField(_("Titel"), max_length=200)
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="course_runs",
        verbose_name=_("Ort / Raum"),
    )
    capacity = models.PositiveSmallIntegerField(
        _("Plätze"), default=12, help_text=_("Für anerkannte Präventionskurse höchstens 12–15.")
    )
    min_participants = models.PositiveSmallIntegerField(
        _("Mindestteilnehmerzahl"),
        default=DEFAULT_MIN_PARTICIPANTS,
        help_text=_("Darunter findet der Kurs nicht statt."),
    )
    trainers = models.ManyToManyField(
        Trainer, blank=True, related_name="course_runs", verbose_name=_("Trainer/innen")
    )
    modules = models.ManyToManyField(
        Module, blank=True, related_name="course_runs", verbose_name=_("Module")
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    notes = models.TextField(_("Notizen"), blank=True)
    cancellation_reason = models.CharField(_("Grund der Absage"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The first and last held day, stored so that lists of thousands of runs order and
    # filter by them from an index (`by_first_date`, `held_between`). Kept exact by
    # `services.course_run_dates_refresh` wherever sessions change; pages read a run's
    # dates from `with_dates()`.
    held_from = models.DateField(null=True, editable=False)
    held_until = models.DateField(null=True, editable=False)

    objects = CourseRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("Durchgang")
        verbose_name_plural = _("Durchgänge")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="run_capacity_positive"),
            models.CheckConstraint(
                condition=Q(min_participants__lte=F("capacity")), name="run_min_le_capacity"
            ),
        ]
        indexes = [
            # The open runs (`active()`) of an organization: about 130 of its 8,800 runs,
            # read by the dashboard three times (warnings, no trainer, too few people).
            models.Index(
                fields=["organization"],
                condition=~Q(status__in=["completed", "cancelled"]),
                name="run_open_organization",
            ),
            # the runs list's order (`by_first_date`); PostgreSQL's DESC puts NULLs first
            models.Index(
                fields=["organization", "-held_from", "-created_at"], name="run_org_held_from"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trainings:run_detail", args=[self.pk])

    @property
    def status_label(self) -> str:
        """`get_status_display()` for lists: Django's builds the field's choices anew on
        every call (30 µs a row)."""
        return self.Status(self.status).label

    @property
    def allowed_transitions(self) -> list[str]:
        return list(self.TRANSITIONS[self.Status(self.status)])

    def can_transition_to(self, status: str) -> bool:
        return status in self.allowed_transitions

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.CANCELLED)

    def has_sessions_ahead(self, sessions=None) -> bool:
        """Whether a session that is not cancelled still lies ahead (after today); pass the
        run's sessions when they are loaded anyway."""
        today = timezone.localdate()
        if sessions is None:
            return self.sessions.filter(is_cancelled=False, date__gt=today).exists()
        return any(not s.is_cancelled and s.date > today for s in sessions)

    def is_led_by(self, user) -> bool:
        """Whether the user is one of the run's trainers (uses prefetched trainers)."""
        return any(trainer.user_id == user.pk for trainer in self.trainers.all())

    def is_visible_to(self, membership: Membership | None) -> bool:
        """`CourseRunQuerySet.visible_to` for one run: may this member open it, record its
        attendance and ask for its documents?"""
        if not membership or membership.organization_id != self.organization_id:
            return False
        return membership.is_coordinator or self.is_led_by(membership.user)


class SessionQuerySet(models.QuerySet):
    def for_organization(self, organization: Organization):
        return self.filter(run__organization=organization)

    def visible_to(self, membership: Membership):
        """Sessions of the runs the member may see (`CourseRunQuerySet.visible_to`)."""
        return self.filter(run__in=CourseRun.objects.visible_to(membership))

    def held(self):
        """Sessions that take place (not cancelled) in runs that are not cancelled."""
        return self.filter(is_cancelled=False).exclude(run__status=CourseRun.Status.CANCELLED)

    def between(self, start: date, end: date):
        return self.filter(date__gte=start, date__lte=end)

    def with_room_name(self):
        """`room_name`: the name of `Session.effective_location` (the session's own room,
        else the run's), for pages that read sessions as values."""
        return self.annotate(room_name=Coalesce("location__name", "run__location__name"))

    def for_trainer(self, trainer):
        return self.filter(run__trainers=trainer)

    def overlapping(self, *, on: date, start, end):
        return self.held().filter(date=on, start_time__lt=end, end_time__gt=start)


class Session(models.Model):
    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("Datum"))
    start_time = models.TimeField(_("Beginn"))
    end_time = models.TimeField(_("Ende"))
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("Ort / Raum"),
        help_text=_("Leer lassen für den Ort des Durchgangs."),
    )
    modules = models.ManyToManyField(
        Module, blank=True, related_name="sessions", verbose_name=_("Module")
    )
    is_cancelled = models.BooleanField(_("abgesagt"), default=False)
    note = models.CharField(_("Hinweis"), max_length=300, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="session_end_after_start"
            )
        ]
        indexes = [
            models.Index(fields=["date", "start_time"]),
            # A run's first held day for the runs list's order, one index read per run.
            models.Index(
                fields=["run", "date"],
                condition=Q(is_cancelled=False),
                name="session_held_run_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} – {date_format(self.date, 'SHORT_DATE_FORMAT')}"

    @property
    def effective_location(self) -> Location | None:
        return self.location or self.run.location

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.date, self.end_time))

    @property
    def duration(self) -> timedelta:
        return self.ends_at - self.starts_at

    @property
    def teaching_units(self) -> int:
        """Whole teaching units of 45 minutes; a 09:00–12:30 session with a break counts 4."""
        return int(self.duration.total_seconds() // (45 * 60))

    @property
    def is_past(self) -> bool:
        return self.date < timezone.localdate()


class RunsRevision(OrganizationRevision):
    """A number that grows with every change to an organization's runs, their sessions, rooms,
    trainers, modules and who leads which run (what the runs list, the calendar, "Meine
    Termine", the run page and the dashboard read of them). Database triggers (migrations
    0006, 0007) raise it in the same transaction as the change, whichever way it is made, so
    what is cached under it is exact (see `aktiva.revisions`); a module of the shipped
    catalogue raises every organization's."""

    class Meta:
        verbose_name = _("Stand der Durchgangsliste")
        verbose_name_plural = _("Stände der Durchgangsliste")
