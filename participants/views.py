"""Participants, enrollment, attendance and their documents. Every lookup goes through
the user's organization; trainers reach only the runs they lead."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Max, Min, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from aktiva import documents
from aktiva.access import coordinator_required, member_required
from aktiva.audit import audit_log
from aktiva.forms import add_service_errors
from aktiva.models import AuditLogEntry
from trainings.models import CourseRun, Module, Session

from . import handouts, services
from .forms import HandoutContentForm, ParticipantForm, SearchForm, WithdrawForm
from .models import Attendance, Certificate, Enrollment, HandoutContent, Participant
from .selectors import attendance_matrix, attendance_summaries, session_attendance


def _runs(request):
    return CourseRun.objects.visible_to(request.membership)


def _run_for(request, pk: int) -> CourseRun:
    return get_object_or_404(_runs(request).select_related("organization", "location"), pk=pk)


def _session_for(request, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.filter(run__in=_runs(request)).select_related(
            "run__organization", "location"
        ),
        pk=pk,
    )


def _id(value) -> int:
    """An id from a query string or form: anything but a number names nothing (404)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


# Participants -----------------------------------------------------------------------------


@coordinator_required
def participant_list(request):
    form = SearchForm(request.GET)
    participants = Participant.objects.for_organization(request.organization).filter(
        anonymised_at__isnull=True
    )
    term = form.data.get("q", "").strip() if form.is_valid() else ""
    if term:
        participants = participants.search(term)
    page = Paginator(participants, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "participants/participant_list.html",
        {"form": form, "page": page, "term": term, "query": urlencode({"q": term})},
    )


@coordinator_required
def participant_detail(request, pk: int):
    participant = get_object_or_404(
        Participant.objects.for_organization(request.organization), pk=pk
    )
    audit_log(
        user=request.user,
        organization=request.organization,
        action=AuditLogEntry.Action.VIEW,
        obj=participant,
    )
    enrollments = participant.enrollments.select_related("run").annotate(
        first_date=Min("run__sessions__date", filter=Q(run__sessions__is_cancelled=False)),
        last_date=Max("run__sessions__date", filter=Q(run__sessions__is_cancelled=False)),
    )
    log = AuditLogEntry.objects.filter(
        organization=request.organization,
        object_type=Participant._meta.label,
        object_id=str(participant.pk),
    ).select_related("user")[:20]
    return render(
        request,
        "participants/participant_detail.html",
        {"participant": participant, "enrollments": enrollments, "log": log},
    )


def _participant_form_page(request, form, participant=None, run=None):
    return render(
        request,
        "participants/participant_form.html",
        {"form": form, "participant": participant, "run": run},
    )


@coordinator_required
def participant_create(request):
    run = None
    if request.GET.get("run"):
        run = get_object_or_404(_runs(request), pk=_id(request.GET["run"]))
    form = ParticipantForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.participant_save(participant=form.instance, user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            return _participant_form_page(request, form, run=run)
        messages.success(request, _("%(name)s wurde angelegt.") % {"name": participant})
        if run:
            return _enroll(request, run, participant)
        return redirect(participant)
    return _participant_form_page(request, form, run=run)


@coordinator_required
def participant_update(request, pk: int):
    participant = get_object_or_404(
        Participant.objects.for_organization(request.organization).filter(
            anonymised_at__isnull=True
        ),
        pk=pk,
    )
    form = ParticipantForm(
        request.POST or None, instance=participant, organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_save(participant=form.instance, user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            return _participant_form_page(request, form, participant)
        messages.success(request, _("Die Angaben wurden gespeichert."))
        return redirect(participant)
    return _participant_form_page(request, form, participant)


# Enrollment -------------------------------------------------------------------------------


@member_required
def run_participants(request, run_pk: int):
    run = _run_for(request, run_pk)
    enrollments = list(
        run.enrollments.select_related("participant").order_by(
            "participant__last_name", "participant__first_name"
        )
    )
    placed = [e for e in enrollments if e.holds_place or e.status == Enrollment.Status.DROPPED_OUT]
    waiting = sorted(
        (e for e in enrollments if e.status == Enrollment.Status.WAITING),
        key=lambda e: (e.waiting_since, e.pk),
    )
    withdrawn = [e for e in enrollments if e.status == Enrollment.Status.WITHDRAWN]
    form = SearchForm(request.GET)
    candidates = []
    term = request.GET.get("q", "").strip()
    if request.membership.is_coordinator and term and form.is_valid():
        candidates = list(
            Participant.objects.for_organization(request.organization)
            .filter(anonymised_at__isnull=True)
            .search(term)
            .exclude(
                enrollments__run=run,
                enrollments__status__in=[
                    Enrollment.Status.ENROLLED,
                    Enrollment.Status.WAITING,
                    Enrollment.Status.COMPLETED,
                    Enrollment.Status.DROPPED_OUT,
                ],
            )[:20]
        )
    return render(
        request,
        "participants/run_participants.html",
        {
            "run": run,
            "placed": placed,
            "waiting": waiting,
            "withdrawn": withdrawn,
            "free": max(run.capacity - sum(1 for e in placed if e.holds_place), 0),
            "form": form,
            "term": term,
            "candidates": candidates,
        },
    )


def _enroll(request, run: CourseRun, participant: Participant):
    try:
        enrollment = services.enrollment_create(run=run, participant=participant, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if enrollment.status == Enrollment.Status.WAITING:
            messages.warning(
                request,
                _("Der Durchgang ist voll: %(name)s steht jetzt auf der Warteliste.")
                % {"name": participant},
            )
        else:
            messages.success(request, _("%(name)s ist angemeldet.") % {"name": participant})
    return redirect("participants:run", run_pk=run.pk)


@require_POST
@coordinator_required
def enrollment_create(request, run_pk: int):
    run = _run_for(request, run_pk)
    participant = get_object_or_404(
        Participant.objects.for_organization(request.organization).filter(
            anonymised_at__isnull=True
        ),
        pk=_id(request.POST.get("participant")),
    )
    return _enroll(request, run, participant)


@require_POST
@coordinator_required
def waiting_list_promote(request, run_pk: int):
    run = _run_for(request, run_pk)
    try:
        promoted = services.waiting_list_promote(run=run, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        names = ", ".join(str(e.participant) for e in promoted)
        messages.info(
            request, _("Von der Warteliste nachgerückt: %(names)s") % {"names": names or "–"}
        )
        _warn_out_of_reach(request, run, promoted)
    return redirect("participants:run", run_pk=run.pk)


def _warn_out_of_reach(request, run: CourseRun, promoted: list[Enrollment]) -> None:
    """Whoever moves up after sessions were held may have missed too many for a certificate."""
    if not promoted:
        return
    moved_up = {e.pk for e in promoted}
    for summary in attendance_summaries(run):
        if summary.enrollment.pk in moved_up and summary.held and not summary.reachable:
            messages.warning(
                request,
                _("%(name)s kann die 80 %% für eine Teilnahmebescheinigung nicht mehr erreichen.")
                % {"name": summary.enrollment.participant},
            )


@coordinator_required
def enrollment_withdraw(request, pk: int):
    enrollment = get_object_or_404(
        Enrollment.objects.for_organization(request.organization).select_related(
            "participant", "run"
        ),
        pk=pk,
    )
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.enrollment_withdraw(
                enrollment=enrollment,
                reason=form.cleaned_data["reason"],
                user=request.user,
                dropped_out=form.cleaned_data["outcome"] == "dropped_out",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s: %(status)s.")
                % {
                    "name": enrollment.participant,
                    "status": result.enrollment.get_status_display(),
                },
            )
            if result.promoted:
                messages.info(
                    request,
                    _("%(name)s ist von der Warteliste nachgerückt und jetzt angemeldet.")
                    % {"name": result.promoted.participant},
                )
                _warn_out_of_reach(request, enrollment.run, [result.promoted])
            return redirect("participants:run", run_pk=enrollment.run_id)
    return render(
        request, "participants/enrollment_withdraw.html", {"enrollment": enrollment, "form": form}
    )


# Attendance -------------------------------------------------------------------------------


@member_required
def today(request):
    """Today's sessions of the user's runs: where a trainer starts on the phone."""
    sessions = (
        Session.objects.filter(
            run__in=_runs(request), date=timezone.localdate(), is_cancelled=False
        )
        .exclude(run__status=CourseRun.Status.CANCELLED)
        .select_related("run", "location", "run__location")
    )
    return render(request, "participants/today.html", {"sessions": sessions})


def _attendance_context(request, session: Session) -> dict:
    run = session.run
    if not run.is_visible_to(request.membership):
        raise PermissionDenied(_("Nur die Trainer/innen des Durchgangs und die Koordination."))
    try:
        services.attendance_check_session(session)
        closed_reason = ""
    except ValidationError as error:
        closed_reason = " ".join(error.messages)
    return {
        "session": session,
        "run": run,
        "rows": session_attendance(session),
        "statuses": Attendance.Status.choices,
        "closed_reason": closed_reason,
    }


@member_required
def session_attendance_page(request, session_pk: int):
    """One tap per participant (htmx saves each at once); without JavaScript the whole
    form is sent with the button at the end."""
    session = _session_for(request, session_pk)
    context = _attendance_context(request, session)
    if request.method == "POST":
        if context["closed_reason"]:
            messages.error(request, context["closed_reason"])
            return redirect("participants:attendance", session_pk=session.pk)
        saved = 0
        errors = []
        for enrollment, _mark in context["rows"]:
            status = request.POST.get(f"status-{enrollment.pk}")
            if not status:
                continue
            try:
                services.attendance_record(
                    session=session, enrollment=enrollment, status=status, user=request.user
                )
            except ValidationError as error:
                errors.append(f"{enrollment.participant}: {' '.join(error.messages)}")
            else:
                saved += 1
        for error in errors:
            messages.error(request, error)
        if saved or not errors:
            messages.success(
                request,
                ngettext(
                    "Anwesenheit gespeichert (%(n)d Eintrag).",
                    "Anwesenheit gespeichert (%(n)d Einträge).",
                    saved,
                )
                % {"n": saved},
            )
        return redirect("participants:attendance", session_pk=session.pk)
    return render(request, "participants/attendance.html", context)


@require_POST
@member_required
def attendance_mark(request, session_pk: int, enrollment_pk: int):
    """Save one participant's mark; answers with the participant's updated fieldset."""
    session = _session_for(request, session_pk)
    enrollment = get_object_or_404(
        Enrollment.objects.filter(run_id=session.run_id)
        .in_attendance()
        .select_related("participant"),
        pk=enrollment_pk,
    )
    status = request.POST.get(f"status-{enrollment.pk}") or request.POST.get("status", "")
    error = ""
    try:
        mark = services.attendance_record(
            session=session, enrollment=enrollment, status=status, user=request.user
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
        mark = Attendance.objects.filter(session=session, enrollment=enrollment).first()
    context = {
        "session": session,
        "enrollment": enrollment,
        "closed_reason": error
        if session.is_cancelled or session.date > timezone.localdate()
        else "",
        "mark": mark,
        "statuses": Attendance.Status.choices,
        "saved": not error,
        "error": error,
    }
    if request.htmx:
        context["announce"] = True
        return render(request, "participants/partials/attendance_row.html", context)
    if error:
        messages.error(request, error)
    return redirect("participants:attendance", session_pk=session.pk)


@member_required
def attendance_matrix_page(request, run_pk: int):
    run = _run_for(request, run_pk)
    sessions, rows, changes = attendance_matrix(run)
    audit_log(
        user=request.user,
        organization=request.organization,
        action=AuditLogEntry.Action.VIEW,
        obj=run,
        details={"page": "attendance_matrix"},
    )
    today = timezone.localdate()
    for session in sessions:
        session.can_mark = not session.is_cancelled and session.date <= today
    today_session = next((s for s in sessions if s.date == today and not s.is_cancelled), None)
    return render(
        request,
        "participants/matrix.html",
        {
            "run": run,
            "sessions": sessions,
            "rows": rows,
            "changes": changes,
            "today_session": today_session,
        },
    )


# Certificates and documents ---------------------------------------------------------------


@member_required
def certificates_page(request, run_pk: int):
    run = _run_for(request, run_pk)
    summaries = attendance_summaries(run)
    issued = {c.participant_id: c for c in Certificate.objects.filter(run=run)}
    for summary in summaries:
        certificate = issued.get(summary.enrollment.participant_id)
        summary.certificate = certificate if certificate and not certificate.is_revoked else None
        summary.revoked = certificate if certificate and certificate.is_revoked else None
    return render(request, "participants/certificates.html", {"run": run, "summaries": summaries})


@require_POST
@member_required
def document_create(request, run_pk: int, kind: str):
    """Ask a worker for a document of this run; the page then shows its progress."""
    run = _run_for(request, run_pk)
    document_kind = documents.kind_or_404(f"participants.{kind}")
    form = document_kind.form(request.POST, organization=request.organization, run=run)
    if not form.is_valid():
        return _document_refused(request, run, form.error_text())
    document = documents.document_request(
        organization=request.organization, kind=document_kind, form=form, user=request.user
    )
    if request.htmx:
        document.refresh_from_db()
        return render(request, "documents/partials/status.html", {"document": document})
    return redirect("documents:detail", pk=document.pk)


def _document_refused(request, run: CourseRun, message: str):
    if request.htmx:
        return render(request, "participants/partials/alert.html", {"message": message})
    messages.error(request, message)
    return redirect("participants:certificates", run_pk=run.pk)


def certificate_verify(request, number: str):
    """Public (no login): confirms a certificate number, showing course, date and initials only."""
    certificate = (
        Certificate.objects.filter(number=number.strip().upper())
        .select_related("run")
        .annotate(last_date=Max("run__sessions__date", filter=Q(run__sessions__is_cancelled=False)))
        .first()
    )
    return render(
        request,
        "participants/verify.html",
        {"certificate": certificate, "number": number},
        status=200 if certificate else 404,
    )


# Handout content --------------------------------------------------------------------------


@coordinator_required
def handout_list(request):
    modules = Module.objects.for_organization(request.organization)
    own = set(
        HandoutContent.objects.filter(organization=request.organization).values_list(
            "module_id", flat=True
        )
    )
    return render(request, "participants/handout_list.html", {"modules": modules, "own": own})


@coordinator_required
def handout_edit(request, module_pk: int):
    module = get_object_or_404(Module.objects.for_organization(request.organization), pk=module_pk)
    content = HandoutContent.objects.filter(
        organization=request.organization, module=module
    ).first()
    content = content or HandoutContent(
        organization=request.organization, module=module, body=handouts.default_body(module)
    )
    form = HandoutContentForm(request.POST or None, instance=content)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, _("Der Handout-Inhalt für %(module)s ist gespeichert.") % {"module": module}
        )
        return redirect("participants:handout_list")
    return render(
        request,
        "participants/handout_edit.html",
        {"module": module, "form": form, "preview": handouts.to_blocks(form["body"].value() or "")},
    )
