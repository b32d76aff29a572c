from django.shortcuts import render
from django.utils import timezone

from aktiva.access import member_required

from .. import attendance_warnings, selectors


@member_required
def dashboard(request):
    context = selectors.dashboard(request.membership, timezone.localdate())
    attendance_warnings.audit_read(request, context["attendance_warnings"])
    return render(request, "trainings/dashboard.html", context)
