"""The organization's audit trail for coordinators: who read or changed personal data."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..access import coordinator_required
from ..audit import AuditFilterForm, audit_csv, audit_request
from ..models import AuditLogEntry
from ..paging import page_without_count


def _filtered(request) -> tuple[AuditFilterForm, object]:
    form = AuditFilterForm(request.GET or None, organization=request.organization)
    entries = AuditLogEntry.objects.visible_to(request.membership).select_related("user")
    return form, form.filter(entries)


@coordinator_required
def audit_trail(request):
    form, entries = _filtered(request)
    page = page_without_count(entries, request.GET.get("page"), 25)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/trail.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@coordinator_required
def audit_trail_csv(request):
    _form, entries = _filtered(request)
    content = audit_csv(entries.iterator(chunk_size=2000))
    # Reading the trail is itself a read of personal data.
    audit_request(
        request,
        AuditLogEntry.Action.EXPORT,
        request.organization,
        audit_trail=request.GET.urlencode()[:500],
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="zugriffsprotokoll-{stamp}.csv"'
    return response
