"""Participants (jobcenter customers), their places in runs, attendance and certificates.

This is social data (§ 35 SGB I): only what the training needs is stored, access is
logged, and `participants.retention` anonymises it once the retention period is over.
"""

import secrets

from django.conf import settings
from django.db import connections, models
from django.db.models import F, Q, Value
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aktiva import addresses
from aktiva.models import Membership, Organization, OrganizationRevision
from participants.search_names import PEOPLE
from trainings.models import CourseRun, Module, Session

# A search's order: the upper-cased names (so "de Vries" sorts among the D), then the id. In
# a search's branches on the table (its name-order indexes), outside on `listed()`'s columns.
SEARCH_ORDER_TABLE = f"UPPER({PEOPLE}.last_name), UPPER({PEOPLE}.first_name), {PEOPLE}.id"
SEARCH_ORDER_SQL = 'UPPER("last_name"), UPPER("first_name"), "pk"'


def _one_of(column: str, values: list[str], vendor: str) -> tuple[str, list]:
    """SQL for "the upper-cased `column` is one of `values`": one array parameter on
    PostgreSQL (the statement's text stays the same for any number of names). One name is
    an equality: for `= ANY` of one, PostgreSQL does not see that the first-name index is
    in name order for it, and walked the last-name index instead (5 ms for "Anna")."""
    if len(values) == 1:
        return f"UPPER({PEOPLE}.{column}) = %s", values
    if vendor == "postgresql":
        return f"UPPER({PEOPLE}.{column}) = ANY(%s)", [values]
    return f"UPPER({PEOPLE}.{column}) IN ({', '.join(['%s'] * len(values))})", values


def _names_found(parts: list[str], organization_id: int, cap: int) -> list[dict]:
    """For each part of a search term, the organization's names that contain it, in one
    query: last names ("L"), first names of at most `cap` people ("F"), first names of more
    ("common F", each read on its own), and how many people have them ("people"). The
    names are upper-cased already: the same `UPPER` on the part alone is what `icontains`
    does, without upper-casing every name (3 ms for 20,000 of them)."""
    known = SearchName.objects.filter(organization_id=organization_id)
    lookups = [
        known.filter(value__contains=Upper(Value(part)))
        .annotate(term_part=Value(index))
        .values_list("term_part", "part", "value", "people")
        for index, part in enumerate(parts)
    ]
    first, last = SearchName.Part.FIRST, SearchName.Part.LAST
    found = [{last: [], first: [], "common F": [], "people": 0} for _ in parts]
    rows = lookups[0].union(*lookups[1:], all=True) if len(lookups) > 1 else lookups[0]
    for index, part, value, people in rows:
        found[index]["common F" if part == first and people > cap else part].append(value)
        found[index]["people"] += people
    return found


class ParticipantQuerySet(models.QuerySet):
    def for_organization(self, organization: Organization):
        return self.filter(organization=organization)

    def visible_to(self, membership: Membership):
        """The access rule for participants: coordinators reach their organization's
        participants; trainers only those with a place in a run they lead."""
        participants = self.filter(organization_id=membership.organization_id)
        if not membership.is_coordinator:
            participants = participants.filter(
                pk__in=Enrollment.objects.visible_to(membership).values("participant_id")
            )
        return participants

    def not_anonymised(self):
        return self.filter(anonymised_at__isnull=True)

    def search_capped(
        self, term: str, cap: int, start: int, count: int, *, organization_id: int
    ) -> tuple[list, int]:
        """The search: people whose first or last name contains every part of `term`, or
        whose customer number is `term`, in name order. Of those among these (`listed()`)
        people of `organization_id`, not anonymised: `count` rows from `start` on, of the
        first `cap` + 1 matches, and how many matches there are (more than `cap` + 1 when
        there are more). A common name ("Schulz") is not read and sorted thousands of times
        over for a list nobody pages through, and only the page shown leaves the database.

        Two queries. First the organization's names that contain each part of the term
        (`SearchName`: a few dozen rows, not a hundred thousand people). Then the people of
        the part that fewest people have, with a name of each other part, and the customer
        number: those of its last names from `participant_search_last` in name order, cut
        after `cap` + 1; those of a first name more than `cap` people have likewise from
        `participant_search_first`, one such name at a time (that index is in name order
        only within one first name); those of its other first names together. The other
        parts' names are conditions on the same indexes' second column ("Anna" beside
        "Schulz" reads the 225 Anna Schulz, not 3,300 Schulz). The union is sorted,
        counted by a window and cut to the page. For 3,300 "Schulz" this reads 201 people,
        not every Schulz of every organization, and shows the first of them by name.

        Django cannot select from a union of subqueries with their own order and cut, nor
        compile one fast: its query of the people (the access rule and the other parts) is
        compiled once, and each branch adds its condition to that query's WHERE."""
        parts = term.split()
        if not parts:
            return [], 0
        names = _names_found(parts, organization_id, cap)
        vendor = connections[self.db].vendor
        compiler = self.order_by().query.get_compiler(self.db)
        people_sql, people_params = compiler.as_sql()
        if " WHERE " not in people_sql or " ORDER BY " in people_sql:
            raise ValueError(f"a search needs a query of people with a WHERE: {people_sql}")
        cut = f" ORDER BY {SEARCH_ORDER_TABLE} LIMIT {cap + 1}"
        branches = []
        if all(found["people"] for found in names):  # else only the customer number
            lead = min(names, key=lambda found: found["people"])
            others, values = [], []
            for found in names:
                if found is not lead:
                    either = [
                        _one_of(column, column_names, vendor)
                        for column, column_names in (
                            ("last_name", found[SearchName.Part.LAST]),
                            ("first_name", found[SearchName.Part.FIRST] + found["common F"]),
                        )
                        if column_names
                    ]
                    others.append(f"({' OR '.join(sql for sql, _ in either)})")
                    values += [value for _, part_values in either for value in part_values]
            also = "".join(f" AND {condition}" for condition in others)
            led = [("first_name", [name]) for name in lead["common F"]]
            led += [
                ("last_name", lead[SearchName.Part.LAST]),
                ("first_name", lead[SearchName.Part.FIRST]),
            ]
            branches += [
                (_one_of(column, led_names, vendor), also, values, cut)
                for column, led_names in led
                if led_names
            ]
        number = f"UPPER({PEOPLE}.customer_number) = UPPER(%s)", [term.strip()]
        branches.append((number, "", [], ""))  # unique in an organization
        sql, params = [], []
        for index, ((condition, condition_params), also, also_params, order) in enumerate(branches):
            where = f"{people_sql} AND {condition}{also}{order}"
            sql.append(f"SELECT * FROM ({where}) AS branch_{index}")
            params += [*people_params, *condition_params, *also_params]
        # Django's own conversions of the columns (SQLite hands dates over as text).
        converters = compiler.get_converters([expression for expression, _, _ in compiler.select])
        with connections[self.db].cursor() as cursor:
            cursor.execute(
                f"SELECT *, COUNT(*) OVER () FROM ({' UNION '.join(sql)}) AS found "
                f"ORDER BY {SEARCH_ORDER_SQL} LIMIT %s OFFSET %s",
                [*params, max(min(count, cap + 1 - start), 0), start],
            )
            columns = [column[0] for column in cursor.description[:-1]]
            rows = cursor.fetchall()
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        matches = rows[0][-1] if rows else 0
        return [dict(zip(columns, row[:-1], strict=True)) for row in rows], matches

    def listed(self):
        """The participants list's rows: dicts of the columns it shows. A model instance
        with its three timestamps costs twice as much to read, and a dict is what a template
        looks a name up in fastest."""
        return self.values("pk", "first_name", "last_name", "customer_number", "consent_on")


class Participant(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="participants"
    )
    first_name = models.CharField(_("Vorname"), max_length=100)
    last_name = models.CharField(_("Nachname"), max_length=100)
    customer_number = models.CharField(
        _("Kundennummer"),
        max_length=30,
        blank=True,
        help_text=_("Optional; innerhalb des Jobcenters eindeutig."),
    )
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    consent_on = models.DateField(
        _("Einwilligung zur Datenverarbeitung am"),
        help_text=_("Datum, an dem die Person der Verarbeitung ihrer Daten zugestimmt hat."),
    )
    # A separate consent: data goes to the jobcenter's team only as far as § 50 SGB II
    # allows; the absence reports and exit notices need this one.
    report_consent_on = models.DateField(
        _("Einwilligung zur Meldung an das Jobcenter am"),
        null=True,
        blank=True,
        help_text=_(
            "Datum, an dem die Person eingewilligt hat, dass Fehlzeiten, Nichtantritt und "
            "Abbruch an das Jobcenter gemeldet werden. Leer: keine Einwilligung."
        ),
    )
    note = models.TextField(_("Notiz"), blank=True, help_text=_("Keine Gesundheitsangaben."))
    anonymised_at = models.DateTimeField(_("anonymisiert am"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("Teilnehmende/r")
        verbose_name_plural = _("Teilnehmende")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "customer_number"],
                condition=~Q(customer_number=""),
                name="participant_customer_number_unique",
                violation_error_message=_("Diese Kundennummer ist bereits vergeben."),
            )
        ]
        indexes = [
            # The participants list: a page in name order, and its count, from the index.
            models.Index(
                fields=["organization", "last_name", "first_name"],
                condition=Q(anonymised_at__isnull=True),
                name="participant_list_order",
            ),
            # The search's reading of the people of the names found (`search_capped`): in
            # its order, so that it stops at the cap. The organization after the names:
            # PostgreSQL keeps an index's order only for a list of values in its first
            # column.
            models.Index(
                Upper("last_name"),
                Upper("first_name"),
                F("organization"),
                F("id"),
                name="participant_search_last",
            ),
            models.Index(
                Upper("first_name"),
                Upper("last_name"),
                F("organization"),
                F("id"),
                name="participant_search_first",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self) -> str:
        return reverse("participants:detail", args=[self.pk])

    @property
    def initials(self) -> str:
        return f"{self.first_name[:1]}. {self.last_name[:1]}.".upper()


class SearchName(models.Model):
    """A first or last name, upper-cased, that people of an organization have, and how many:
    what the search looks up first (`participants.search_names`). Kept by database triggers,
    never written by the application."""

    class Part(models.TextChoices):
        FIRST = "F", _("Vorname")
        LAST = "L", _("Nachname")

    # Its index is the unique constraint's first column.
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    part = models.CharField(max_length=1, choices=Part.choices)
    value = models.CharField(max_length=100)
    people = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("Name für die Suche")
        verbose_name_plural = _("Namen für die Suche")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "part", "value"], name="search_name_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_part_display()} {self.value} ({self.people})"


class EnrollmentQuerySet(models.QuerySet):
    def for_organization(self, organization: Organization):
        return self.filter(run__organization=organization)

    def visible_to(self, membership: Membership):
        """Enrollments in the runs the member may see (`CourseRunQuerySet.visible_to`)."""
        return self.filter(run__in=CourseRun.objects.visible_to(membership))

    def holding_place(self):
        return self.filter(status__in=Enrollment.PLACE_STATUSES)

    def waiting(self):
        return self.filter(status=Enrollment.Status.WAITING).order_by("waiting_since", "pk")

    def in_attendance(self):
        """Everyone who has (or had) a place: the rows of attendance lists and the matrix."""
        return self.filter(status__in=Enrollment.ATTENDANCE_STATUSES)


class Enrollment(models.Model):
    """A participant's place in a run, or their place on its waiting list."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("angemeldet")
        WAITING = "waiting", _("Warteliste")
        WITHDRAWN = "withdrawn", _("abgemeldet")
        COMPLETED = "completed", _("abgeschlossen")
        DROPPED_OUT = "dropped_out", _("abgebrochen")

    PLACE_STATUSES = [Status.ENROLLED, Status.COMPLETED]
    ATTENDANCE_STATUSES = [Status.ENROLLED, Status.COMPLETED, Status.DROPPED_OUT]

    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="enrollments")
    # RESTRICT: a person is anonymised, not deleted, so that attendance statistics stay
    # (deleting a whole organization still removes everything).
    participant = models.ForeignKey(
        Participant, on_delete=models.RESTRICT, related_name="enrollments"
    )
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices)
    waiting_since = models.DateTimeField(_("auf der Warteliste seit"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("nachgerückt am"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("abgemeldet am"), null=True, blank=True)
    # Whether a withdrawn person had a place or only waited: only someone who had a place
    # and never came is a non-start (Nichtantritt) for the jobcenter.
    withdrawn_from = models.CharField(
        _("abgemeldet aus"),
        max_length=12,
        blank=True,
        choices=[("enrolled", _("angemeldet")), ("waiting", _("Warteliste"))],
    )
    withdrawal_reason = models.CharField(_("Grund der Abmeldung"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["participant__last_name", "participant__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "participant"],
                name="enrollment_once_per_run",
                violation_error_message=_(
                    "Diese Person ist in diesem Durchgang schon eingetragen."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(waiting_since__isnull=False),
                name="enrollment_waiting_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.run}"

    @property
    def holds_place(self) -> bool:
        return self.status in self.PLACE_STATUSES


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("anwesend")
        LATE = "late", _("verspätet")
        EXCUSED = "excused", _("entschuldigt")
        ABSENT = "absent", _("unentschuldigt")

    class ExcuseReason(models.TextChoices):
        """The kind of excuse the jobcenter distinguishes; never a diagnosis."""

        IMPORTANT = "important", _("wichtiger Grund")
        SICK_NOTE = "sick_note", _("arbeitsunfähig (AU-Bescheinigung)")

    # Who was in the room: these count for the 80 % of a certificate.
    ATTENDED = [Status.PRESENT, Status.LATE]
    # The colour of each status's button in the room (Bootstrap's names).
    COLORS = {
        Status.PRESENT: "success",
        Status.LATE: "warning",
        Status.EXCUSED: "secondary",
        Status.ABSENT: "danger",
    }

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("Anwesenheit"), max_length=10, choices=Status.choices)
    excuse_reason = models.CharField(
        _("Grund"), max_length=10, choices=ExcuseReason.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    # When the mark was decided: the time of the tap, which can be earlier than when it
    # arrived (a phone without reception sends it later). The newest tap wins.
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Anwesenheit")
        verbose_name_plural = _("Anwesenheiten")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "session"], name="attendance_once"),
            # An excuse has its kind; nothing else has one.
            models.CheckConstraint(
                condition=(Q(status="excused") & ~Q(excuse_reason=""))
                | (~Q(status="excused") & Q(excuse_reason="")),
                name="attendance_reason_only_when_excused",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment.participant} {self.session.date}: {self.get_status_display()}"

    @classmethod
    def buttons(cls) -> list[tuple[str, str, str]]:
        """(value, label, colour) per status, in order, for the attendance rows."""
        return [(value, label, cls.COLORS[value]) for value, label in cls.Status.choices]

    @property
    def attended(self) -> bool:
        return self.status in self.ATTENDED

    @property
    def report_code(self) -> str:
        """The code of the jobcenter's absence forms: E, UE, K; "" when not absent."""
        return report_code(self.status, self.excuse_reason)


def matrix_letter(status: str, excuse_reason: str = "") -> str:
    """The letter of the attendance matrix and its legend: A, V, E, K, U."""
    if status == Attendance.Status.EXCUSED:
        return "K" if excuse_reason == Attendance.ExcuseReason.SICK_NOTE else "E"
    return {Attendance.Status.PRESENT: "A", Attendance.Status.LATE: "V"}.get(status, "U")


def report_code(status: str, excuse_reason: str = "") -> str:
    if status == Attendance.Status.ABSENT:
        return "UE"
    if status == Attendance.Status.EXCUSED:
        return "K" if excuse_reason == Attendance.ExcuseReason.SICK_NOTE else "E"
    return ""


class AttendanceChange(models.Model):
    """The history of a mark: who set which status when."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="changes")
    previous_status = models.CharField(max_length=10, choices=Attendance.Status.choices, blank=True)
    status = models.CharField(max_length=10, choices=Attendance.Status.choices)
    excuse_reason = models.CharField(
        max_length=10, choices=Attendance.ExcuseReason.choices, blank=True
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Änderung der Anwesenheit")
        verbose_name_plural = _("Änderungen der Anwesenheit")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d %H:%M} {self.previous_status or '–'} → {self.status}"


class WarningDigest(models.Model):
    """The record that a staff member's warning mail of a day went out: at most one a
    day (the unique constraint decides when two workers race)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="warning_digests"
    )
    sent_on = models.DateField()
    warning_count = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Warn-E-Mail")
        verbose_name_plural = _("Warn-E-Mails")
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="warning_digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.sent_on}"


def new_certificate_number() -> str:
    # Not guessable: the number alone opens the public verification page.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "TB-" + "".join(secrets.choice(alphabet) for _ in range(10))


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    """A certificate of participation. `initials` is kept so that verification still
    works after the participant's data has been anonymised."""

    number = models.CharField(
        _("Nummer"), max_length=20, unique=True, default=new_certificate_number, editable=False
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.RESTRICT, related_name="certificates"
    )
    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="certificates")
    initials = models.CharField(max_length=10)
    sessions_attended = models.PositiveSmallIntegerField()
    sessions_held = models.PositiveSmallIntegerField()
    units_attended = models.PositiveSmallIntegerField()
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(
        _("widerrufen am"),
        null=True,
        blank=True,
        help_text=_("Gesetzt, wenn die Anwesenheit nachträglich unter 80 % gefallen ist."),
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("Teilnahmebescheinigung")
        verbose_name_plural = _("Teilnahmebescheinigungen")
        ordering = ["participant__last_name", "participant__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "run"], name="certificate_once_per_run")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def get_verification_url(self, *, base: str = "") -> str:
        """The page that confirms the certificate; `base` as in `aktiva.addresses`."""
        return addresses.public_url(reverse("participants:verify", args=[self.number]), base=base)


class HandoutContent(models.Model):
    """An organization's own content pages for a module's handout (HTML from a small
    safe subset; see `participants.handouts`)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="handout_contents"
    )
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="handout_contents")
    body = models.TextField(
        _("Inhalt"),
        help_text=_(
            "Absätze durch Leerzeilen trennen. Zeilen, die mit „# “ beginnen, werden "
            "Überschriften, Zeilen mit „- “ Aufzählungspunkte."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Handout-Inhalt")
        verbose_name_plural = _("Handout-Inhalte")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "module"], name="handout_once_per_module"
            )
        ]

    def __str__(self) -> str:
        return f"{self.module} ({self.organization})"


class AttendanceRevision(OrganizationRevision):
    """A number that grows with every change to an organization's places and attendance
    marks. Database triggers (migration 0009) raise it in the same transaction as the
    change, whichever way it is made; with `trainings.RunsRevision` (runs and sessions) it
    makes the key of the attendance warnings kept in the cache exact (`aktiva.revisions`)."""

    class Meta:
        verbose_name = _("Stand der Anwesenheit")
        verbose_name_plural = _("Stände der Anwesenheit")
