import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import OperationalError as DatabaseOperationalError

from . import documents
from .models import Document

logger = logging.getLogger(__name__)

# Errors worth another try: the database or the file storage hiccuped.
TRANSIENT_ERRORS = (DatabaseOperationalError, ConnectionError, TimeoutError)


@shared_task(
    bind=True,
    acks_late=True,
    soft_time_limit=120,
    time_limit=180,
    max_retries=settings.AKTIVA_DOCUMENT_MAX_RETRIES,
)
def document_render_task(self, document_id: int) -> None:
    document = documents.document_claim(document_id=document_id)
    if document is None:
        return
    try:
        documents.document_render(document=document)
    except TRANSIENT_ERRORS as exc:
        if self.request.retries < self.max_retries:
            documents.document_requeue(document_id=document_id)
            raise self.retry(exc=exc, countdown=2**self.request.retries * 5) from exc
        documents.document_fail(document_id=document_id, failure=Document.Failure.RETRIES_EXHAUSTED)
    except SoftTimeLimitExceeded:
        documents.document_fail(document_id=document_id, failure=Document.Failure.TIMEOUT)
    except documents.NothingToRender:
        documents.document_fail(document_id=document_id, failure=Document.Failure.NOTHING_TO_PRINT)
    except Exception:
        logger.exception("rendering document %s failed", document_id)
        documents.document_fail(document_id=document_id, failure=Document.Failure.ERROR)


@shared_task(soft_time_limit=60, time_limit=90)
def documents_sweep_task() -> dict[str, int]:
    """Every minute (Celery beat): re-queue documents whose worker died; see
    `documents.documents_sweep`."""
    result = documents.documents_sweep()
    if any(result.values()):
        logger.warning("document sweep: %s", result)
    return result
