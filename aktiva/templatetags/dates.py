"""Dates in the reader's language where Django has no format name for them."""

import re
from datetime import date

from django import template
from django.utils.formats import date_format, get_format

register = template.Library()


@register.filter
def day_month(value: date | None) -> str:
    """The short date without its year, for narrow columns: 06.05. in German, 06/05 in
    English (the language's SHORT_DATE_FORMAT without the year and the separator before it,
    German keeps its ordinal dot)."""
    if not value:
        return ""
    return date_format(value, re.sub(r"[/\-]?Y", "", get_format("SHORT_DATE_FORMAT")))
