import logging
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from .retention import documents_delete_expired, participants_anonymise_expired
from .warnings import warning_digest_recipients, warning_digest_send

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, soft_time_limit=600, time_limit=900)
def retention_task() -> int:
    """Nightly (Celery beat): safe to run twice, the second run finds nothing to do."""
    count = participants_anonymise_expired()
    deleted = documents_delete_expired()
    logger.info("retention: anonymised %d participants, deleted %d documents", count, deleted)
    return count


@shared_task(acks_late=True, soft_time_limit=60, time_limit=120)
def warning_digests_task() -> int:
    """Daily (Celery beat): one task per staff member who wants the warning mail. Safe
    to run twice: a second run the same day finds each mail already recorded."""
    recipients = warning_digest_recipients()
    for membership_id in recipients:
        warning_digest_task.delay(membership_id)
    logger.info("warning mails: queued %d", len(recipients))
    return len(recipients)


@shared_task(
    acks_late=True,
    soft_time_limit=60,
    time_limit=120,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    max_retries=3,
    retry_backoff=60,
)
def warning_digest_task(membership_id: int) -> bool:
    """One staff member's mail of today (ids only: names appear in the mail, never in
    task arguments or logs)."""
    sent = warning_digest_send(membership_id=membership_id, today=timezone.localdate())
    logger.info("warning mail for membership %d: %s", membership_id, "sent" if sent else "none")
    return sent
