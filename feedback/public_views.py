"""The public side: no login, no account, nothing identifying stored.

A code typed on the start page (or read from the QR code) opens the forms that
are due: the well-being form before the course, and after the last session the
well-being form again plus the course feedback.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import services, throttle
from .forms import AnswerForm, CodeForm
from .models import Response

MOMENT_SLUGS = {
    "vorher": Response.Moment.BEFORE,
    "nachher": Response.Moment.AFTER,
    "kurs": Response.Moment.COURSE,
}
SLUG_OF = {moment: slug for slug, moment in MOMENT_SLUGS.items()}


def _throttled(request):
    """The daily ceiling of wrong codes from one address (only a script reaches it)."""
    return render(request, "feedback/public/throttled.html", status=429)


def _wait_message(seconds: int) -> str:
    if seconds > 90:
        minutes = round(seconds / 60)
        return ngettext(
            "Bitte warten Sie %(n)d Minute und versuchen Sie es erneut.",
            "Bitte warten Sie %(n)d Minuten und versuchen Sie es erneut.",
            minutes,
        ) % {"n": minutes}
    return ngettext(
        "Bitte warten Sie %(n)d Sekunde und versuchen Sie es erneut.",
        "Bitte warten Sie %(n)d Sekunden und versuchen Sie es erneut.",
        seconds,
    ) % {"n": seconds}


def _wrong_code(request, form: CodeForm, error: services.CodeError):
    """The reason at the field; after many wrong codes from this address also how long
    to wait (a correct code of someone else in the room still works meanwhile)."""
    wait = throttle.record_wrong_code(request)
    form.add_error("code", str(error))
    if not wait:
        return render(request, "feedback/public/start.html", {"form": form}, status=404)
    form.add_error("code", _wait_message(wait))
    response = render(request, "feedback/public/start.html", {"form": form}, status=429)
    response["Retry-After"] = str(wait)
    return response


def start(request):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if throttle.over_daily_limit(request):
            return _throttled(request)
        try:
            code, _dates = services.code_open(code=form.cleaned_data["code"])
        except services.CodeError as error:
            return _wrong_code(request, form, error)
        return redirect("feedback:public_code", code=code.code)
    return render(request, "feedback/public/start.html", {"form": form})


def _open(request, code: str):
    """(feedback code, open moments) or a response to show instead."""
    if throttle.over_daily_limit(request):
        return None, _throttled(request)
    try:
        feedback_code, dates = services.code_open(code=code)
    except services.CodeError as error:
        form = CodeForm({"code": code})
        form.is_valid()
        return None, _wrong_code(request, form, error)
    return (feedback_code, dates, services.moments_open(dates, timezone.localdate())), None


def code_page(request, code: str):
    opened, refusal = _open(request, code)
    if refusal:
        return refusal
    feedback_code, dates, moments = opened
    done = set(Response.objects.filter(code=feedback_code).values_list("moment", flat=True))
    forms = [
        {"moment": m, "slug": SLUG_OF[m], "label": Response.Moment(m).label, "done": m in done}
        for m in moments
    ]
    return render(
        request,
        "feedback/public/code.html",
        {
            "code": feedback_code,
            "forms": forms,
            "all_done": bool(forms) and all(f["done"] for f in forms),
            "after_opens_on": dates.last,
        },
    )


def form_page(request, code: str, moment: str):
    if moment not in MOMENT_SLUGS:
        raise Http404
    opened, refusal = _open(request, code)
    if refusal:
        return refusal
    feedback_code, _dates, moments = opened
    moment = MOMENT_SLUGS[moment]
    if moment not in moments:
        messages.info(request, _("Dieser Fragebogen ist gerade nicht an der Reihe."))
        return redirect("feedback:public_code", code=feedback_code.code)
    context = {"code": feedback_code, "moment": Response.Moment(moment)}
    if services.response_exists(code=feedback_code, moment=moment):
        return render(request, "feedback/public/already.html", context)
    return _answer(request, feedback_code, moment, context)


def _answer(request, feedback_code, moment: str, context: dict):
    """The questionnaire that is due, kept as typed when an answer is missing."""
    organization = feedback_code.run.organization
    questionnaire = services.questionnaire_for(organization=organization, moment=moment)
    items = list(questionnaire.items.order_by("position", "pk"))
    form = AnswerForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_submit(
                code=feedback_code,
                questionnaire=questionnaire,
                moment=moment,
                answers=form.answers(),
            )
        except services.AlreadySubmitted:  # a double submit: the first one counts
            return render(request, "feedback/public/already.html", context)
        messages.success(request, _("Vielen Dank! Ihre Antworten sind gespeichert."))
        return redirect("feedback:public_code", code=feedback_code.code)
    context.update(questionnaire=questionnaire, form=form)
    return render(request, "feedback/public/form.html", context)
