"""The anonymous answers of a year as CSV and XLSX: one row per answer.

Only answers of runs where at least MIN_ANSWERS people answered the same form are
included, and no date: nothing in the file points at a person. Answer sets ("Bogen") are
numbered 1..n in each export, in an order that does not follow the time of answering;
the code itself is replaced by a running number ("Paar"), which still pairs "before" and
"after"."""

import csv
import hashlib
import hmac
import io
from collections import defaultdict
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext, gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from aktiva.models import Organization
from aktiva.spreadsheet import defused

from .models import Answer, Response
from .selectors import MIN_ANSWERS, run_ids_of_year

# In the reader's language, like the questions, the short names and the moments below.
HEADER = [
    gettext_lazy("Durchgang"),
    gettext_lazy("Fragebogen"),
    gettext_lazy("Version"),
    gettext_lazy("Zeitpunkt"),
    gettext_lazy("Bogen"),
    gettext_lazy("Paar"),
    gettext_lazy("Frage"),
    gettext_lazy("Kurzname"),
    gettext_lazy("Wert"),
    gettext_lazy("Text"),
]


def _header() -> list[str]:
    return [str(column) for column in HEADER]


MOMENT_ORDER = {Response.Moment.BEFORE: 0, Response.Moment.AFTER: 1, Response.Moment.COURSE: 2}


def _hidden_order(code_id: int) -> str:
    """A stable order of the codes that says nothing about when anyone answered."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"export:{code_id}".encode(), hashlib.sha256).hexdigest()


def answer_rows(organization: Organization, year: int) -> Iterator[list]:
    runs = run_ids_of_year(organization, year)
    enough = {
        (row["code__run"], row["moment"])
        for row in Response.objects.filter(code__run__in=runs)
        .values("code__run", "moment")
        .annotate(n=Count("id"))
        .filter(n__gte=MIN_ANSWERS)
    }
    by_response: dict[int, list[Answer]] = defaultdict(list)
    answers = (
        Answer.objects.filter(response__code__run__in=runs)
        .select_related("item", "response__questionnaire", "response__code__run")
        .order_by("item__position", "pk")
    )
    for answer in answers.iterator(chunk_size=2000):
        response = answer.response
        if (response.code.run_id, response.moment) in enough:
            by_response[answer.response_id].append(answer)
    ordered = sorted(
        by_response.values(),
        key=lambda rows: (
            rows[0].response.code.run_id,
            _hidden_order(rows[0].response.code_id),
            MOMENT_ORDER[rows[0].response.moment],
        ),
    )
    pair_numbers: dict[int, int] = {}
    for number, rows in enumerate(ordered, start=1):
        response = rows[0].response
        pair = pair_numbers.setdefault(response.code_id, len(pair_numbers) + 1)
        for answer in rows:
            yield [
                defused(response.code.run.title),
                defused(response.questionnaire.display_title),
                response.questionnaire.version,
                response.get_moment_display(),
                number,
                pair,
                defused(answer.item.display_text),
                defused(answer.item.display_label),
                answer.value,
                defused(answer.text),
            ]


def answers_csv(organization: Organization, year: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(_header())
    writer.writerows(answer_rows(organization, year))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 correctly


def _cell(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text begins with
    return cell


def answers_xlsx(organization: Organization, year: int) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(gettext("Antworten %(year)s") % {"year": year})
    sheet.append(_header())
    for row in answer_rows(organization, year):
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
