"""The answers export: safe to open in a spreadsheet, nothing that points at a person."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from feedback.models import Response
from tests.factories import run_with_sessions

from .factories import FeedbackCodeFactory, submit_course, submit_who5

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def run(org):
    run = run_with_sessions(org, first=date(2026, 3, 2), title="-Kurs mit Minus", count=8)[0]
    for helped in (EVIL, "+1+1", "Die Übungen"):
        submit_course(FeedbackCodeFactory(run=run), helped=helped)
    return run


def _csv_rows(client) -> list[dict]:
    response = client.get(reverse("feedback:year_export", args=[2026, "csv"]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_csv_defuses_text_that_a_spreadsheet_would_read_as_a_formula(coordinator_client, run):
    rows = _csv_rows(coordinator_client)
    texts = {row["Text"] for row in rows if row["Text"]}
    assert texts == {"'" + EVIL, "'+1+1", "Die Übungen"}
    assert {row["Durchgang"] for row in rows} == {"'-Kurs mit Minus"}


def test_xlsx_stores_formula_like_text_as_a_string(coordinator_client, run):
    response = coordinator_client.get(reverse("feedback:year_export", args=[2026, "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("Text")
    cells = [row[column] for row in sheet.iter_rows(min_row=2) if row[column].value]
    assert {cell.value for cell in cells} == {"'" + EVIL, "'+1+1", "Die Übungen"}
    assert all(cell.data_type == "s" for cell in cells)
    title_cells = [row[header.index("Durchgang")] for row in sheet.iter_rows(min_row=2)]
    assert all(c.value == "'-Kurs mit Minus" and c.data_type == "s" for c in title_cells)


def test_answer_sets_are_numbered_per_export_and_before_after_still_pair(
    coordinator_client, org, other_org, run
):
    # answers elsewhere on the platform must not show up in the numbers
    elsewhere = run_with_sessions(other_org, first=date(2026, 3, 2), count=8)[0]
    for _ in range(5):
        submit_course(FeedbackCodeFactory(run=elsewhere))
    codes = [FeedbackCodeFactory(run=run) for _ in range(3)]
    for i, code in enumerate(codes):
        submit_who5(code, Response.Moment.BEFORE, [2, 2, 2, 2, i])
    for i, code in enumerate(codes):
        submit_who5(code, Response.Moment.AFTER, [3, 3, 3, 3, i])

    rows = _csv_rows(coordinator_client)

    sets = {(row["Bogen"], row["Zeitpunkt"], row["Paar"]) for row in rows}
    assert sorted(int(number) for number, _moment, _pair in sets) == list(range(1, 10))
    assert {row["Bogen"] for row in rows} != {
        str(pk) for pk in Response.objects.filter(code__run=run).values_list("pk", flat=True)
    }
    moments_by_pair: dict[str, list[str]] = {}
    for _number, moment, pair in sets:
        moments_by_pair.setdefault(pair, []).append(moment)
    who5_pairs = [sorted(m) for m in moments_by_pair.values() if len(m) == 2]
    assert who5_pairs == [["nach dem Kurs", "vor dem Kurs"]] * 3
    # rows of one answer set stay together
    numbers = [row["Bogen"] for row in rows]
    assert numbers == sorted(numbers, key=numbers.index)
