"""Attendance in the room (one tap per person, or the whole list without JavaScript),
today's sessions and the matrix of a run."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from aktiva.access import member_required
from aktiva.audit import audit_request
from aktiva.models import AuditLogEntry
from trainings.models import CourseRun, Session

from .. import selectors, services
from ..models import Attendance, Enrollment
from .lookups import run_for, session_for


@member_required
def today(request):
    """Today's sessions of the user's runs: where a trainer starts on the phone."""
    sessions = (
        Session.objects.visible_to(request.membership)
        .filter(date=timezone.localdate(), is_cancelled=False)
        .exclude(run__status=CourseRun.Status.CANCELLED)
        .select_related("run", "location", "run__location")
    )
    return render(request, "participants/today.html", {"sessions": sessions})


@member_required
def session_attendance_page(request, session_pk: int):
    """One tap per participant (htmx saves each at once); without JavaScript the whole
    form is sent with the button at the end."""
    session = session_for(request, session_pk)
    if request.method == "POST":
        _record_list(request, session)
        return redirect("participants:attendance", session_pk=session.pk)
    audit_request(
        request, AuditLogEntry.Action.VIEW, session.run, page="attendance", session=session.pk
    )
    context = {
        "session": session,
        "run": session.run,
        "rows": selectors.session_attendance(session),
    }
    context.update(statuses=Attendance.buttons(), reasons=Attendance.ExcuseReason.choices)
    context["closed_reason"] = services.attendance_closed_reason(session)
    context["undo"] = (request.session.get(UNDO) or {}).get("session") == session.pk
    return render(request, "participants/attendance.html", context)


def _excuse_reasons(post, marks: dict[int, str]) -> dict[int, str]:
    """The kind of excuse per row, read only where the row is excused: a reason switch
    left on the page from before is not a change of an "anwesend"."""
    return {
        pk: post.get(f"reason-{pk}", "")
        for pk, status in marks.items()
        if status == Attendance.Status.EXCUSED and post.get(f"reason-{pk}")
    }


def _record_list(request, session: Session) -> None:
    marks = {
        int(key.removeprefix("status-")): value
        for key, value in request.POST.items()
        if key.startswith("status-") and key.removeprefix("status-").isdigit() and value
    }
    try:
        result = services.attendance_record_many(
            session=session,
            marks=marks,
            reasons=_excuse_reasons(request.POST, marks),
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return
    for enrollment_id, message in result.errors.items():
        found = result.enrollments.get(enrollment_id)
        messages.error(request, f"{found.participant if found else enrollment_id}: {message}")
    n = len(result.marks)
    if n or not result.errors:
        saved = ngettext(
            "Anwesenheit gespeichert (%(n)d Eintrag).",
            "Anwesenheit gespeichert (%(n)d Einträge).",
            n,
        )
        messages.success(request, saved % {"n": n})


UNDO = "attendance_all_present"  # in the session: what the last "Alle anwesend" set


@require_POST
@member_required
def attendance_all_present(request, session_pk: int):
    session = session_for(request, session_pk)
    try:
        marked = services.attendance_all_present(session=session, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        request.session[UNDO] = {"session": session.pk, "enrollments": marked}
        n = len(marked)
        message = ngettext(
            "%(n)d Person als anwesend eingetragen.", "%(n)d Personen als anwesend eingetragen.", n
        )
        messages.success(request, message % {"n": n})
    return redirect("participants:attendance", session_pk=session.pk)


@require_POST
@member_required
def attendance_undo(request, session_pk: int):
    session = session_for(request, session_pk)
    undo = request.session.pop(UNDO, None) or {}
    if undo.get("session") == session.pk:
        try:
            n = services.attendance_undo_all_present(
                session=session, enrollment_ids=undo["enrollments"], user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.info(request, _("Rückgängig gemacht: %(n)d Einträge entfernt.") % {"n": n})
    return redirect("participants:attendance", session_pk=session.pk)


@require_POST
@member_required
def attendance_mark(request, session_pk: int, enrollment_pk: int):
    """Save one participant's mark; answers with the participant's updated fieldset.
    One tap costs six queries: session and user, the session, the person with their
    current mark and the permission, the mark, the history."""
    session = session_for(request, session_pk)
    status = request.POST.get(f"status-{enrollment_pk}") or request.POST.get("status", "")
    context = {
        "session": session,
        "statuses": Attendance.buttons(),
        "reasons": Attendance.ExcuseReason.choices,
    }
    tapped_at = _tapped_at(request.POST.get("tapped_at", ""), request.POST.get("sent_at", ""))
    if tapped_at is False:
        context["enrollment"] = _row(session, enrollment_pk)
        context["mark"] = context["enrollment"].attendances.filter(session=session).first()
        context["error"] = _("Die Uhrzeit der Auswahl ist ungültig; bitte noch einmal antippen.")
        return _mark_answer(request, session, context, status=400)
    marks = {enrollment_pk: status}
    try:
        result = services.attendance_record_many(
            session=session,
            marks=marks,
            reasons=_excuse_reasons(request.POST, marks),
            user=request.user,
            tapped_at=tapped_at,
        )
    except ValidationError as error:  # the session takes no marks: the row stays disabled
        context["closed_reason"] = context["error"] = " ".join(error.messages)
        context["enrollment"] = _row(session, enrollment_pk)
        context["mark"] = context["enrollment"].attendances.filter(session=session).first()
    else:
        context["enrollment"] = result.enrollments.get(enrollment_pk) or _row(
            session, enrollment_pk
        )
        context["mark"] = result.marks.get(enrollment_pk)
        context["error"] = result.errors.get(enrollment_pk, "")
        context["outdated"] = enrollment_pk in result.outdated
    return _mark_answer(request, session, context)


def _tapped_at(tapped: str, sent: str) -> datetime | None | bool:
    """When the tap was made, on the server's clock: None when not given, False when it is
    no time. static/js/attendance.js sends the time of the tap and of sending (ISO 8601,
    both by the phone's clock): a kept tap arrives later, and a phone's clock may be off
    by minutes, which would make its taps lose against changes made since. The tap's age
    by the phone's clock, taken from the server's now, is free of that offset."""
    if not tapped:
        return None
    tapped_at, sent_at = _parse_time(tapped), _parse_time(sent)
    if tapped_at is None or (sent and sent_at is None):
        return False
    if sent_at is None:
        return tapped_at
    return timezone.now() - max(sent_at - tapped_at, timedelta(0))


def _parse_time(value: str) -> datetime | None:
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        return None
    if parsed is None:
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _row(session: Session, enrollment_pk: int) -> Enrollment:
    """A person with a place in the session's run, or 404."""
    people = Enrollment.objects.filter(run_id=session.run_id).in_attendance()
    return get_object_or_404(people.select_related("participant"), pk=enrollment_pk)


def _mark_answer(request, session: Session, context: dict, status: int = 200):
    if request.htmx:
        saved = not context["error"] and not context.get("outdated")
        context.update(announce=True, saved=saved)
        return render(request, "participants/partials/attendance_row.html", context, status=status)
    if context["error"]:
        messages.error(request, context["error"])
    return redirect("participants:attendance", session_pk=session.pk)


@member_required
def attendance_matrix_page(request, run_pk: int):
    run = run_for(request, run_pk)
    audit_request(request, AuditLogEntry.Action.VIEW, run, page="attendance_matrix")
    return render(request, "participants/matrix.html", selectors.matrix_page(run))
