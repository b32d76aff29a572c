"""Feedback codes: alphabet, entropy, generation, run-only, expiry."""

import math
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from feedback import services
from feedback.models import FeedbackCode, Response
from tests.factories import run_with_sessions
from trainings.models import CourseRun

from .factories import FeedbackCodeFactory

pytestmark = pytest.mark.django_db


def test_alphabet_has_no_confusable_characters_and_enough_entropy():
    assert not set("0O1lILB8S5Z2D") & set(services.CODE_ALPHABET)
    assert len(set(services.CODE_ALPHABET)) == len(services.CODE_ALPHABET)
    assert math.log2(len(services.CODE_ALPHABET)) * services.CODE_LENGTH >= 39


def test_generate_adds_distinct_codes_to_the_run(org):
    run = run_with_sessions(org, first=date(2026, 3, 2), count=8)[0]
    codes = services.feedback_codes_generate(run=run, count=15)
    assert len(codes) == 15
    assert FeedbackCode.objects.filter(run=run).count() == 15
    values = list(FeedbackCode.objects.values_list("code", flat=True))
    assert len(set(values)) == 15
    assert all(
        len(v) == services.CODE_LENGTH and set(v) <= set(services.CODE_ALPHABET) for v in values
    )


@pytest.mark.parametrize("count", [0, 61])
def test_generate_refuses_silly_counts(org, count):
    run = run_with_sessions(org, first=date(2026, 3, 2), count=8)[0]
    with pytest.raises(ValidationError):
        services.feedback_codes_generate(run=run, count=count)
    assert not FeedbackCode.objects.exists()


def test_default_count_is_places_plus_spare_without_enrollments(org):
    run = run_with_sessions(org, first=date(2026, 3, 2), capacity=12, count=8)[0]
    assert services.default_code_count(run) == 12 + services.SPARE_CODES


def test_typed_code_is_normalised():
    assert services.code_normalize(" abcd-efgh ") == "ABCDEFGH"


def test_code_opens_until_the_set_number_of_days_after_the_last_session(org, settings):
    settings.AKTIVA_FEEDBACK_CODE_VALID_DAYS = 14
    run = run_with_sessions(org, first=date(2026, 3, 2), count=5)[0]  # last session 6 March
    code = FeedbackCodeFactory(run=run)
    last_day = date(2026, 3, 20)

    found, dates = services.code_open(code=code.display.lower(), today=last_day)
    assert found == code and dates.last == date(2026, 3, 6)
    with pytest.raises(services.CodeError, match="abgelaufen"):
        services.code_open(code=code.code, today=last_day + timedelta(days=1))


def test_code_of_a_cancelled_run_does_not_open(org):
    run = run_with_sessions(org, first=date(2026, 3, 2), count=8)[0]
    CourseRun.objects.filter(pk=run.pk).update(status=CourseRun.Status.CANCELLED)
    code = FeedbackCodeFactory(run=run)
    with pytest.raises(services.CodeError, match="abgesagt"):
        services.code_open(code=code.code, today=date(2026, 3, 2))


def test_unknown_code_does_not_open():
    with pytest.raises(services.CodeError, match="kennen wir nicht"):
        services.code_open(code="ABCDEFGH")


def test_before_form_until_the_second_session_then_after_and_course_from_the_last():
    dates = services.RunDates(
        first=date(2026, 3, 2), second=date(2026, 3, 3), last=date(2026, 3, 6)
    )
    assert services.moments_open(dates, date(2026, 2, 20)) == [Response.Moment.BEFORE]
    assert services.moments_open(dates, date(2026, 3, 2)) == [Response.Moment.BEFORE]
    # a late joiner (second day) can still answer "before"
    assert services.moments_open(dates, date(2026, 3, 3)) == [Response.Moment.BEFORE]
    assert services.moments_open(dates, date(2026, 3, 4)) == []
    assert services.moments_open(dates, date(2026, 3, 5)) == []
    assert services.moments_open(dates, date(2026, 3, 6)) == [
        Response.Moment.AFTER,
        Response.Moment.COURSE,
    ]


@pytest.mark.parametrize("typed", ["8BS5-2ZAA", "b8s5 z2aa", "BB55ZZAA", "8855-22AA"])
def test_older_codes_are_found_whichever_look_alike_is_typed(org, typed):
    """Codes made before the alphabet lost B/8, S/5 and Z/2 stay usable from paper."""
    run, _sessions = run_with_sessions(org, first=date(2026, 3, 2), count=8)
    stored = FeedbackCodeFactory(run=run, code="B8S52ZAA")
    found, _dates = services.code_open(code=typed, today=date(2026, 3, 9))
    assert found == stored


def test_new_codes_read_in_groups_of_three(org):
    run, _sessions = run_with_sessions(org, first=date(2026, 3, 2), count=8)
    code = services.feedback_codes_generate(run=run, count=1)[0]
    assert len(code.display) == 11 and code.display.count("-") == 2
    found, _dates = services.code_open(code=code.display.lower(), today=date(2026, 3, 3))
    assert found == code


def test_the_results_say_how_many_answered_before_late(org, coordinator_client):
    from django.urls import reverse

    from .factories import submit_who5

    run, _sessions = run_with_sessions(org, first=date(2026, 3, 2), count=8)
    for day in (date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)):
        submit_who5(FeedbackCodeFactory(run=run), Response.Moment.BEFORE, [3] * 5, on=day)
    page = coordinator_client.get(reverse("feedback:run_results", args=[run.pk])).content
    assert "davon 1 nach dem ersten Termin" in page.decode()
