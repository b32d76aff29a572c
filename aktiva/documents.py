"""Documents rendered by Celery workers.

An app registers a renderer per kind (in its AppConfig.ready):

    documents.register("certificate", render_certificate)

A renderer takes the Document row (with `params` holding ids) and returns
`(filename, content_bytes)`. Views call `document_request()` and then show the
row's status; the task in `aktiva.tasks` calls `document_render()`.
"""

import logging
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .models import Document, Organization

logger = logging.getLogger(__name__)

Renderer = Callable[[Document], tuple[str, bytes]]
_renderers: dict[str, Renderer] = {}

BROKER_DOWN_MESSAGE = (
    "Der Dienst, der Dokumente erstellt, ist gerade nicht erreichbar. "
    "Bitte versuchen Sie es in einigen Minuten noch einmal."
)


def register(kind: str, renderer: Renderer) -> None:
    _renderers[kind] = renderer


def renderer_for(kind: str) -> Renderer:
    return _renderers[kind]


def document_request(
    *, organization: Organization, kind: str, params: dict, title: str, user=None
) -> Document:
    """Create the row and queue its rendering once the transaction has committed."""
    if kind not in _renderers:
        raise ValueError(f"no renderer registered for {kind!r}")
    document = Document.objects.create(
        organization=organization, kind=kind, params=params, title=title, requested_by=user
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
            status=Document.Status.FAILED, error=_(BROKER_DOWN_MESSAGE)
        )
        return False
    return True


def document_retry(*, document: Document) -> Document:
    """Queue a failed document again."""
    updated = Document.objects.filter(pk=document.pk, status=Document.Status.FAILED).update(
        status=Document.Status.QUEUED, error=""
    )
    if updated:
        transaction.on_commit(lambda: document_enqueue(document_id=document.pk))
    document.refresh_from_db()
    return document


def document_claim(*, document_id: int) -> Document | None:
    """Mark the row running. Returns None when there is nothing to do (done, failed, gone).

    RUNNING is claimable again so that a task redelivered after a worker crash
    (acks_late) renders the document instead of leaving it stuck.
    """
    claimed = Document.objects.filter(
        pk=document_id, status__in=[Document.Status.QUEUED, Document.Status.RUNNING]
    ).update(status=Document.Status.RUNNING, attempts=F("attempts") + 1)
    if not claimed:
        return None
    return Document.objects.get(pk=document_id)


def document_render(*, document: Document) -> None:
    """Render and store the file, replacing an earlier one (safe to run twice)."""
    filename, content = renderer_for(document.kind)(document)
    old_name = document.file.name if document.file else ""
    document.file.save(filename, ContentFile(content), save=False)
    document.status = Document.Status.DONE
    document.error = ""
    document.save(update_fields=["file", "status", "error", "updated_at"])
    if old_name and old_name != document.file.name:
        document.file.storage.delete(old_name)


def document_fail(*, document_id: int, message: str) -> None:
    Document.objects.filter(pk=document_id).update(status=Document.Status.FAILED, error=message)
