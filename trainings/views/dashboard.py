from django.shortcuts import render
from django.utils import timezone

from aktiva.access import member_required

from .. import selectors


@member_required
def dashboard(request):
    context = selectors.dashboard(request.membership, timezone.localdate())
    return render(request, "trainings/dashboard.html", context)
