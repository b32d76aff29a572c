"""`short_date` writes what Django's date filter writes with SHORT_DATE_FORMAT, faster."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from aktiva.templatetags.dates import short_date, short_dates

DAYS = [date(2027, 5, 6), date(2026, 12, 31), date(999, 1, 2)]


@pytest.mark.parametrize("language", ["de", "en"])
def test_short_date_is_the_date_filter(language):
    both = Template('{% load dates %}{{ d|short_date }}|{{ d|date:"SHORT_DATE_FORMAT" }}')
    with translation.override(language):
        for day in DAYS:
            ours, django = both.render(Context({"d": day})).split("|")
            assert ours == django
        assert short_date(date(2027, 5, 6)) == {"de": "06.05.2027", "en": "06/05/2027"}[language]
    assert short_date(None) == "" and short_date("") == ""


def test_short_dates_for_a_list_write_what_short_date_writes(settings):
    for language in ("de", "en"):
        with translation.override(language):
            write = short_dates()
            assert [write(d) for d in [*DAYS, None]] == [short_date(d) for d in [*DAYS, None]]
    settings.FORMAT_MODULE_PATH = None
    settings.SHORT_DATE_FORMAT = "D, j. N Y"
    with translation.override(None):
        assert short_dates()(date(2027, 5, 6)) == "Thu, 6. May 2027"


def test_a_format_it_cannot_write_goes_to_django(settings):
    settings.FORMAT_MODULE_PATH = None
    settings.SHORT_DATE_FORMAT = "D, j. N Y"
    with translation.override(None):
        assert short_date(date(2027, 5, 6)) == "Thu, 6. May 2027"


def test_a_time_is_the_day_where_the_reader_lives(settings):
    late = datetime(2027, 5, 6, 23, 30, tzinfo=ZoneInfo("UTC"))  # 7 May in Berlin
    template = Template("{% load dates %}{{ t|short_date }}")
    with translation.override("de"):
        assert template.render(Context({"t": late})) == "07.05.2027"
