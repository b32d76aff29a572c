"""Business rules of the tenant itself: the organization's own settings."""

from django.db import transaction

from .models import Organization


@transaction.atomic
def organization_save(*, organization: Organization) -> Organization:
    organization.full_clean()
    organization.save()
    return organization
