"""Staff pages: codes and results of a run, the year report, exports, questionnaires."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aktiva import documents
from aktiva.access import coordinator_required, member_required
from aktiva.addresses import request_base_url
from aktiva.documents import DocumentKind, kind_for
from aktiva.forms import add_service_errors
from aktiva.models import Document
from aktiva.paging import page_without_count
from trainings.models import CourseRun

from . import charts, exports, selectors, services
from .documents import CodeSlips, YearReport, year_report_context
from .forms import GenerateCodesForm, ItemForm, QuestionnaireForm
from .models import Questionnaire

CODE_SLIPS = kind_for(CodeSlips.key)
YEAR_REPORT = kind_for(YearReport.key)


def _run_for(request, pk: int) -> CourseRun:
    return get_object_or_404(CourseRun.objects.visible_to(request.membership), pk=pk)


def _documents(request, kind: DocumentKind, **params) -> list[Document]:
    """The last few documents of this kind that the member may see."""
    return list(Document.objects.visible_to(request.membership).of_kind(kind.key, **params)[:3])


def _document_request(request, kind: DocumentKind, *, run=None, data=None) -> None:
    form = kind.form(data, organization=request.organization, run=run)
    if form.is_valid():
        documents.document_request(
            organization=request.organization,
            kind=kind,
            form=form,
            user=request.user,
            base_url=request_base_url(request),
        )
    else:
        messages.error(request, form.error_text())


@member_required
def run_results(request, pk: int):
    run = _run_for(request, pk)
    results = selectors.run_results(run)
    context = {
        "run": run,
        "results": results,
        "min_answers": selectors.MIN_ANSWERS,
        "cutoff": selectors.WHO5_CUTOFF,
        "distribution_chart": charts.distribution_chart(results.scale_items)
        if results.shown
        else None,
        "wellbeing_chart": charts.wellbeing_chart([("", results.wellbeing)]),
    }
    return render(request, "feedback/run_results.html", context)


@member_required
def run_codes(request, pk: int):
    run = _run_for(request, pk)
    form = GenerateCodesForm(
        request.POST or None, initial={"count": services.default_code_count(run)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.feedback_codes_generate(run=run, count=form.cleaned_data["count"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            n = len(codes)
            messages.success(
                request,
                ngettext("%(n)d neuer Code erzeugt.", "%(n)d neue Codes erzeugt.", n) % {"n": n},
            )
            return redirect("feedback:run_codes", pk=run.pk)
    context = {"form": form, **selectors.codes_page(run, base_url=request_base_url(request))}
    context["documents"] = _documents(request, CODE_SLIPS, run=run.pk)
    return render(request, "feedback/run_codes.html", context)


@require_POST
@member_required
def run_codes_print(request, pk: int):
    run = _run_for(request, pk)
    _document_request(request, CODE_SLIPS, run=run, data={})
    return redirect("feedback:run_codes", pk=run.pk)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise Http404


# The report shows the year at a glance: the first runs and a few free-text answers of each
# question; the rest are on paged views of their own (the PDF keeps every one).
RUNS_ON_REPORT = 10
RUNS_PER_PAGE = 25
TEXTS_PER_PAGE = 50


@coordinator_required
def year_report(request, year: int | None = None):
    if year is None:
        return redirect("feedback:year_report_year", year=timezone.localdate().year)
    _check_year(year)
    context = year_report_context(request.organization, year, runs_shown=RUNS_ON_REPORT)
    context["texts_shown"] = selectors.TEXTS_PREVIEW
    context["texts_url"] = reverse("feedback:year_texts", args=[year])
    # The figures' part of the page is kept rendered under the keys of both years' figures
    # and the language: exact as they are.
    now, previous = context["results"], context["previous"]
    context["results_html"] = selectors.remembered(
        f"feedback:year-html:{now.key}:{previous.key}:{get_language()}",
        lambda: render_to_string("feedback/partials/results.html", context),
    )
    context["documents"] = _documents(request, YEAR_REPORT, year=year)
    context["years"] = range(timezone.localdate().year, timezone.localdate().year - 5, -1)
    return render(request, "feedback/year_report.html", context)


@coordinator_required
def year_runs(request, year: int):
    """Every run of the year report, a page at a time, in the report's order."""
    _check_year(year)
    results = selectors.year_results(request.organization, year)
    page = page_without_count(results.run_ids, request.GET.get("page"), RUNS_PER_PAGE)
    context = {
        "year": year,
        "page": page,
        "runs": selectors.year_runs(
            request.organization, year, results=results, run_ids=page.object_list
        ),
        "runs_total": len(results.run_ids),
    }
    return render(request, "feedback/year_runs.html", context)


@coordinator_required
def year_texts(request, year: int):
    """The free-text answers of one question of the year, a page at a time, in alphabetical
    order (which says nothing about when anyone answered); none below MIN_ANSWERS."""
    _check_year(year)
    results = selectors.year_results(request.organization, year)
    texts = selectors.year_texts(request.organization, year, results)
    asked = request.GET.get("frage", "")
    text = next((t for t in texts if t.key == asked), texts[0] if texts else None)
    page = (
        page_without_count(text.answers, request.GET.get("page"), TEXTS_PER_PAGE) if text else None
    )
    context = {
        "year": year,
        "results": results,
        "texts": texts,
        "text": text,
        "page": page,
        "start": (page.number - 1) * TEXTS_PER_PAGE if page else 0,
        "query": urlencode({"frage": text.key}) if text else "",
        "min_answers": selectors.MIN_ANSWERS,
    }
    return render(request, "feedback/year_texts.html", context)


@require_POST
@coordinator_required
def year_report_pdf(request, year: int):
    _check_year(year)
    _document_request(request, YEAR_REPORT, data={"year": year})
    return redirect("feedback:year_report_year", year=year)


@coordinator_required
def year_export(request, year: int, fmt: str):
    _check_year(year)
    if fmt == "csv":
        content = exports.answers_csv(request.organization, year)
        content_type = "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        content = exports.answers_xlsx(request.organization, year)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="antworten-{year}.{fmt}"'
    return response


# Questionnaires -------------------------------------------------------------------------------


def _questionnaire_for(request, pk: int) -> Questionnaire:
    return get_object_or_404(Questionnaire.objects.for_organization(request.organization), pk=pk)


def _own_questionnaire(request, pk: int) -> Questionnaire:
    return get_object_or_404(Questionnaire.objects.filter(organization=request.organization), pk=pk)


@coordinator_required
def questionnaire_list(request):
    questionnaires = (
        Questionnaire.objects.for_organization(request.organization)
        .current()
        .order_by("organization_id", "title")
    )
    own_active = any(q.is_active for q in questionnaires if q.organization_id)
    return render(
        request,
        "feedback/questionnaire_list.html",
        {"questionnaires": questionnaires, "own_active": own_active},
    )


@coordinator_required
def questionnaire_create(request):
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        questionnaire = services.questionnaire_create(
            organization=request.organization, **form.cleaned_data
        )
        return redirect("feedback:questionnaire_detail", pk=questionnaire.pk)
    return render(request, "feedback/questionnaire_form.html", {"form": form})


@coordinator_required
def questionnaire_detail(request, pk: int):
    questionnaire = _questionnaire_for(request, pk)
    form = QuestionnaireForm.for_questionnaire(questionnaire, request.POST or None)
    if request.method == "POST":
        if questionnaire.is_shipped:
            raise PermissionDenied
        if form.is_valid():
            try:
                version = services.questionnaire_update(
                    questionnaire=questionnaire, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Gespeichert."))
                return redirect("feedback:questionnaire_detail", pk=version.pk)
    context = {"form": form, **selectors.questionnaire_page(questionnaire)}
    return render(request, "feedback/questionnaire_detail.html", context)


@require_POST
@coordinator_required
def questionnaire_copy(request, pk: int):
    source = _questionnaire_for(request, pk)
    try:
        copy = services.questionnaire_copy(questionnaire=source, organization=request.organization)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("feedback:questionnaire_list")
    messages.success(request, _("Kopie angelegt. Sie können sie jetzt anpassen."))
    return redirect("feedback:questionnaire_detail", pk=copy.pk)


@require_POST
@coordinator_required
def questionnaire_activate(request, pk: int):
    questionnaire = _own_questionnaire(request, pk)
    try:
        services.questionnaire_activate(questionnaire=questionnaire)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Neue Rückmeldungen werden mit diesem Fragebogen erfasst."))
    return redirect("feedback:questionnaire_list")


@require_POST
@coordinator_required
def questionnaire_use_default(request):
    services.questionnaire_use_default(organization=request.organization)
    messages.success(
        request, _("Neue Rückmeldungen werden mit dem mitgelieferten Fragebogen erfasst.")
    )
    return redirect("feedback:questionnaire_list")


@coordinator_required
def item_edit(request, pk: int, key: str | None = None):
    questionnaire = _own_questionnaire(request, pk)
    item = get_object_or_404(questionnaire.items, key=key) if key else None
    form = ItemForm.for_item(item, request.POST or None) if item else ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.item_save(questionnaire=questionnaire, item_key=key, **form.item())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("feedback:questionnaire_detail", pk=saved.questionnaire_id)
    context = {"questionnaire": questionnaire, "item": item, "form": form}
    return render(request, "feedback/item_form.html", context)


@require_POST
@coordinator_required
def item_delete(request, pk: int, key: str):
    questionnaire = _own_questionnaire(request, pk)
    get_object_or_404(questionnaire.items, key=key)
    try:
        questionnaire = services.item_delete(questionnaire=questionnaire, item_key=key)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("feedback:questionnaire_detail", pk=questionnaire.pk)


@require_POST
@coordinator_required
def item_move(request, pk: int, key: str):
    questionnaire = _own_questionnaire(request, pk)
    get_object_or_404(questionnaire.items, key=key)
    up = request.POST.get("direction") == "up"
    try:
        questionnaire = services.item_move(questionnaire=questionnaire, item_key=key, up=up)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("feedback:questionnaire_detail", pk=questionnaire.pk)
