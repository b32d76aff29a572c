"""Retention: personal data of participants is anonymised once their runs ended more than
AKTIVA_RETENTION_DAYS ago. Enrollments, attendance and certificates stay (without names),
so counts, rates and certificate verification survive."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, Max, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from aktiva.models import AuditLogEntry, Document

from .models import Enrollment, Participant


def _cutoff(today=None):
    return (today or timezone.localdate()) - timedelta(days=settings.AKTIVA_RETENTION_DAYS)


def expired_participants(*, today=None):
    """Participants none of whose runs ended within the retention period (a run without
    dates counts from its last change), and those never enrolled whose record is as old."""
    cutoff = _cutoff(today)
    recent = (
        Enrollment.objects.filter(participant=OuterRef("pk"))
        .annotate(ended=Max("run__sessions__date"))
        .filter(Q(ended__gte=cutoff) | Q(ended__isnull=True, run__updated_at__date__gte=cutoff))
    )
    return (
        Participant.objects.filter(anonymised_at__isnull=True)
        .filter(Q(enrollments__isnull=False) | Q(created_at__date__lt=cutoff))
        .exclude(Exists(recent))
        .distinct()
    )


@transaction.atomic
def participants_anonymise_expired(*, today=None) -> int:
    ids = list(expired_participants(today=today).values_list("pk", flat=True))
    return participants_anonymise(ids=ids)


@transaction.atomic
def participants_anonymise(*, ids: list[int]) -> int:
    """Remove what names these people; enrollments, attendance and certificates stay, so
    counts, rates and certificate verification survive (the certificate keeps initials).
    Used by the nightly retention and by a coordinator's erasure (Art. 17 GDPR)."""
    if not ids:
        return 0
    now = timezone.now()
    Participant.objects.filter(pk__in=ids).update(
        first_name="Anonymisiert",
        last_name=Concat(Value("#"), Cast("pk", CharField())),
        customer_number="",
        email="",
        phone="",
        note="",
        anonymised_at=now,
    )
    Enrollment.objects.filter(participant_id__in=ids).update(withdrawal_reason="")
    # The access log keeps who looked when, but no longer the name.
    AuditLogEntry.objects.filter(
        object_type=Participant._meta.label, object_id__in=[str(pk) for pk in ids]
    ).update(object_repr="anonymisiert")
    return len(ids)


def documents_delete_expired(*, today=None) -> int:
    """Documents that name participants go after the same period (they can be made again)."""
    expired = Document.objects.naming_people().filter(created_at__date__lt=_cutoff(today))
    count = 0
    for document in expired:
        if document.file:
            document.file.delete(save=False)
        document.delete()
        count += 1
    return count
