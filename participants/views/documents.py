"""Certificates and the run's documents; the public certificate verification."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from aktiva import documents
from aktiva.access import coordinator_required, member_required
from aktiva.addresses import request_base_url
from trainings.models import CourseRun

from .. import selectors, services
from ..models import Certificate
from .lookups import run_for

# What `new_certificate_number` makes; anything else names nothing (and never reaches the
# database: a NUL byte would make PostgreSQL refuse the query).
CERTIFICATE_NUMBER = re.compile(r"TB-[A-Z0-9]{1,17}")


@member_required
def certificates_page(request, run_pk: int):
    run = run_for(request, run_pk)
    context = {"run": run, "summaries": selectors.certificates_page(run)}
    return render(request, "participants/certificates.html", context)


@require_POST
@coordinator_required
def certificates_issue(request, run_pk: int):
    """Issue (again) the certificates of a completed run, e.g. after attendance was corrected."""
    run = run_for(request, run_pk)
    try:
        issued = services.certificates_issue(run=run, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        n = len(issued)
        message = ngettext("%(n)d gültige Bescheinigung.", "%(n)d gültige Bescheinigungen.", n)
        messages.success(request, message % {"n": n})
    return redirect("participants:certificates", run_pk=run.pk)


@require_POST
@member_required
def document_create(request, run_pk: int, kind: str):
    """Ask a worker for a document of this run; the page then shows its progress."""
    run = run_for(request, run_pk)
    document_kind = documents.kind_or_404(f"participants.{kind}")
    form = document_kind.form(request.POST, organization=request.organization, run=run)
    if not form.is_valid():
        return _document_refused(request, run, form.error_text(), back=_BACK.get(kind))
    document = documents.document_request(
        organization=request.organization,
        kind=document_kind,
        form=form,
        user=request.user,
        base_url=request_base_url(request),
    )
    if request.htmx:
        document.refresh_from_db()
        return render(request, "documents/partials/status.html", {"document": document})
    return redirect("documents:detail", pk=document.pk)


# The page a refused request goes back to (without JavaScript), where it is not the
# certificates page.
_BACK = {"absence_report": "participants:reports", "exit_notice": "participants:reports"}


def _document_refused(request, run: CourseRun, message: str, back: str | None = None):
    if request.htmx:
        return render(request, "participants/partials/alert.html", {"message": message})
    messages.error(request, message)
    return redirect(back or "participants:certificates", run_pk=run.pk)


def certificate_verify(request, number: str):
    """Public (no login): confirms a certificate number, showing course, date and initials only."""
    normalized = number.strip().upper()
    certificate = None
    if CERTIFICATE_NUMBER.fullmatch(normalized):
        certificate = (
            Certificate.objects.filter(number=normalized)
            .prefetch_related(Prefetch("run", queryset=CourseRun.objects.with_dates()))
            .first()
        )
    context = {"certificate": certificate, "number": number}
    return render(request, "participants/verify.html", context, status=200 if certificate else 404)
