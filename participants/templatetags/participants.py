"""Inclusion tags for the panels that the run detail page and the dashboard embed.
Each runs one query, however many participants there are."""

from django import template
from django.db.models import Count, F
from django.utils import timezone

from ..models import Enrollment
from ..selectors import runs_with_counts

register = template.Library()


@register.inclusion_tag("participants/partials/run_panel.html", takes_context=True)
def run_participants_panel(context, run, sessions=None):
    counts = dict(
        Enrollment.objects.filter(run=run)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    sessions = list(sessions or [])
    request = context.get("request")
    membership = getattr(request, "membership", None) if request else None
    is_coordinator = bool(membership) and membership.is_coordinator
    today = timezone.localdate()
    held = [s for s in sessions if not s.is_cancelled]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "run": run,
        "enrolled": counts.get(Enrollment.Status.ENROLLED, 0)
        + counts.get(Enrollment.Status.COMPLETED, 0),
        "waiting": counts.get(Enrollment.Status.WAITING, 0),
        # run.trainers is prefetched on the run detail page: no extra query.
        "may_record": run.is_visible_to(membership),
        "is_coordinator": is_coordinator,
        "today_session": next((s for s in held if s.date == today), None),
        "sessions": held,
        "modules": list(run.modules.all()),
    }


@register.simple_tag
def runs_lacking_participants(runs):
    """Not-closed runs with fewer participants than their minimum (one query)."""
    return list(
        runs_with_counts(runs).filter(enrolled_count__lt=F("min_participants")).order_by("pk")
    )
