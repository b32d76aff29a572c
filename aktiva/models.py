"""The tenant (Organization), who belongs to it (Membership), the audit log and
generated documents. Everything else in the application hangs off an Organization."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import addresses


class FederalState(models.TextChoices):
    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


class Organization(models.Model):
    class Kind(models.TextChoices):
        JOBCENTER = "jobcenter", _("Jobcenter")
        PROVIDER = "provider", _("Träger")

    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.JOBCENTER)
    federal_state = models.CharField(
        _("Bundesland"),
        max_length=2,
        choices=FederalState.choices,
        help_text=_("Bestimmt die Feiertage, die die Terminplanung überspringt."),
    )
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postal_code = models.CharField(_("PLZ"), max_length=10, blank=True)
    city = models.CharField(_("Ort"), max_length=100, blank=True)
    contact_phone = models.CharField(
        _("Telefon für Absagen"),
        max_length=50,
        blank=True,
        help_text=_("Wen Teilnehmende anrufen, wenn sie nicht kommen können."),
    )
    contact_email = models.EmailField(_("E-Mail"), blank=True)
    # Who receives absence reports and exit notices (§ 61 SGB II): the jobcenter's team.
    report_team_name = models.CharField(
        _("Empfänger der Meldungen"),
        max_length=200,
        blank=True,
        help_text=_("z. B. „Jobcenter Musterstadt, Team 123 – Arbeitsvermittlung“"),
    )
    report_team_address = models.TextField(
        _("Anschrift des Empfängers"),
        max_length=500,
        blank=True,
        help_text=_("Straße, PLZ und Ort; gern auch ein Postfach oder eine Funktions-E-Mail."),
    )

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's place in exactly one organization, with a role."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Koordination")
        TRAINER = "trainer", _("Trainer/in")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    warning_mail = models.BooleanField(
        _("Tägliche E-Mail mit Warnungen zur Anwesenheit"),
        default=True,
        help_text=_(
            "Höchstens eine E-Mail am Tag, und nur wenn es etwas zu melden gibt: wer die "
            "letzten Termine verpasst hat oder die Teilnahmebescheinigung nicht mehr "
            "erreichen kann."
        ),
    )

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")

    def __str__(self) -> str:
        return f"{self.user} – {self.organization} ({self.get_role_display()})"

    @property
    def is_coordinator(self) -> bool:
        return self.role == self.Role.COORDINATOR


class AuditLogEntryQuerySet(models.QuerySet):
    def visible_to(self, membership: Membership):
        """The access rule for the audit trail: a coordinator reads their organization's
        entries; trainers read none."""
        if not membership.is_coordinator:
            return self.none()
        return self.filter(organization_id=membership.organization_id)


class AuditLogEntry(models.Model):
    """Who viewed or changed personal data, and when (§ 67 ff. SGB X). Entries are never
    edited or deleted, neither in the application nor in the admin."""

    class Action(models.TextChoices):
        VIEW = "view", _("angesehen")
        CREATE = "create", _("angelegt")
        CHANGE = "change", _("geändert")
        DELETE = "delete", _("gelöscht")
        EXPORT = "export", _("exportiert")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="audit_log"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditLogEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Zugriffsprotokoll")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # The audit trail: an organization's newest entries first.
            models.Index(fields=["organization", "-created_at"], name="audit_organization_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.object_repr}"

    @property
    def object_label(self) -> str:
        """The kind of record in the reader's language ("Teilnehmende/r", "Dokument", …)."""
        from django.apps import apps

        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type


# A worker takes a queued document within a second or two; after this, the page says so.
WORKER_PICKUP_SECONDS = 20


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, membership: Membership):
        """The access rule for documents: coordinators see their organization's documents,
        trainers only those they asked for."""
        documents = self.filter(organization_id=membership.organization_id)
        if not membership.is_coordinator:
            documents = documents.filter(requested_by_id=membership.user_id)
        return documents

    def of_kind(self, key: str, **params):
        """Documents of one kind asked for with these parameters, newest first."""
        documents = self.filter(kind=key, **{f"params__{name}": v for name, v in params.items()})
        return documents.order_by("-created_at")

    def naming_people(self):
        """Documents of the kinds that name participants (retention and audit read this)."""
        from .documents import kinds_naming_people

        return self.filter(kind__in=kinds_naming_people())


class Document(models.Model):
    """A PDF (or ZIP/XLSX) that a Celery worker renders on request.

    The page that asked for it polls the row: queued → running → done/failed.
    `kind` names a `DocumentKind` registered in `aktiva.documents`; `params` holds ids only.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("in der Warteschlange")
        RUNNING = "running", _("wird erstellt")
        DONE = "done", _("fertig")
        FAILED = "failed", _("fehlgeschlagen")

    class Failure(models.TextChoices):
        """Why a document failed, stored as a code and shown in the reader's language."""

        BROKER_DOWN = (
            "broker_down",
            _(
                "Der Dienst, der Dokumente erstellt, ist gerade nicht erreichbar. "
                "Bitte versuchen Sie es in einigen Minuten noch einmal."
            ),
        )
        RETRIES_EXHAUSTED = (
            "retries",
            _("Das Dokument konnte nach mehreren Versuchen nicht erstellt werden."),
        )
        TIMEOUT = "timeout", _("Das Erstellen hat zu lange gedauert.")
        NOTHING_TO_PRINT = "empty", _("Für diese Auswahl gibt es nichts mehr zu drucken.")
        WORKER_LOST = (
            "lost",
            _("Das Erstellen wurde mehrmals unterbrochen, weil der Dienst neu gestartet wurde."),
        )
        ERROR = "error", _("Beim Erstellen des Dokuments ist ein Fehler aufgetreten.")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=50)
    params = models.JSONField(default=dict)
    title = models.CharField(max_length=200)
    # The language it is written in: German for what participants and jobcenters receive;
    # the asker's for reports that only staff read (DocumentKind.in_readers_language).
    language = models.CharField(max_length=10, default="de")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    failure = models.CharField(max_length=20, choices=Failure.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the row was (last) put in the queue: the page says when no worker takes it.
    queued_at = models.DateTimeField(null=True, blank=True)
    # A worker that claims the row holds it until then; a sweep re-queues expired claims
    # (the worker died) so that no document stays "running" for ever.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # The address the request came in on: the worker has no request, and links printed in
    # the document use it while AKTIVA_PUBLIC_URL is not set.
    base_url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("Dokument")
        verbose_name_plural = _("Dokumente")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "kind", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def public_url(self, path: str = "") -> str:
        """A link printed in the document (`aktiva.addresses.public_url`)."""
        return addresses.public_url(path, base=self.base_url)

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_waiting_for_worker(self) -> bool:
        """Queued for longer than a worker needs to pick it up: no worker is running."""
        waited = timezone.now() - (self.queued_at or self.created_at)
        return self.status == self.Status.QUEUED and waited.total_seconds() > WORKER_PICKUP_SECONDS


class OrganizationRevision(models.Model):
    """A number per organization that database triggers raise with every change to the rows
    a cached value is made of (`aktiva.revisions`); each app that caches keeps its own.

    No foreign key in the database: SQLite empties a test database row by row, in any order,
    and the triggers write this row for rows deleted after their organization (a deferred
    key would fail the flush). A row left of a removed organization is harmless."""

    organization = models.OneToOneField(
        Organization,
        primary_key=True,
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
    )
    revision = models.PositiveBigIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.revision}"
