from django import template
from django.db.models import Count, Q
from django.utils.formats import number_format

from aktiva.models import Document
from feedback.documents import CodeSlips
from feedback.models import FeedbackCode

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """0.75 → "75 %"; empty shares show a dash."""
    if share is None:
        return "–"
    return f"{number_format(share * 100, 0)} %"


@register.filter
def decimal(value: float | None, places: int = 1) -> str:
    if value is None:
        return "–"
    return number_format(value, places)


@register.filter
def signed(value: float | None) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + number_format(value, 1)


@register.inclusion_tag("feedback/partials/run_section_body.html", takes_context=True)
def feedback_run_section(context, run):
    """Feedback codes and results on a run's page, in three queries."""
    request = context["request"]
    counts = FeedbackCode.objects.filter(run=run).aggregate(
        total=Count("pk", distinct=True),
        used=Count("pk", filter=Q(responses__isnull=False), distinct=True),
        answers=Count("responses", filter=Q(responses__moment="course")),
    )
    document = (
        Document.objects.visible_to(request.membership).of_kind(CodeSlips.key, run=run.pk).first()
    )
    return {
        "run": run,
        "codes_total": counts["total"],
        "codes_used": counts["used"],
        "course_answers": counts["answers"],
        "document": document,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
