"""The feedback app's documents, one class per kind (rendered by the Celery worker).
Neither names a person: code slips are anonymous, the year report shows only groups."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aktiva.documents import DocumentForm, DocumentKind, register
from aktiva.models import Document
from aktiva.pdf import qr_data_uri, render_pdf
from trainings.models import CourseRun

from . import charts, selectors
from .models import FeedbackCode

SLIPS_PER_PAGE = 10  # two columns, five rows on A4
FIRST_YEAR, LAST_YEAR = 2000, 2100  # years a report can be asked for


class CodeSlipsForm(DocumentForm):
    def clean(self):
        if not self.run.feedback_codes.exists():
            raise forms.ValidationError(_("Bitte erzeugen Sie zuerst Codes."))
        return super().clean()


@register
class CodeSlips(DocumentKind):
    key = "feedback.code_slips"
    label = gettext_lazy("Feedback-Codes zum Ausschneiden")
    names_people = False
    form_class = CodeSlipsForm

    def render(self, document: Document) -> tuple[str, bytes]:
        run = CourseRun.objects.get(pk=document.params["run"], organization=document.organization)
        codes = FeedbackCode.objects.filter(run=run).order_by("pk")
        start_url = document.public_url(reverse("feedback:public_start"))
        slips = [
            {
                "code": code,
                "qr": qr_data_uri(
                    document.public_url(reverse("feedback:public_code", args=[code.code]))
                ),
            }
            for code in codes
        ]
        pdf = render_pdf(
            "pdf/feedback/code_slips.html",
            {
                "run": run,
                "pages": [
                    slips[i : i + SLIPS_PER_PAGE] for i in range(0, len(slips), SLIPS_PER_PAGE)
                ],
                "start_url": start_url,
                "organization": run.organization,
            },
        )
        return f"feedback-codes-{run.pk}.pdf", pdf


class YearReportForm(DocumentForm):
    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def params(self) -> dict:
        return {"year": self.cleaned_data["year"]}

    def title_parts(self) -> list[str]:
        return [str(self.cleaned_data["year"])]


@register
class YearReport(DocumentKind):
    key = "feedback.year_report"
    label = gettext_lazy("Jahresauswertung")
    names_people = False
    form_class = YearReportForm
    in_readers_language = True

    def render(self, document: Document) -> tuple[str, bytes]:
        year = int(document.params["year"])
        context = year_report_context(document.organization, year)
        return f"jahresauswertung-{year}.pdf", render_pdf("pdf/feedback/year_report.html", context)


def year_report_context(organization, year: int, *, runs_shown: int | None = None) -> dict:
    """The year report's figures; the PDF lists every run, the page the first `runs_shown`
    (the rest are on pages of their own)."""
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
        "runs": selectors.year_runs(
            organization, year, results=now, run_ids=now.run_ids[:runs_shown]
        ),
        "runs_total": len(now.run_ids),
        "texts": selectors.year_texts(organization, year, now) if runs_shown is None else None,
        "min_answers": selectors.MIN_ANSWERS,
        "cutoff": selectors.WHO5_CUTOFF,
        "means_chart": charts.means_chart(comparison),
        "distribution_chart": charts.distribution_chart(now.scale_items) if now.shown else None,
        "wellbeing_chart": charts.wellbeing_chart(
            [(str(year - 1), previous.wellbeing), (str(year), now.wellbeing)]
        ),
    }
