"""Documents rendered by Celery workers, and the kinds of document there are.

A kind is a class: its key (`<app>.<name>`, stored in `Document.kind`), its label,
whether it names people, a parameter form and a renderer. An app declares its kinds in
its `documents.py` with the `@register` decorator and imports that module in its
AppConfig.ready:

    @documents.register
    class SigninSheet(DocumentKind):
        key = "participants.signin_sheet"
        label = _("Unterschriftenliste")
        names_people = True
        form_class = SigninSheetForm

        def render(self, document): ...   # returns (filename, content_bytes)

A view looks up the kind, validates its form and calls `document_request()`; the page
then shows the row's status. The task in `aktiva.tasks` calls `document_render()`.
"""

import logging
from datetime import timedelta
from typing import ClassVar

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.text import Truncator

from .audit import audit_log
from .models import AuditLogEntry, Document, Organization

logger = logging.getLogger(__name__)


class NothingToRender(Exception):
    """Raised by a renderer when what was asked for no longer exists (stored as a code)."""


class DocumentForm(forms.Form):
    """The parameters of one kind of document, with choices scoped to what the requester
    may use: a run's sessions, modules and people, never an id parsed by hand.

    `params()` gives what is stored on the row (ids only), `title_parts()` what the
    document's title names besides the kind's label.
    """

    def __init__(self, data=None, *, organization: Organization, run=None):
        super().__init__(data)
        self.organization = organization
        self.run = run

    def params(self) -> dict:
        return {"run": self.run.pk} if self.run is not None else {}

    def title_parts(self) -> list[str]:
        return [self.run.title] if self.run is not None else []

    def error_text(self) -> str:
        """All errors in one sentence, for a page that shows the form as a single button."""
        return " ".join(str(message) for errors in self.errors.values() for message in errors)


class DocumentKind:
    """One kind of generated document; see the module docstring."""

    key: ClassVar[str]
    label: ClassVar[str]
    # Documents that name participants go with the retention period and their requests
    # and downloads are written to the audit trail.
    names_people: ClassVar[bool]
    form_class: ClassVar[type[DocumentForm]] = DocumentForm
    # Certificates, lists and handouts are German documents whoever asks; a report that
    # only staff read is written in the language of the one who asks for it.
    in_readers_language: ClassVar[bool] = False

    def language(self) -> str:
        if self.in_readers_language:
            return translation.get_supported_language_variant(translation.get_language())
        return settings.LANGUAGE_CODE

    @property
    def name(self) -> str:
        """The part of the key after the app: what URLs carry."""
        return self.key.split(".", 1)[1]

    def form(self, data=None, *, organization: Organization, run=None) -> DocumentForm:
        return self.form_class(data, organization=organization, run=run)

    def title(self, form: DocumentForm) -> str:
        return " – ".join([str(self.label), *form.title_parts()])

    def render(self, document: Document) -> tuple[str, bytes]:
        raise NotImplementedError


_kinds: dict[str, DocumentKind] = {}


def register(kind_class: type[DocumentKind]) -> type[DocumentKind]:
    """Class decorator: make the kind known to views, tasks and retention."""
    _kinds[kind_class.key] = kind_class()
    return kind_class


def kind_for(key: str) -> DocumentKind:
    return _kinds[key]


def kind_or_404(key: str) -> DocumentKind:
    try:
        return _kinds[key]
    except KeyError:
        raise Http404 from None


def kinds_naming_people() -> list[str]:
    return [key for key, kind in _kinds.items() if kind.names_people]


TITLE_LENGTH = Document._meta.get_field("title").max_length


@transaction.atomic
def document_request(
    *,
    organization: Organization,
    kind: DocumentKind,
    form: DocumentForm,
    user=None,
    base_url: str = "",
) -> Document:
    """Create the row from a validated form and queue its rendering once the transaction
    has committed. `base_url` is the address the request came in on (`request_base_url`)."""
    document = Document.objects.create(
        organization=organization,
        kind=kind.key,
        params=form.params(),
        # A run's title may use its whole column; the document's title adds to it.
        title=Truncator(kind.title(form)).chars(TITLE_LENGTH),
        language=kind.language(),
        requested_by=user,
        base_url=base_url[: Document._meta.get_field("base_url").max_length],
        queued_at=timezone.now(),
    )
    if kind.names_people:
        audit_log(
            user=user,
            organization=organization,
            action=AuditLogEntry.Action.EXPORT,
            obj=document,
            details={"kind": kind.key, **document.params},
        )
    transaction.on_commit(lambda: document_enqueue(document_id=document.pk))
    return document


def document_enqueue(*, document_id: int) -> bool:
    """Queue the task; if the broker cannot be reached, mark the row failed so the page says so."""
    from .tasks import document_render_task

    try:
        document_render_task.apply_async(args=[document_id], retry=False)
    except Exception:  # kombu.OperationalError, redis ConnectionError, socket errors …
        logger.exception("could not queue document %s", document_id)
        Document.objects.filter(pk=document_id, status=Document.Status.QUEUED).update(
            status=Document.Status.FAILED, failure=Document.Failure.BROKER_DOWN
        )
        return False
    return True


def document_retry(*, document: Document) -> Document:
    """Queue a failed document again."""
    updated = Document.objects.filter(pk=document.pk, status=Document.Status.FAILED).update(
        status=Document.Status.QUEUED, failure="", queued_at=timezone.now()
    )
    if updated:
        transaction.on_commit(lambda: document_enqueue(document_id=document.pk))
    document.refresh_from_db()
    return document


def lease_duration() -> timedelta:
    """How long a claim holds (by default longer than the task's hard time limit, after
    which the worker has been killed for sure)."""
    return timedelta(seconds=settings.AKTIVA_DOCUMENT_LEASE_SECONDS)


def document_claim(*, document_id: int) -> Document | None:
    """Mark the row running under a lease. Returns None when there is nothing to do (done,
    failed, gone, or another worker holds a live lease: a duplicate delivery).

    A RUNNING row whose lease has expired is claimable again, so that a task redelivered
    after a worker crash (acks_late) renders the document instead of leaving it stuck.
    """
    now = timezone.now()
    claimable = Q(status=Document.Status.QUEUED) | Q(
        status=Document.Status.RUNNING, lease_expires_at__lt=now
    )
    claimed = Document.objects.filter(claimable, pk=document_id).update(
        status=Document.Status.RUNNING,
        attempts=F("attempts") + 1,
        lease_expires_at=now + lease_duration(),
    )
    if not claimed:
        return None
    return Document.objects.select_related("organization").get(pk=document_id)


def document_requeue(*, document_id: int) -> None:
    """Give a claimed row back to the queue (the task retries it after a pause)."""
    Document.objects.filter(pk=document_id, status=Document.Status.RUNNING).update(
        status=Document.Status.QUEUED, lease_expires_at=None, queued_at=timezone.now()
    )


def max_attempts() -> int:
    return settings.AKTIVA_DOCUMENT_MAX_RETRIES + 1


# Redis keeps nothing on disk here: a message lost in a restart is sent again after this.
REQUEUE_AFTER = timedelta(minutes=5)


def documents_sweep(*, now=None) -> dict[str, int]:
    """Periodic (Celery beat): no document stays pending for ever.

    - RUNNING with an expired lease (its worker died): back to the queue while attempts
      are left, otherwise FAILED with a retry offered.
    - QUEUED for long (the message may be lost with a broker restart): queued again;
      a duplicate message is harmless, the claim lets only one render.
    Safe when two beats or workers run it at once: each change is one conditional UPDATE.
    """
    now = now or timezone.now()
    expired = Document.objects.filter(status=Document.Status.RUNNING, lease_expires_at__lt=now)
    failed = expired.filter(attempts__gte=max_attempts()).update(
        status=Document.Status.FAILED, failure=Document.Failure.WORKER_LOST, lease_expires_at=None
    )
    to_queue = list(expired.values_list("pk", flat=True))
    to_queue += Document.objects.filter(
        status=Document.Status.QUEUED, queued_at__lt=now - REQUEUE_AFTER
    ).values_list("pk", flat=True)
    requeued = 0
    for document_id in to_queue:
        # Each row again conditionally: another sweep or a late worker may have taken it.
        taken = (
            Document.objects.filter(pk=document_id)
            .filter(
                Q(status=Document.Status.QUEUED, queued_at__lt=now - REQUEUE_AFTER)
                | Q(status=Document.Status.RUNNING, lease_expires_at__lt=now)
            )
            .update(status=Document.Status.QUEUED, lease_expires_at=None, queued_at=now)
        )
        if taken:
            requeued += 1
            document_enqueue(document_id=document_id)
    return {"failed": failed, "requeued": requeued}


def document_render(*, document: Document) -> None:
    """Render and store the file, replacing an earlier one (safe to run twice)."""
    # In the document's own language: a worker has no reader's language, and rendering
    # in-process must not take the language of whoever happens to be asking.
    with translation.override(document.language):
        filename, content = kind_for(document.kind).render(document)
    old_name = document.file.name if document.file else ""
    document.file.save(filename, ContentFile(content), save=False)
    document.status = Document.Status.DONE
    document.failure = ""
    document.lease_expires_at = None
    document.save(update_fields=["file", "status", "failure", "lease_expires_at", "updated_at"])
    if old_name and old_name != document.file.name:
        document.file.storage.delete(old_name)


def document_fail(*, document_id: int, failure: Document.Failure) -> None:
    Document.objects.filter(pk=document_id).update(
        status=Document.Status.FAILED, failure=failure, lease_expires_at=None
    )
