"""The accessibility statement (Erklärung zur Barrierefreiheit, BITV 2.0 § 7): public, linked
from the footer of every page, the public feedback form's included."""

from datetime import date

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

# When the statement was prepared and its findings last checked against the application.
# Change it together with the list of known barriers in the template.
PREPARED_ON = date(2026, 11, 25)


def accessibility_contact(request) -> str:
    """The configured contact; else the reader's organization's e-mail; else the sender
    address the application writes from (someone reads the replies to it)."""
    organization = getattr(request, "organization", None)
    return (
        settings.AKTIVA_ACCESSIBILITY_CONTACT
        or (organization.contact_email if organization else "")
        or settings.DEFAULT_FROM_EMAIL
    )


@require_GET
def accessibility_statement(request):
    return render(
        request,
        "accessibility.html",
        {
            "prepared_on": PREPARED_ON,
            "contact": accessibility_contact(request),
            "public_url": settings.AKTIVA_PUBLIC_URL,
        },
    )
