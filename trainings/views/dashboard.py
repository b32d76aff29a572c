from django.shortcuts import render
from django.utils import timezone

from aktiva.access import member_required
from aktiva.audit import audit_request_many
from aktiva.models import AuditLogEntry

from .. import selectors


@member_required
def dashboard(request):
    context = selectors.dashboard(request.membership, timezone.localdate())
    audit_request_many(
        request,
        AuditLogEntry.Action.VIEW,
        [w.participant for w in context["attendance_warnings"]],
        page="attendance_warnings",
    )
    return render(request, "trainings/dashboard.html", context)
