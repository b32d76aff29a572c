"""Reports to the jobcenter: which monthly absence reports and exit notices are due, and
which were produced by whom and when. The run's trainers see and produce them too: they
sign them. Producing one goes through the document pipeline (`views.documents`), which
writes it to the audit trail."""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from aktiva.access import member_required
from aktiva.audit import audit_request
from aktiva.models import AuditLogEntry, Document
from trainings.models import CourseRun

from .. import jobcenter_reports
from .lookups import run_for

# The list page shows what was produced in this time (what is due, however old).
RECENT_DAYS = 60


def _downloadable(request, overview) -> set[int]:
    """Ids of the listed documents this member may open (`Document.visible_to`)."""
    ids = [d.pk for m in overview.months for d in m.documents]
    ids += [d.pk for e in overview.exits for d in e.documents]
    visible = Document.objects.visible_to(request.membership).filter(pk__in=ids)
    return set(visible.values_list("pk", flat=True))


@member_required
def run_reports(request, run_pk: int):
    run = run_for(request, run_pk)
    overview = jobcenter_reports.reports_overview(
        CourseRun.objects.filter(pk=run.pk), organization=request.organization
    )
    audit_request(request, AuditLogEntry.Action.VIEW, run, page="reports")
    context = {
        "run": run,
        "overview": overview,
        "downloadable": _downloadable(request, overview),
        "legend": jobcenter_reports.code_legend(),
    }
    return render(request, "participants/run_reports.html", context)


@member_required
def reports_list(request):
    overview = jobcenter_reports.reports_overview(
        CourseRun.objects.visible_to(request.membership), organization=request.organization
    )
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    produced = sorted(
        [
            (document, item)
            for item in [*overview.months, *overview.exits]
            for document in item.documents
            if document.created_at >= since
        ],
        key=lambda pair: pair[0].created_at,
        reverse=True,
    )
    if overview.exits:  # the list names people who left a run
        audit_request(request, AuditLogEntry.Action.VIEW, request.organization, page="reports")
    context = {
        "overview": overview,
        "produced": produced,
        "recent_days": RECENT_DAYS,
        "downloadable": _downloadable(request, overview),
    }
    return render(request, "participants/reports.html", context)
