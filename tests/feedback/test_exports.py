"""The answers export: safe to open in a spreadsheet, nothing that points at a person."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .factories import FeedbackCodeFactory, run_with_dates, submit_course

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def run(org):
    run = run_with_dates(org, first=date(2026, 3, 2), title="-Kurs mit Minus")
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
