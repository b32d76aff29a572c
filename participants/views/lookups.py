"""The lookups every participants view shares: through the one access rule, or 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from trainings.models import CourseRun, Session

from ..models import Participant


def run_for(request, pk: int) -> CourseRun:
    return get_object_or_404(
        CourseRun.objects.visible_to(request.membership).select_related("organization", "location"),
        pk=pk,
    )


def session_for(request, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.visible_to(request.membership).select_related(
            "run__organization", "location"
        ),
        pk=pk,
    )


def participant_for(request, pk) -> Participant:
    """A participant whose data may still be worked with (not anonymised)."""
    return get_object_or_404(
        Participant.objects.visible_to(request.membership).not_anonymised(), pk=id_or_404(pk)
    )


def id_or_404(value) -> int:
    """An id from a query string or form: anything but a number names nothing (404)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
