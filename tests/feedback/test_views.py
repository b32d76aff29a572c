"""Staff pages: access per role and organization, database state, query counts."""

import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from aktiva.models import Document
from feedback.models import FeedbackCode
from tests.factories import run_with_sessions

from .factories import FeedbackCodeFactory, submit_course, submit_who5

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(org, trainer):
    return run_with_sessions(org, first=date(2026, 3, 2), trainers=[trainer], count=8)[0]


@pytest.fixture
def unassigned_run(org):
    return run_with_sessions(org, first=date(2026, 3, 2), count=8)[0]


def _status(client, url, method="get", **data):
    return getattr(client, method)(url, data).status_code


@pytest.mark.parametrize("name", ["feedback:run_results", "feedback:run_codes"])
def test_run_pages_by_role_and_organization(
    name, run, unassigned_run, anonymous_client, coordinator_client, trainer_client, outsider_client
):
    url = reverse(name, args=[run.pk])
    response = anonymous_client.get(url)
    assert response.status_code == 302 and "/konto/" in response["Location"]
    assert _status(outsider_client, url) == 404
    assert _status(trainer_client, reverse(name, args=[unassigned_run.pk])) == 404
    assert _status(trainer_client, url) == 200
    assert _status(coordinator_client, url) == 200
    assert _status(coordinator_client, reverse(name, args=[unassigned_run.pk])) == 200


def test_generating_codes_adds_them_to_the_run(trainer_client, run):
    url = reverse("feedback:run_codes", args=[run.pk])
    response = trainer_client.post(url, {"count": "14"})
    assert response.status_code == 302
    assert FeedbackCode.objects.filter(run=run).count() == 14


def test_generating_a_silly_number_keeps_the_input_and_says_why(coordinator_client, run):
    response = coordinator_client.post(
        reverse("feedback:run_codes", args=[run.pk]), {"count": "500"}
    )
    assert response.status_code == 200
    assert 'value="500"' in response.content.decode()
    assert not FeedbackCode.objects.exists()


def test_other_organizations_cannot_generate_codes(outsider_client, run):
    assert (
        _status(outsider_client, reverse("feedback:run_codes", args=[run.pk]), "post", count=5)
        == 404
    )
    assert not FeedbackCode.objects.exists()


def test_printing_codes_renders_a_pdf_of_slips(
    trainer_client, run, django_capture_on_commit_callbacks
):
    FeedbackCodeFactory.create_batch(3, run=run)
    with django_capture_on_commit_callbacks(execute=True):
        response = trainer_client.post(reverse("feedback:run_codes_print", args=[run.pk]))
    assert response.status_code == 302
    document = Document.objects.get(kind="feedback.code_slips")
    assert document.status == Document.Status.DONE, document.get_failure_display()
    assert document.file.read().startswith(b"%PDF")
    page = trainer_client.get(reverse("feedback:run_codes", args=[run.pk])).content.decode()
    assert reverse("documents:download", args=[document.pk]) in page


def test_print_needs_post(trainer_client, run):
    assert _status(trainer_client, reverse("feedback:run_codes_print", args=[run.pk])) == 405


def test_results_page_withholds_figures_below_three_answers(coordinator_client, run):
    for value in (1, 2):
        submit_course(FeedbackCodeFactory(run=run), scale=value, helped="Einzigartige Antwort")
    html = coordinator_client.get(reverse("feedback:run_results", args=[run.pk])).content.decode()
    assert "erst ab 3 Rückmeldungen" in html
    assert "Einzigartige Antwort" not in html
    submit_course(FeedbackCodeFactory(run=run), scale=3)
    html = coordinator_client.get(reverse("feedback:run_results", args=[run.pk])).content.decode()
    assert "Einzigartige Antwort" in html and "<svg" in html


def _fill(run, count):
    for i in range(count):
        code = FeedbackCodeFactory(run=run)
        submit_who5(code, "before", [2, 2, 3, 3, i % 6])
        submit_who5(code, "after", [3, 3, 3, 4, i % 6])
        submit_course(code, scale=(i % 5) + 1, recommend=i % 4 != 0, helped=f"Antwort {i}")


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_results_page_queries_do_not_grow_with_answers(coordinator_client, org, trainer):
    small = run_with_sessions(org, first=date(2026, 3, 2), count=8)[0]
    large = run_with_sessions(org, first=date(2026, 4, 6), count=8)[0]
    _fill(small, 3)
    _fill(large, 60)
    few = _count_queries(coordinator_client, reverse("feedback:run_results", args=[small.pk]))
    many = _count_queries(coordinator_client, reverse("feedback:run_results", args=[large.pk]))
    assert few == many <= 12


def test_year_report_queries_do_not_grow_with_answers(coordinator_client, org):
    _fill(run_with_sessions(org, first=date(2025, 3, 2), count=8)[0], 3)
    first = _count_queries(coordinator_client, reverse("feedback:year_report_year", args=[2025]))
    _fill(run_with_sessions(org, first=date(2025, 5, 4), count=8)[0], 60)
    second = _count_queries(coordinator_client, reverse("feedback:year_report_year", args=[2025]))
    assert first == second <= 25


def test_year_report_is_for_coordinators_of_the_organization(
    anonymous_client, trainer_client, coordinator_client, outsider_client, org, run
):
    _fill(run, 3)
    url = reverse("feedback:year_report_year", args=[2026])
    assert anonymous_client.get(url).status_code == 302
    assert trainer_client.get(url).status_code == 403
    assert "Antwort 1" not in outsider_client.get(url).content.decode()
    html = coordinator_client.get(url).content.decode()
    assert "Jahresauswertung 2026" in html and "Vergleich mit 2025" in html and "Antwort 1" in html
    assert coordinator_client.get(reverse("feedback:year_report")).status_code == 302


def test_year_report_pdf_is_rendered_by_the_worker(
    coordinator_client, trainer_client, run, django_capture_on_commit_callbacks
):
    _fill(run, 7)  # more free texts than the page shows: the PDF keeps every one
    url = reverse("feedback:year_report_pdf", args=[2026])
    assert trainer_client.post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert coordinator_client.post(url).status_code == 302
    document = Document.objects.get(kind="feedback.year_report")
    assert document.status == Document.Status.DONE, document.get_failure_display()
    with document.file.open("rb") as f:
        pdf = f.read()
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert all(f"Antwort {i}" in text for i in range(7))


def test_exports_hold_anonymous_answers_of_large_enough_groups(
    coordinator_client, trainer_client, org, run
):
    _fill(run, 3)
    small = run_with_sessions(org, first=date(2026, 5, 4), title="Kleiner Kurs", count=8)[0]
    submit_course(FeedbackCodeFactory(run=small), helped="Nur ich")
    url = reverse("feedback:year_export", args=[2026, "csv"])
    assert trainer_client.get(url).status_code == 403
    response = coordinator_client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Durchgang;Fragebogen")
    assert "Antwort 2" in text and "Nur ich" not in text
    assert not any(code.code in text for code in FeedbackCode.objects.all())
    xlsx = coordinator_client.get(reverse("feedback:year_export", args=[2026, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert (
        coordinator_client.get(reverse("feedback:year_export", args=[2026, "pdf"])).status_code
        == 404
    )


def test_run_section_partial_uses_a_constant_number_of_queries(rf, coordinator, run):
    from django.template.loader import render_to_string

    from aktiva.models import Membership

    FeedbackCodeFactory.create_batch(5, run=run)
    request = rf.get("/")
    request.user = coordinator
    request.membership = Membership.objects.get(user=coordinator)
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string(
            "feedback/partials/run_section.html", {"run": run, "request": request}
        )
    assert "5 Feedback-Codes erzeugt" in html
    assert len(queries) == 2


def test_nav_entries_for_coordinators_only(coordinator_client, trainer_client):
    coordinator_html = coordinator_client.get(
        reverse("feedback:questionnaire_list")
    ).content.decode()
    assert reverse("feedback:year_report") in coordinator_html
    assert trainer_client.get(reverse("feedback:questionnaire_list")).status_code == 403


def test_code_validity_is_shown_on_the_codes_page(coordinator_client, org, settings):
    settings.AKTIVA_FEEDBACK_CODE_VALID_DAYS = 28
    first = timezone.localdate()
    run = run_with_sessions(org, first=first, count=1)[0]
    html = coordinator_client.get(reverse("feedback:run_codes", args=[run.pk])).content.decode()
    assert (first + timedelta(days=28)).strftime("%d.%m.%Y") in html


@pytest.mark.parametrize("year", [1999, 2101, 10000, 99999])
def test_years_out_of_range_answer_404_everywhere(coordinator_client, year):
    assert _status(coordinator_client, reverse("feedback:year_report_year", args=[year])) == 404
    for fmt in ("csv", "xlsx"):
        url = reverse("feedback:year_export", args=[year, fmt])
        assert _status(coordinator_client, url) == 404
    url = reverse("feedback:year_report_pdf", args=[year])
    assert _status(coordinator_client, url, "post") == 404
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("public_url", "expected"),
    [("", "http://demo.example:8080"), ("https://aktiva.jobcenter.example", None)],
)
def test_code_slips_print_the_address_they_were_asked_for_on_unless_one_is_set(
    settings, trainer_client, run, django_capture_on_commit_callbacks, public_url, expected
):
    settings.ALLOWED_HOSTS = ["demo.example"]
    settings.AKTIVA_PUBLIC_URL = public_url
    FeedbackCodeFactory.create_batch(2, run=run)
    with django_capture_on_commit_callbacks(execute=True):
        trainer_client.post(
            reverse("feedback:run_codes_print", args=[run.pk]), HTTP_HOST="demo.example:8080"
        )
    document = Document.objects.get(kind="feedback.code_slips")
    assert document.status == Document.Status.DONE, document.get_failure_display()
    with document.file.open("rb") as f:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(f.read())).pages)
    start = (expected or public_url) + reverse("feedback:public_start")
    assert start in text.replace("\n", "") and "127.0.0.1" not in text
    page = trainer_client.get(
        reverse("feedback:run_codes", args=[run.pk]), HTTP_HOST="demo.example:8080"
    )
    assert start in page.content.decode()


def test_year_report_page_shows_a_new_answer_at_once_in_each_language(coordinator_client, org):
    """The figures' part of the page is kept rendered: a new answer set, a deleted one and
    the other language each show at once."""
    run = run_with_sessions(org, first=date(2025, 3, 2), count=8)[0]
    _fill(run, 3)
    url = reverse("feedback:year_report_year", args=[2025])
    page = coordinator_client.get(url).content.decode()
    assert "Antwort 2" in page and "Antwort 3" not in page
    assert "Antwort 2" in coordinator_client.get(url).content.decode()  # from the cache

    code = FeedbackCodeFactory(run=run)
    response = submit_course(code, scale=1, helped="Antwort 3")
    assert "Antwort 3" in coordinator_client.get(url).content.decode()
    response.delete()
    assert "Antwort 3" not in coordinator_client.get(url).content.decode()

    coordinator_client.cookies.load({"django_language": "en"})
    english = coordinator_client.get(url).content.decode()
    assert "Antwort 2" in english and "Rückmeldung zum Kurs" not in english


def test_year_report_runs_table_follows_a_renamed_run_and_a_new_answer(coordinator_client, org):
    run = run_with_sessions(org, first=date(2025, 3, 2), count=8, title="Frühjahr")[0]
    _fill(run, 2)
    url = reverse("feedback:year_report_year", args=[2025])
    assert "Frühjahr" in coordinator_client.get(url).content.decode()
    run.title = "Frühling"
    run.save()
    page = coordinator_client.get(url).content.decode()
    assert "Frühling" in page and "Frühjahr" not in page
    assert '<td class="text-end">2</td>' in page
    _fill(run, 1)
    assert '<td class="text-end">3</td>' in coordinator_client.get(url).content.decode()


# --- the report at a glance; every run and every free-text answer on paged views -------------


def test_year_report_shows_a_few_answers_and_runs_and_links_to_all(coordinator_client, org):
    runs = [run_with_sessions(org, first=date(2025, 3, 2), count=2)[0] for _ in range(11)]
    _fill(runs[0], 6)
    page = coordinator_client.get(
        reverse("feedback:year_report_year", args=[2025])
    ).content.decode()
    # alphabetically the first five of "Antwort 0" … "Antwort 5"
    assert "Antwort 4" in page and "Antwort 5" not in page
    assert reverse("feedback:year_texts", args=[2025]) + "?frage=geholfen" in page
    assert "Alle 6 Antworten lesen" in page
    assert page.count(reverse("feedback:run_results", args=[runs[0].pk])) == 1
    assert reverse("feedback:run_results", args=[runs[10].pk]) not in page
    assert reverse("feedback:year_runs", args=[2025]) in page and "Alle 11 Durchgänge" in page


def test_every_free_text_answer_is_on_a_page_in_alphabetical_order(
    coordinator_client, org, monkeypatch
):
    monkeypatch.setattr("feedback.views.TEXTS_PER_PAGE", 4)
    _fill(run_with_sessions(org, first=date(2025, 3, 2), count=2)[0], 9)
    url = reverse("feedback:year_texts", args=[2025])
    seen = []
    for number in (1, 2, 3):
        page = coordinator_client.get(url, {"frage": "geholfen", "page": number}).content.decode()
        seen += [f"Antwort {i}" for i in range(9) if f"<li>Antwort {i}</li>" in page]
        assert (f"page={number + 1}" in page) == (number < 3)
    assert seen == [f"Antwort {i}" for i in range(9)]


def test_free_text_page_shows_nothing_below_three_answer_sets(coordinator_client, org):
    _fill(run_with_sessions(org, first=date(2025, 3, 2), count=2)[0], 2)
    page = coordinator_client.get(reverse("feedback:year_texts", args=[2025])).content.decode()
    assert "erst ab 3 Rückmeldungen" in page and "Antwort 0" not in page


def test_every_run_of_the_year_is_on_a_page_by_its_last_day(coordinator_client, org, monkeypatch):
    monkeypatch.setattr("feedback.views.RUNS_PER_PAGE", 2)
    runs = [
        run_with_sessions(org, first=date(2025, month, 3), count=2, title=f"Lauf {month}")[0]
        for month in (5, 2, 9)
    ]
    url = reverse("feedback:year_runs", args=[2025])
    first = coordinator_client.get(url).content.decode()
    second = coordinator_client.get(url, {"page": 2}).content.decode()
    assert first.index("Lauf 2") < first.index("Lauf 5") and "Lauf 9" not in first
    assert "Lauf 9" in second and "Lauf 2" not in second and "3 Durchgänge" in second
    runs[2].title = "Umbenannt"
    runs[2].save()
    assert "Umbenannt" in coordinator_client.get(url, {"page": 2}).content.decode()


@pytest.mark.parametrize("name", ["feedback:year_runs", "feedback:year_texts"])
def test_year_pages_are_for_coordinators_of_the_organization(
    name, anonymous_client, trainer_client, coordinator_client, outsider_client, org
):
    _fill(run_with_sessions(org, first=date(2025, 3, 2), count=2, title="Geheimlauf")[0], 3)
    url = reverse(name, args=[2025])
    assert anonymous_client.get(url).status_code == 302
    assert trainer_client.get(url).status_code == 403
    outsider = outsider_client.get(url).content.decode()
    assert "Antwort 1" not in outsider and "Geheimlauf" not in outsider
    assert coordinator_client.get(url).status_code == 200
    assert _status(coordinator_client, reverse(name, args=[1999])) == 404


@pytest.mark.parametrize("name", ["feedback:year_runs", "feedback:year_texts"])
def test_year_pages_queries_do_not_grow_with_runs_and_answers(coordinator_client, org, name):
    _fill(run_with_sessions(org, first=date(2025, 3, 2), count=2)[0], 3)
    url = reverse(name, args=[2025])
    first = _count_queries(coordinator_client, url)
    for _ in range(30):
        run_with_sessions(org, first=date(2025, 5, 4), count=2)
    _fill(run_with_sessions(org, first=date(2025, 6, 2), count=2)[0], 60)
    second = _count_queries(coordinator_client, url)
    assert first == second <= 16  # the year's figures computed: the cache is cleared


def test_year_report_queries_stay_few_when_cached(coordinator_client, org):
    """Once the figures are cached, the page reads the revision, not the year's data."""
    _fill(run_with_sessions(org, first=date(2025, 3, 2), count=8)[0], 3)
    url = reverse("feedback:year_report_year", args=[2025])
    cold = _count_queries(coordinator_client, url)
    warm = _count_queries(coordinator_client, url)
    assert warm < cold and warm <= 8
