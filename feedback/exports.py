"""The anonymous answers of a year as CSV and XLSX: one row per answer.

Only answers of runs where at least MIN_ANSWERS people answered the same form are
included, and no date: nothing in the file points at a person. The code itself is
replaced by a running number, which still pairs "before" and "after"."""

import csv
import io
from collections.abc import Iterator

from django.db.models import Count
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from aktiva.models import Organization

from .models import Answer, Response
from .selectors import MIN_ANSWERS, runs_of_year

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HEADER = [
    "Durchgang",
    "Fragebogen",
    "Version",
    "Zeitpunkt",
    "Bogen",
    "Paar",
    "Frage",
    "Kurzname",
    "Wert",
    "Text",
]


def _defused(value):
    """Text a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def answer_rows(organization: Organization, year: int) -> Iterator[list]:
    runs = runs_of_year(organization, year).values("pk")
    enough = {
        (row["code__run"], row["moment"])
        for row in Response.objects.filter(code__run__in=runs)
        .values("code__run", "moment")
        .annotate(n=Count("id"))
        .filter(n__gte=MIN_ANSWERS)
    }
    pair_numbers: dict[int, int] = {}
    answers = (
        Answer.objects.filter(response__code__run__in=runs)
        .select_related("item", "response__questionnaire", "response__code__run")
        .order_by("response__code__run_id", "response_id", "item__position")
    )
    for answer in answers.iterator(chunk_size=2000):
        response = answer.response
        if (response.code.run_id, response.moment) not in enough:
            continue
        pair = pair_numbers.setdefault(response.code_id, len(pair_numbers) + 1)
        yield [
            _defused(response.code.run.title),
            _defused(response.questionnaire.title),
            response.questionnaire.version,
            response.get_moment_display(),
            response.pk,
            pair,
            _defused(answer.item.text),
            _defused(answer.item.short_label),
            answer.value,
            _defused(answer.text),
        ]


def answers_csv(organization: Organization, year: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    writer.writerows(answer_rows(organization, year))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly


def _cell(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text begins with
    return cell


def answers_xlsx(organization: Organization, year: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"Antworten {year}")
    sheet.append(HEADER)
    for row in answer_rows(organization, year):
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
