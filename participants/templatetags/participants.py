"""The inclusion tag for the participants panel of the run page (one query at most,
however many participants there are), the attendance matrix's cells and the participants
list's rows."""

from html import escape

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from aktiva.templatetags.dates import short_dates

from ..selectors import place_counts

register = template.Library()


@register.inclusion_tag("participants/partials/run_panel.html", takes_context=True)
def run_participants_panel(context, run, sessions=None, counts=None):
    """`counts`: `place_counts(run)` when the page has them already (the run page keeps
    them in the cache)."""
    counts = counts or place_counts(run)
    sessions = list(sessions or [])
    request = context.get("request")
    membership = getattr(request, "membership", None) if request else None
    is_coordinator = bool(membership) and membership.is_coordinator
    today = timezone.localdate()
    held = [s for s in sessions if not s.is_cancelled]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "run": run,
        "enrolled": counts["enrolled"],
        "waiting": counts["waiting"],
        # run.trainers is prefetched on the run detail page: no extra query.
        "may_record": run.is_visible_to(membership),
        "is_coordinator": is_coordinator,
        "today_session": next((s for s in held if s.date == today), None),
        "sessions": held,
        "modules": list(run.modules.all()),
    }


@register.simple_tag(takes_context=True)
def matrix_cells(context, row) -> SafeString:
    """A matrix row's cells (`selectors.MatrixCell`). A run of 15 people and 24 sessions has
    360 cells, and a template per cell cost more than the rest of the page: a cell without
    a change is the same markup for every mark of its kind, written once per page."""
    written = context.render_context.setdefault("matrix_cells", {})
    html = []
    for cell in row.cells:
        if cell.change:
            html.append(_matrix_cell(cell))
            continue
        kind = (cell.session.is_cancelled, cell.css, cell.letter, cell.label)
        if kind not in written:
            written[kind] = _matrix_cell(cell)
        html.append(written[kind])
    return mark_safe("".join(html))  # each piece is built by format_html


def _matrix_cell(cell) -> str:
    title = ""
    if cell.change:
        # the template's words ("zuletzt geändert von {{ who }} am {{ when }}")
        when = date_format(timezone.localtime(cell.change.changed_at), "SHORT_DATETIME_FORMAT")
        user = cell.change.changed_by
        if user:
            who = user.get_full_name() or user.username
            words = gettext("zuletzt geändert von %(who)s am %(when)s") % {"who": who, "when": when}
        else:
            words = gettext("zuletzt geändert am %(when)s") % {"when": when}
        title = format_html(' title="{}"', words)
    if cell.session.is_cancelled:
        inner = format_html('<span class="visually-hidden">{}</span>', gettext("abgesagt"))
    elif cell.letter:
        inner = format_html('<abbr title="{}">{}</abbr>', cell.label, cell.letter)
    else:
        inner = "–"
    return format_html('<td class="cell{}"{}>{}</td>', cell.css, title, inner)


@register.simple_tag
def participant_rows(rows) -> SafeString:
    """The participants list's table rows (`ParticipantQuerySet.listed()` dicts with their
    `url`): name, customer number, consent. Written in Python at 2 µs a row where the
    template's loop with its filters took 15 µs: a search finding many people shows 50 of
    them, and the rows were most of what the page's cost grew by. The standard library's
    `escape` is Django's without its lazy-text wrapper, the same characters escaped."""
    consent = short_dates()
    html = [
        f'<tr><td><a href="{escape(row["url"])}">{escape(row["last_name"])}, '
        f"{escape(row['first_name'])}</a></td>"
        f"<td>{escape(row['customer_number']) or '–'}</td>"
        f"<td>{consent(row['consent_on'])}</td></tr>"
        for row in rows
    ]
    return mark_safe("\n".join(html))  # every value in it is escaped
