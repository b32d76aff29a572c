"""A run's participants: enrolling, the waiting list, withdrawing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aktiva import documents
from aktiva.access import coordinator_required, member_required
from aktiva.audit import audit_request
from aktiva.forms import add_service_errors
from aktiva.models import AuditLogEntry
from trainings.models import CourseRun

from .. import jobcenter_reports, selectors, services
from ..forms import SearchForm, WithdrawForm
from ..models import Enrollment, Participant
from .lookups import participant_for, run_for


@member_required
def run_participants(request, run_pk: int):
    run = run_for(request, run_pk)
    form = SearchForm(request.GET)
    term = request.GET.get("q", "").strip() if form.is_valid() else ""
    context = selectors.run_participants(run)
    context.update(form=form, term=term, candidates=[])
    if request.membership.is_coordinator and term:
        context["candidates"] = selectors.enrollment_candidates(run, request.membership, term)
    details = {"page": "run_participants", **({"search": len(term)} if term else {})}
    audit_request(request, AuditLogEntry.Action.VIEW, run, **details)
    return render(request, "participants/run_participants.html", context)


def enroll(request, run: CourseRun, participant: Participant):
    try:
        enrollment = services.enrollment_create(run=run, participant=participant, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if enrollment.status == Enrollment.Status.WAITING:
            message = _("Der Durchgang ist voll: %(name)s steht jetzt auf der Warteliste.")
            messages.warning(request, message % {"name": participant})
        else:
            messages.success(request, _("%(name)s ist angemeldet.") % {"name": participant})
    return redirect("participants:run", run_pk=run.pk)


@require_POST
@coordinator_required
def enrollment_create(request, run_pk: int):
    run = run_for(request, run_pk)
    return enroll(request, run, participant_for(request, request.POST.get("participant")))


@require_POST
@coordinator_required
def waiting_list_promote(request, run_pk: int):
    run = run_for(request, run_pk)
    try:
        promoted = services.waiting_list_promote(run=run, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        names = ", ".join(str(e.participant) for e in promoted) or "–"
        messages.info(request, _("Von der Warteliste nachgerückt: %(names)s") % {"names": names})
        _warn_out_of_reach(request, run, promoted)
    return redirect("participants:run", run_pk=run.pk)


def _warn_out_of_reach(request, run: CourseRun, promoted: list[Enrollment]) -> None:
    """Whoever moves up after sessions were held may have missed too many for a certificate."""
    for enrollment in selectors.out_of_reach(run, promoted):
        messages.warning(
            request,
            _("%(name)s kann die 80 %% für eine Teilnahmebescheinigung nicht mehr erreichen.")
            % {"name": enrollment.participant},
        )


@coordinator_required
def enrollment_withdraw(request, pk: int):
    enrollment = get_object_or_404(
        Enrollment.objects.visible_to(request.membership).select_related("participant", "run"),
        pk=pk,
    )
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.enrollment_withdraw(
                enrollment=enrollment, user=request.user, **form.withdrawal()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _report_withdrawal(request, enrollment, result)
            _exit_notice_request(request, result.enrollment)
            return redirect("participants:run", run_pk=enrollment.run_id)
    context = {"enrollment": enrollment, "form": form}
    return render(request, "participants/enrollment_withdraw.html", context)


def _report_withdrawal(request, enrollment, result: services.EnrollmentResult) -> None:
    status = result.enrollment.get_status_display()
    messages.success(
        request, _("%(name)s: %(status)s.") % {"name": enrollment.participant, "status": status}
    )
    if result.promoted:
        messages.info(
            request,
            _("%(name)s ist von der Warteliste nachgerückt und jetzt angemeldet.")
            % {"name": result.promoted.participant},
        )
        _warn_out_of_reach(request, enrollment.run, [result.promoted])


def _exit_notice_request(request, enrollment: Enrollment) -> None:
    """Someone who had a place and leaves: the notice for the jobcenter (non-start or
    leaving early) is produced at once; the run's reports page lists it."""
    kind = documents.kind_for(jobcenter_reports.EXIT_NOTICE)
    form = kind.form(
        {"enrollment": enrollment.pk}, organization=request.organization, run=enrollment.run
    )
    if not form.is_valid():  # left from the waiting list: nothing to report
        return
    document = documents.document_request(
        organization=request.organization, kind=kind, form=form, user=request.user
    )
    messages.info(
        request,
        _(
            "Die Meldung „%(title)s“ an das Jobcenter wird erstellt "
            "(unter „Meldungen“ des Durchgangs)."
        )
        % {"title": document.title},
    )
