"""Course runs: the list, a run's page, creating, editing, status changes, cancelling."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aktiva.access import coordinator_required, member_required
from aktiva.addresses import with_urls
from aktiva.forms import add_service_errors
from aktiva.paging import page_without_count

from .. import attendance_warnings, selectors, services
from ..forms.runs import CancelRunForm, CourseRunForm, RunFilterForm, offer_free
from ..models import CourseRun


def run_for(request, pk: int) -> CourseRun:
    """The run, if this member may see it (CourseRun.objects.visible_to), else 404."""
    return get_object_or_404(CourseRun.objects.visible_to(request.membership), pk=pk)


# --- runs ---------------------------------------------------------------------------------------


@member_required
def run_list(request):
    form = RunFilterForm(request.GET or None, organization=request.organization)
    runs = form.filter(CourseRun.objects.visible_to(request.membership)).by_first_date()
    page = page_without_count(runs.values_list("pk", flat=True), request.GET.get("page"), 25)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "run_ids": page.object_list, "query": query.urlencode()}
    # Rendering the rows and the filter (an option per trainer) costs more than the rest of
    # the page: both are kept rendered under keys of all they are made of.
    revision = selectors.runs_revision(request.organization.pk)
    typed = (
        bool(request.GET),
        tuple((name, tuple(request.GET.getlist(name))) for name in form.fields),
    )
    context["filter"] = selectors.remembered_part(
        revision,
        "filter",
        typed,
        lambda: render_to_string("trainings/partials/run_filter.html", {"form": form}),
    )
    if page.object_list:
        context["rows"] = selectors.remembered_part(
            revision, "rows", tuple(page.object_list), lambda: _run_rows(page.object_list)
        )
    return render(request, "trainings/run_list.html", context)


def _run_rows(order: list[int]) -> str:
    # paginated before annotating: dates, room and trainers for the page's runs only
    runs = with_urls(selectors.runs_listed(order), "trainings:run_detail")
    return render_to_string("trainings/partials/run_rows.html", {"runs": runs})


@member_required
def run_detail(request, pk: int):
    revision = selectors.attendance_revision(request.membership)
    plan = selectors.run_plan(request.membership, pk, revision)
    if plan is None:
        raise Http404
    run = plan.run
    context = selectors.run_page(plan, revision, timezone.localdate())
    context["editable"] = request.membership.is_coordinator and not run.is_closed
    attendance_warnings.audit_read(request, context["attendance_warnings"])
    if not request.membership.is_coordinator and run.can_transition_to(CourseRun.Status.COMPLETED):
        # the run's trainers complete it themselves once all its sessions are over
        context["sessions_ahead"] = run.has_sessions_ahead(context["sessions"])
        context["trainer_may_complete"] = not context["sessions_ahead"]
    return render(request, "trainings/run_detail.html", context)


def closed(request, run: CourseRun):
    """A closed run is not edited any more: say so on its page."""
    messages.error(
        request,
        _("Ein abgeschlossener oder abgesagter Durchgang kann nicht mehr bearbeitet werden."),
    )
    return redirect(run)


def _run_form_page(request, form, run=None):
    return render(request, "trainings/run_form.html", {"form": form, "run": run})


def _save_run(request, form):
    try:
        run = services.course_run_save(
            run=form.instance,
            trainers=list(form.cleaned_data["trainers"]),
            modules=list(form.cleaned_data["modules"]),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        if isinstance(error, services.ConflictError):
            offer_free(form, error.conflicts)
        return None
    return run


@coordinator_required
def run_create(request):
    form = CourseRunForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        run = _save_run(request, form)
        if run:
            messages.success(
                request,
                _("Der Durchgang „%(title)s“ ist angelegt. Legen Sie jetzt die Termine an.")
                % {"title": run.title},
            )
            return redirect("trainings:schedule_generate", pk=run.pk)
    return _run_form_page(request, form)


@coordinator_required
def run_update(request, pk: int):
    run = run_for(request, pk)
    if run.is_closed:
        return closed(request, run)
    form = CourseRunForm(request.POST or None, instance=run, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        if _save_run(request, form):
            messages.success(request, _("Änderungen gespeichert."))
            return redirect(run)
    return _run_form_page(request, form, run)


@require_POST
@member_required
def run_transition(request, pk: int):
    """Coordinators change a run's status; its trainers may complete it (the service decides)."""
    run = run_for(request, pk)
    to = request.POST.get("to", "")
    if to not in CourseRun.Status.values or to == CourseRun.Status.CANCELLED:
        messages.error(request, _("Diese Statusänderung gibt es nicht."))
        return redirect(run)
    try:
        run = services.course_run_transition(run=run, to=to, membership=request.membership)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Der Durchgang ist jetzt „%(status)s“.") % {"status": run.get_status_display()},
        )
    return redirect(run)


@coordinator_required
def run_cancel(request, pk: int):
    run = run_for(request, pk)
    if not run.can_transition_to(CourseRun.Status.CANCELLED):
        messages.error(request, _("Dieser Durchgang kann nicht mehr abgesagt werden."))
        return redirect(run)
    form = CancelRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_run_transition(
                run=run, to=CourseRun.Status.CANCELLED, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Der Durchgang ist abgesagt."))
            return redirect(run)
    return render(request, "trainings/run_cancel.html", {"run": run, "form": form})
