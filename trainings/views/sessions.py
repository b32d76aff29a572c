"""A run's schedule: the generator, and each session on its own."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from aktiva.access import coordinator_required
from aktiva.forms import add_service_errors

from .. import services
from ..forms.runs import ScheduleForm, SessionForm, offer_free
from ..models import CourseRun, Session
from .runs import closed, run_for


def _session_for(run: CourseRun, pk: int) -> Session:
    return get_object_or_404(run.sessions.all(), pk=pk)


@coordinator_required
def schedule_generate(request, pk: int):
    run = run_for(request, pk)
    if run.is_closed:
        return closed(request, run)
    form = ScheduleForm(request.POST or None, run=run)
    conflicts = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.schedule_generate(run=run, **form.schedule())
        except ValidationError as error:
            add_service_errors(form, error)
            if isinstance(error, services.ConflictError):
                conflicts = error.conflicts
                offer_free(form, conflicts)
        else:
            _report_schedule(request, result)
            return redirect(run)
    context = {"run": run, "form": form, "conflicts": conflicts}
    return render(request, "trainings/schedule_form.html", context)


def _report_schedule(request, result: services.ScheduleResult) -> None:
    n = len(result.sessions)
    messages.success(
        request, ngettext("%(n)d Termin angelegt.", "%(n)d Termine angelegt.", n) % {"n": n}
    )
    if result.skipped:
        skipped = ", ".join(
            f"{date_format(day, 'SHORT_DATE_FORMAT')} ({name})" for day, name in result.skipped
        )
        messages.info(request, _("Übersprungene Feiertage: %(days)s.") % {"days": skipped})
    if result.skipped_busy:
        n = len(result.skipped_busy)
        messages.info(
            request,
            ngettext(
                "%(n)d belegter Tag übersprungen: %(days)s.",
                "%(n)d belegte Tage übersprungen: %(days)s.",
                n,
            )
            % {"n": n, "days": services.compact_dates(result.skipped_busy)},
        )


def _session_form_page(request, run, form, session=None):
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(session=form.instance, modules=list(form.cleaned_data["modules"]))
        except ValidationError as error:
            add_service_errors(form, error)
            if isinstance(error, services.ConflictError):
                offer_free(form, error.conflicts)
        else:
            messages.success(request, _("Termin gespeichert."))
            return redirect(run)
    return render(
        request, "trainings/session_form.html", {"run": run, "form": form, "session": session}
    )


@coordinator_required
def session_create(request, pk: int):
    run = run_for(request, pk)
    if run.is_closed:
        return closed(request, run)
    return _session_form_page(request, run, SessionForm(request.POST or None, run=run))


@coordinator_required
def session_update(request, pk: int, session_pk: int):
    run = run_for(request, pk)
    if run.is_closed:
        return closed(request, run)
    session = _session_for(run, session_pk)
    return _session_form_page(
        request, run, SessionForm(request.POST or None, instance=session, run=run), session
    )


@require_POST
@coordinator_required
def session_cancel(request, pk: int, session_pk: int):
    run = run_for(request, pk)
    session = _session_for(run, session_pk)
    cancel = request.POST.get("cancelled") == "1"
    try:
        services.session_set_cancelled(session=session, cancelled=cancel)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        day = date_format(session.date, "SHORT_DATE_FORMAT")
        messages.success(
            request,
            (
                _("Der Termin am %(date)s ist abgesagt.")
                if cancel
                else _("Der Termin am %(date)s findet wieder statt.")
            )
            % {"date": day},
        )
    return redirect(run)
