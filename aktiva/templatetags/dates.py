"""Dates in the reader's language where Django has no format name for them."""

import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache

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


# Django's date format letters that `short_date` writes itself; any other letter, or an
# escape, leaves the date to Django's formatter.
_FIELDS = {
    "d": "{0.day:02d}",
    "j": "{0.day}",
    "m": "{0.month:02d}",
    "n": "{0.month}",
    "Y": "{0.year:04d}",
}


@lru_cache(maxsize=16)
def _pattern(django_format: str) -> str | None:
    parts = []
    for char in django_format:
        if char in _FIELDS:
            parts.append(_FIELDS[char])
        elif char.isalpha() or char == "\\":
            return None
        else:
            parts.append(char.replace("{", "{{").replace("}", "}}"))
    return "".join(parts)


@register.filter(expects_localtime=True)
def short_date(value: date | None) -> str:
    """`value|date:"SHORT_DATE_FORMAT"` for the rows of long lists at a fifth of its cost
    (about 3 instead of 16 µs a date): the language's format turned once into a Python
    format string, where Django's formatter reads the format anew for every date."""
    return short_dates()(value)


def short_dates() -> Callable[[date | None], str]:
    """`short_date` for the rows of a list written in Python: the language's format looked
    up once for the list (looking it up is most of `short_date`'s 3 µs)."""
    django_format = get_format("SHORT_DATE_FORMAT")
    pattern = _pattern(django_format)
    if pattern:
        return lambda value: pattern.format(value) if value else ""
    return lambda value: date_format(value, django_format) if value else ""
