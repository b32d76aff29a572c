"""iCal: a trainer's private subscription (secret token, no login), its renewal, run downloads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aktiva.access import member_required
from aktiva.addresses import request_base_url

from .. import ical
from ..models import CourseRun, Trainer


def _calendar_response(content: bytes, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def ical_feed(request, token: str):
    """Calendar apps fetch this without a session; the token is the only key."""
    trainer = get_object_or_404(Trainer.objects.filter(is_active=True), ical_token=token)
    return _calendar_response(ical.trainer_calendar(trainer, base=request_base_url(request)))


@require_POST
@member_required
def ical_renew(request, pk: int):
    trainer = get_object_or_404(Trainer.objects.for_organization(request.organization), pk=pk)
    if not (request.membership.is_coordinator or trainer.is_profile_of(request.membership)):
        raise PermissionDenied(_("Sie können nur Ihre eigene Kalenderadresse erneuern."))
    ical.trainer_renew_ical_token(trainer=trainer)
    messages.success(
        request,
        _(
            "Die Kalenderadresse ist erneuert. Die alte Adresse funktioniert nicht mehr; "
            "tragen Sie die neue in Ihrem Kalender ein."
        ),
    )
    next_url = request.POST.get("next", "")
    # Only a path of this site: anything else (another host, a bare word) goes to the default.
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}
    ):
        return HttpResponseRedirect(next_url)
    return redirect(
        "trainings:my_sessions" if trainer.is_profile_of(request.membership) else trainer
    )


@member_required
def run_ics(request, pk: int):
    run = get_object_or_404(CourseRun.objects.visible_to(request.membership), pk=pk)
    return _calendar_response(
        ical.run_calendar(run, base=request_base_url(request)),
        filename=f"aktiva-durchgang-{run.pk}.ics",
    )
