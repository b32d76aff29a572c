import logging

from celery import shared_task

from .retention import participants_anonymise_expired

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, soft_time_limit=600, time_limit=900)
def retention_task() -> int:
    """Nightly (Celery beat): safe to run twice, the second run finds nothing to do."""
    count = participants_anonymise_expired()
    logger.info("anonymised %d participants after the retention period", count)
    return count
