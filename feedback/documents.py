"""PDF renderers registered with aktiva.documents (rendered by the Celery worker)."""

from django.conf import settings
from django.urls import reverse

from aktiva.models import Document
from aktiva.pdf import qr_data_uri, render_pdf
from trainings.models import CourseRun

from . import charts, selectors
from .models import FeedbackCode

CODE_SLIPS = "feedback_codes"
YEAR_REPORT = "feedback_year_report"
SLIPS_PER_PAGE = 10  # two columns, five rows on A4


def public_url(path: str = "") -> str:
    return settings.AKTIVA_PUBLIC_URL + path


def render_code_slips(document: Document) -> tuple[str, bytes]:
    run = CourseRun.objects.get(pk=document.params["run_id"], organization=document.organization)
    codes = FeedbackCode.objects.filter(run=run).order_by("pk")
    start_url = public_url(reverse("feedback:public_start"))
    slips = [
        {
            "code": code,
            "qr": qr_data_uri(public_url(reverse("feedback:public_code", args=[code.code]))),
        }
        for code in codes
    ]
    pdf = render_pdf(
        "pdf/feedback/code_slips.html",
        {
            "run": run,
            "pages": [slips[i : i + SLIPS_PER_PAGE] for i in range(0, len(slips), SLIPS_PER_PAGE)],
            "start_url": start_url,
            "organization": run.organization,
        },
    )
    return f"feedback-codes-{run.pk}.pdf", pdf


def year_report_context(organization, year: int) -> dict:
    now = selectors.year_results(organization, year)
    previous = selectors.year_results(organization, year - 1)
    comparison = selectors.compare(now, previous)
    return {
        "organization": organization,
        "year": year,
        "previous_year": year - 1,
        "results": now,
        "previous": previous,
        "comparison": comparison,
        "runs": selectors.year_runs(organization, year),
        "min_answers": selectors.MIN_ANSWERS,
        "cutoff": selectors.WHO5_CUTOFF,
        "means_chart": charts.means_chart(comparison),
        "distribution_chart": charts.distribution_chart(now.scale_items) if now.shown else None,
        "wellbeing_chart": charts.wellbeing_chart(
            [(str(year - 1), previous.wellbeing), (str(year), now.wellbeing)]
        ),
    }


def render_year_report(document: Document) -> tuple[str, bytes]:
    year = int(document.params["year"])
    context = year_report_context(document.organization, year)
    return f"jahresauswertung-{year}.pdf", render_pdf("pdf/feedback/year_report.html", context)
