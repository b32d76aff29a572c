from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from aktiva.access import member_required

from .. import attendance_warnings, selectors


@member_required
def dashboard(request):
    """The overview (today, the week, the runs' counts and gaps) and the attendance
    warnings, each kept in the cache under all it is made of (`dashboard_revision`, today):
    a repeat view reads the revisions and the names of the people warned about."""
    membership, today = request.membership, timezone.localdate()
    revision = selectors.dashboard_revision(membership)
    overview = selectors.remembered_part(
        revision,
        "dashboard",
        (today,),
        lambda: render_to_string(
            "trainings/partials/dashboard_overview.html",
            {
                **selectors.dashboard(membership, today),
                "is_coordinator": membership.is_coordinator,
            },
        ),
    )
    warnings, more_list = selectors.dashboard_warnings(membership, today, revision)
    attendance_warnings.audit_read(request, warnings)
    context = {
        "overview": overview,
        "attendance_warnings": warnings,
        "attendance_warnings_more_list": more_list,
    }
    return render(request, "trainings/dashboard.html", context)
