"""The participants' form: no login, input kept on errors, one answer set per code, rate limit."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback import throttle
from feedback.models import Answer, Response
from tests.factories import run_with_sessions

from .factories import FeedbackCodeFactory, submit_course, submit_who5

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def running(org, today):
    """A run whose first session is today: the "before" form is due."""
    return run_with_sessions(org, first=today, count=8)[0]


@pytest.fixture
def midway(org, today):
    """A run that started two days ago and ends in five days: no form is due."""
    return run_with_sessions(org, first=today - timedelta(days=2), count=8)[0]


@pytest.fixture
def ending(org, today):
    """A run whose last session is today: the "after" forms are due."""
    return run_with_sessions(org, first=today - timedelta(days=7), count=8)[0]


def who5_post(values):
    keys = ["who5_1", "who5_2", "who5_3", "who5_4", "who5_5"]
    return {k: v for k, v in zip(keys, values, strict=True) if v is not None}


def test_start_page_opens_without_login_in_plain_german(anonymous_client):
    response = anonymous_client.get(reverse("feedback:public_start"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "Ihr Code" in html and 'href="#main"' in html
    assert "Hauptnavigation" not in html  # no staff navigation


def test_typed_code_leads_to_the_forms_of_the_code(anonymous_client, running):
    code = FeedbackCodeFactory(run=running)
    response = anonymous_client.post(
        reverse("feedback:public_start"), {"code": code.display.lower()}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:public_code", args=[code.code])
    page = anonymous_client.get(response["Location"])
    assert "vor dem Kurs" in page.content.decode()
    assert reverse("feedback:public_form", args=[code.code, "vorher"]) in page.content.decode()


def test_after_the_last_session_the_code_opens_after_and_course_forms(anonymous_client, ending):
    code = FeedbackCodeFactory(run=ending)
    html = anonymous_client.get(reverse("feedback:public_code", args=[code.code])).content.decode()
    assert reverse("feedback:public_form", args=[code.code, "nachher"]) in html
    assert reverse("feedback:public_form", args=[code.code, "kurs"]) in html
    assert reverse("feedback:public_form", args=[code.code, "vorher"]) not in html
    before = anonymous_client.get(reverse("feedback:public_form", args=[code.code, "vorher"]))
    assert before.status_code == 302


def test_between_first_and_last_session_the_code_page_says_when_after_opens(
    anonymous_client, midway, today
):
    code = FeedbackCodeFactory(run=midway)
    html = anonymous_client.get(reverse("feedback:public_code", args=[code.code])).content.decode()
    last_day = (today + timedelta(days=5)).strftime("%d.%m.%Y")
    assert f"öffnen am letzten Kurstag, dem {last_day}" in html
    assert "alle Fragebögen ausgefüllt" not in html
    for slug in ("vorher", "nachher", "kurs"):
        url = reverse("feedback:public_form", args=[code.code, slug])
        assert url not in html
        assert anonymous_client.get(url).status_code == 302
    assert not Response.objects.exists()


def test_wrong_code_gets_a_clear_message_and_keeps_the_input(anonymous_client):
    response = anonymous_client.post(reverse("feedback:public_start"), {"code": "ABCD-EFGZ"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "Diesen Code kennen wir nicht" in html
    assert 'value="ABCD-EFGZ"' in html


def test_expired_code_gets_a_clear_message(anonymous_client, org, today, settings):
    settings.AKTIVA_FEEDBACK_CODE_VALID_DAYS = 14
    run = run_with_sessions(org, first=today - timedelta(days=30), count=5)[0]
    code = FeedbackCodeFactory(run=run)
    response = anonymous_client.get(reverse("feedback:public_code", args=[code.code]))
    assert response.status_code == 404
    assert "abgelaufen" in response.content.decode()


def test_repeated_wrong_codes_from_one_address_are_slowed_down(anonymous_client, running):
    good = FeedbackCodeFactory(run=running)
    url = reverse("feedback:public_start")
    for _ in range(throttle.WRONG_CODES_ALLOWED):
        assert anonymous_client.post(url, {"code": "ZZZZZZZZ"}).status_code == 404
    # the next wrong code has to wait …
    assert anonymous_client.post(url, {"code": "ZZZZZZZZ"}).status_code == 429
    # … but a correct code never does, typed or from the QR code
    assert anonymous_client.post(url, {"code": good.code}).status_code == 302
    assert (
        anonymous_client.get(reverse("feedback:public_code", args=[good.code])).status_code == 200
    )
    # another address is not affected
    other = anonymous_client.post(url, {"code": "ZZZZZZZZ"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 404


def test_validation_error_keeps_everything_typed(anonymous_client, ending):
    code = FeedbackCodeFactory(run=ending)
    url = reverse("feedback:public_form", args=[code.code, "kurs"])
    data = {"akzeptanz": "2", "lernen": "1", "geholfen": "Die Übungen zum Tagesplan"}
    response = anonymous_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bitte wählen Sie eine Antwort." in html
    assert 'id="error-summary"' in html and 'href="#q-umsetzung"' in html
    assert 'value="2" id="id_akzeptanz_1" checked' in html
    assert 'value="1" id="id_lernen_0" checked' in html
    assert "Die Übungen zum Tagesplan</textarea>" in html
    assert not Response.objects.exists()


def test_submitting_stores_answers_with_the_date_only(anonymous_client, ending, today):
    code = FeedbackCodeFactory(run=ending)
    url = reverse("feedback:public_form", args=[code.code, "nachher"])
    response = anonymous_client.post(
        url, who5_post([5, 4, 3, 2, 1]), REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Test/1.0"
    )
    assert response.status_code == 302
    stored = Response.objects.get()
    assert (stored.code, stored.moment, stored.submitted_on, stored.score) == (
        code,
        "after",
        today,
        60,
    )
    assert Answer.objects.filter(response=stored).count() == 5
    follow = anonymous_client.get(response["Location"]).content.decode()
    assert "Vielen Dank" in follow


def test_second_submit_says_already_submitted_and_stores_nothing(anonymous_client, ending):
    code = FeedbackCodeFactory(run=ending)
    url = reverse("feedback:public_form", args=[code.code, "nachher"])
    anonymous_client.post(url, who5_post([5, 4, 3, 2, 1]))
    again = anonymous_client.post(url, who5_post([0, 0, 0, 0, 0]))
    assert again.status_code == 200
    assert "Schon abgegeben" in again.content.decode()
    assert Response.objects.count() == 1 and Response.objects.get().score == 60
    assert "Schon abgegeben" in anonymous_client.get(url).content.decode()


def test_language_can_be_switched_to_english(anonymous_client):
    anonymous_client.post(reverse("set_language"), {"language": "en", "next": "/f/"})
    response = anonymous_client.get(reverse("feedback:public_start"))
    assert '<html lang="en">' in response.content.decode()


def _queries_for_form_page(client, run, count) -> int:
    for _ in range(count):
        code = FeedbackCodeFactory(run=run)
        submit_who5(code, "after", [3, 3, 3, 3, 3])
        submit_course(code, scale=2, helped="gut")
    fresh = FeedbackCodeFactory(run=run)
    with CaptureQueriesContext(connection) as queries:
        assert (
            client.get(reverse("feedback:public_form", args=[fresh.code, "kurs"])).status_code
            == 200
        )
    return len(queries)


def test_form_page_queries_do_not_grow_with_answers(anonymous_client, org, today):
    small = _queries_for_form_page(
        anonymous_client, run_with_sessions(org, first=today - timedelta(days=7), count=8)[0], 3
    )
    large = _queries_for_form_page(
        anonymous_client, run_with_sessions(org, first=today - timedelta(days=7), count=8)[0], 60
    )
    assert small == large <= 6


def test_public_form_reads_in_english_including_the_shipped_questions(anonymous_client, ending):
    code = FeedbackCodeFactory(run=ending)
    anonymous_client.post(reverse("set_language"), {"language": "en", "next": "/f/"})
    html = anonymous_client.get(
        reverse("feedback:public_form", args=[code.code, "nachher"])
    ).content.decode()
    assert (
        "How are you?" in html and "I have felt calm and relaxed." in html and "at no time" in html
    )
    html = anonymous_client.post(
        reverse("feedback:public_start"), {"code": "ZZZZZZZZ"}
    ).content.decode()
    assert "We do not know this code." in html


def _wrong_codes_with_spoofed_forwarding(client, *, rightmost: str) -> list[int]:
    """Wrong codes past the free ones, each with another made-up leftmost X-Forwarded-For
    entry."""
    url = reverse("feedback:public_start")
    return [
        client.post(
            url, {"code": "ZZZZZZZZ"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, {rightmost}"
        ).status_code
        for i in range(throttle.WRONG_CODES_ALLOWED + 5)
    ]


def test_behind_the_proxy_the_rightmost_forwarded_address_is_limited(anonymous_client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    statuses = _wrong_codes_with_spoofed_forwarding(anonymous_client, rightmost="203.0.113.7")
    allowed = throttle.WRONG_CODES_ALLOWED
    assert statuses[:allowed] == [404] * allowed
    assert set(statuses[allowed:]) == {429}
    # another client behind the same proxy is not affected
    other = anonymous_client.post(
        reverse("feedback:public_start"),
        {"code": "ZZZZZZZZ"},
        HTTP_X_FORWARDED_FOR="203.0.113.7, 203.0.113.8",
    )
    assert other.status_code == 404


def test_without_a_proxy_forwarded_for_is_ignored(anonymous_client, settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    url = reverse("feedback:public_start")
    for i in range(throttle.WRONG_CODES_ALLOWED):
        response = anonymous_client.post(
            url, {"code": "ZZZZZZZZ"}, HTTP_X_FORWARDED_FOR=f"203.0.113.{i}"
        )
        assert response.status_code == 404
    response = anonymous_client.post(url, {"code": "ZZZZZZZZ"}, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert response.status_code == 429
