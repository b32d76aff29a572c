"""The access log for personal data: who viewed or changed whom, and when."""

from django.db import models

from .models import AuditLogEntry


def audit_log(*, user, organization, action: str, obj: models.Model, details: dict | None = None):
    return AuditLogEntry.objects.create(
        organization=organization,
        user=user if user and user.is_authenticated else None,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        details=details or {},
    )
