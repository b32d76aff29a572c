"""Course runs and their sessions, the schedule generator and the dashboard."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aktiva.access import coordinator_required, member_required
from aktiva.forms import add_service_errors

from . import services
from .forms import CancelRunForm, CourseRunForm, RunFilterForm, ScheduleForm, SessionForm
from .models import CourseRun, Module, Session


def visible_runs(request):
    return CourseRun.objects.visible_to(request.membership)


def _run_for(request, pk: int) -> CourseRun:
    return get_object_or_404(visible_runs(request), pk=pk)


def _session_for(request, run: CourseRun, pk: int) -> Session:
    return get_object_or_404(run.sessions.all(), pk=pk)


# --- dashboard ----------------------------------------------------------------------------------


@member_required
def dashboard(request):
    today = timezone.localdate()
    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=6)
    runs = visible_runs(request)
    week_sessions = (
        Session.objects.filter(run__in=runs)
        .between(week_start, week_end)
        .select_related("run", "location", "run__location")
        .prefetch_related("modules", "run__trainers")
    )
    by_status = {row["status"]: row["n"] for row in runs.values("status").annotate(n=Count("id"))}
    runs_active = runs.active()
    lacking_trainers = (
        runs_active.annotate(trainer_count=Count("trainers"))
        .filter(trainer_count__lt=1)
        .with_dates()
        .order_by("first_date")
    )
    return render(
        request,
        "trainings/dashboard.html",
        {
            "today": today,
            "week_start": week_start,
            "week_end": week_end,
            "week_sessions": week_sessions,
            "status_counts": [(s, by_status.get(s.value, 0)) for s in CourseRun.Status],
            "lacking_trainers": lacking_trainers,
            "runs_active": runs_active,
        },
    )


# --- runs ---------------------------------------------------------------------------------------


@member_required
def run_list(request):
    form = RunFilterForm(request.GET or None, organization=request.organization)
    runs = (
        visible_runs(request)
        .with_dates()
        .select_related("location")
        .prefetch_related("trainers")
        .order_by("-first_date", "-created_at")
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            runs = runs.filter(Q(title__icontains=data["q"]) | Q(notes__icontains=data["q"]))
        if data["status"]:
            runs = runs.filter(status=data["status"])
        if data["trainer"]:
            runs = runs.filter(
                Exists(
                    CourseRun.trainers.through.objects.filter(
                        courserun_id=OuterRef("pk"), trainer=data["trainer"]
                    )
                )
            )
        if data["period_from"] or data["period_to"]:
            sessions = Session.objects.filter(run=OuterRef("pk"), is_cancelled=False)
            if data["period_from"]:
                sessions = sessions.filter(date__gte=data["period_from"])
            if data["period_to"]:
                sessions = sessions.filter(date__lte=data["period_to"])
            runs = runs.filter(Exists(sessions))
    page = Paginator(runs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "trainings/run_list.html",
        {"form": form, "page": page, "runs": page.object_list, "query": query.urlencode()},
    )


@member_required
def run_detail(request, pk: int):
    run = get_object_or_404(
        visible_runs(request).select_related("location").prefetch_related("trainers", "modules"),
        pk=pk,
    )
    sessions = list(
        run.sessions.select_related("location").prefetch_related(
            Prefetch("modules", queryset=Module.objects.order_by("position"))
        )
    )
    for session in sessions:
        session.run = run  # avoid a query per session for effective_location
    return render(
        request,
        "trainings/run_detail.html",
        {
            "run": run,
            "sessions": sessions,
            "warnings": services.run_warnings(run, sessions=sessions),
            "transitions": [
                CourseRun.Status(s)
                for s in run.allowed_transitions
                if s != CourseRun.Status.CANCELLED
            ],
            "can_cancel": run.can_transition_to(CourseRun.Status.CANCELLED),
            "total_units": sum(s.teaching_units for s in sessions if not s.is_cancelled),
        },
    )


def _closed(request, run: CourseRun):
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
    run = _run_for(request, pk)
    if run.is_closed:
        return _closed(request, run)
    form = CourseRunForm(request.POST or None, instance=run, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        if _save_run(request, form):
            messages.success(request, _("Änderungen gespeichert."))
            return redirect(run)
    return _run_form_page(request, form, run)


@require_POST
@coordinator_required
def run_transition(request, pk: int):
    run = _run_for(request, pk)
    to = request.POST.get("to", "")
    if to not in CourseRun.Status.values or to == CourseRun.Status.CANCELLED:
        messages.error(request, _("Diese Statusänderung gibt es nicht."))
        return redirect(run)
    try:
        run = services.course_run_transition(run=run, to=to)
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
    run = _run_for(request, pk)
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


# --- schedule and sessions ----------------------------------------------------------------------


@coordinator_required
def schedule_generate(request, pk: int):
    run = _run_for(request, pk)
    if run.is_closed:
        return _closed(request, run)
    form = ScheduleForm(request.POST or None, run=run)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.schedule_generate(
                run=run,
                start=data["start"],
                weekdays=data["weekdays"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                count=data["count"],
                modules=list(data["modules"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(n)s Termine angelegt.") % {"n": len(result.sessions)})
            if result.skipped:
                skipped = ", ".join(
                    f"{date_format(day, 'SHORT_DATE_FORMAT')} ({name})"
                    for day, name in result.skipped
                )
                messages.info(request, _("Übersprungene Feiertage: %(days)s.") % {"days": skipped})
            return redirect(run)
    return render(request, "trainings/schedule_form.html", {"run": run, "form": form})


def _session_form_page(request, run, form, session=None):
    if request.method == "POST" and form.is_valid():
        try:
            services.session_save(session=form.instance, modules=list(form.cleaned_data["modules"]))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Termin gespeichert."))
            return redirect(run)
    return render(
        request, "trainings/session_form.html", {"run": run, "form": form, "session": session}
    )


@coordinator_required
def session_create(request, pk: int):
    run = _run_for(request, pk)
    if run.is_closed:
        return _closed(request, run)
    return _session_form_page(request, run, SessionForm(request.POST or None, run=run))


@coordinator_required
def session_update(request, pk: int, session_pk: int):
    run = _run_for(request, pk)
    if run.is_closed:
        return _closed(request, run)
    session = _session_for(request, run, session_pk)
    return _session_form_page(
        request, run, SessionForm(request.POST or None, instance=session, run=run), session
    )


@require_POST
@coordinator_required
def session_cancel(request, pk: int, session_pk: int):
    run = _run_for(request, pk)
    session = _session_for(request, run, session_pk)
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
