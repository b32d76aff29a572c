import logging

from celery import shared_task

from .retention import documents_delete_expired, participants_anonymise_expired

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, soft_time_limit=600, time_limit=900)
def retention_task() -> int:
    """Nightly (Celery beat): safe to run twice, the second run finds nothing to do."""
    count = participants_anonymise_expired()
    deleted = documents_delete_expired()
    logger.info("retention: anonymised %d participants, deleted %d documents", count, deleted)
    return count
