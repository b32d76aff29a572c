"""Wrong codes never lock a room out: correct codes always get through, wrong ones beyond
a generous number wait a little longer each time, and only a script hits the ceiling."""

import pytest
from django.urls import reverse
from django.utils import timezone

from aktiva import ratelimit
from feedback import throttle
from tests.factories import run_with_sessions

from .factories import FeedbackCodeFactory

pytestmark = pytest.mark.django_db

URL = "/f/"
ROOM = "192.0.2.50"  # the room's Wi-Fi: every phone comes from this address


@pytest.fixture
def codes(org):
    run = run_with_sessions(org, first=timezone.localdate(), count=8)[0]
    return [FeedbackCodeFactory(run=run).code for _ in range(15)]


def _typo(code: str) -> str:
    """The code with one character swapped for another of the alphabet."""
    return ("C" if code[0] != "C" else "E") + code[1:]


def _post(client, code: str, address: str = ROOM):
    return client.post(reverse("feedback:public_start"), {"code": code}, REMOTE_ADDR=address)


def test_the_start_page_is_where_we_post():
    assert reverse("feedback:public_start") == URL


def test_a_room_of_fifteen_phones_with_typos_gets_in(anonymous_client, codes):
    """Fifteen phones behind one address; each mistypes three times before the code on
    its slip is right. Every one of them gets in, even after the waits have started."""
    statuses = []
    for attempt in range(3):
        for code in codes:
            statuses.append(_post(anonymous_client, _typo(code) + "X" * attempt).status_code)
    assert 429 in statuses  # 45 wrong codes: the later typos were asked to wait
    for code in codes:
        response = _post(anonymous_client, code)
        assert response.status_code == 302
        assert response["Location"] == reverse("feedback:public_code", args=[code])


def test_a_correct_code_gets_through_during_a_wait(anonymous_client, codes):
    for _ in range(throttle.WRONG_CODES_ALLOWED + 8):
        _post(anonymous_client, "CCCCCCCCC")
    assert ratelimit.remaining(ratelimit.key("feedback-wait", ROOM)) > 60
    assert _post(anonymous_client, codes[0]).status_code == 302
    assert (
        anonymous_client.get(
            reverse("feedback:public_code", args=[codes[1]]), REMOTE_ADDR=ROOM
        ).status_code
        == 200
    )


def test_a_brute_forcer_waits_twice_as_long_with_each_wrong_code(anonymous_client):
    waits = []
    for i in range(throttle.WRONG_CODES_ALLOWED + 12):
        response = _post(anonymous_client, f"CCCCCC{i:03d}")
        waits.append(int(response.get("Retry-After", 0)))
        assert response.status_code == (404 if i < throttle.WRONG_CODES_ALLOWED else 429)
    beyond = waits[throttle.WRONG_CODES_ALLOWED :]
    assert beyond[:9] == [2, 4, 8, 16, 32, 64, 128, 256, 512]
    assert beyond[9:] == [throttle.MAX_WAIT_SECONDS] * 3  # at most 15 minutes


def test_the_wait_is_said_in_german_at_the_field(anonymous_client):
    for _ in range(throttle.WRONG_CODES_ALLOWED):
        _post(anonymous_client, "CCCCCCCCC")
    html = _post(anonymous_client, "CCCCCCCCC").content.decode()
    error = html[html.index('id="code-error"') :]
    error = error[: error.index("</p>")]
    assert "Diesen Code kennen wir nicht." in error
    assert "Bitte warten Sie 2 Sekunden und versuchen Sie es erneut." in error
    assert "Gerät" not in html
    assert 'aria-invalid="true"' in html
    for _ in range(7):
        html = _post(anonymous_client, "CCCCCCCCC").content.decode()
    assert "Bitte warten Sie 4 Minuten und versuchen Sie es erneut." in html  # 256 s


def test_the_wait_in_english(anonymous_client):
    for _ in range(throttle.WRONG_CODES_ALLOWED):
        _post(anonymous_client, "CCCCCCCCC")
    response = anonymous_client.post(
        reverse("feedback:public_start"),
        {"code": "CCCCCCCCC"},
        REMOTE_ADDR=ROOM,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Please wait 2 seconds and try again." in response.content.decode()


def test_the_wait_ends_and_the_burst_is_forgotten(anonymous_client, monkeypatch):
    for _ in range(throttle.WRONG_CODES_ALLOWED + 1):
        _post(anonymous_client, "CCCCCCCCC")
    assert ratelimit.remaining(ratelimit.key("feedback-wait", ROOM)) == 2
    later = ratelimit.time.time() + 3
    monkeypatch.setattr(ratelimit.time, "time", lambda: later)
    assert ratelimit.remaining(ratelimit.key("feedback-wait", ROOM)) == 0


def test_the_daily_ceiling_stops_a_script_that_ignores_the_waits(anonymous_client, codes):
    checked = 0
    while "morgen" not in _post(anonymous_client, f"CCCCCC{checked:03d}").content.decode():
        checked += 1
        assert checked < 200
    # 30 free, then each wrong code typed during a wait counts ten times: about 130 in all
    assert 120 <= checked <= 130
    last = _post(anonymous_client, codes[0])
    assert last.status_code == 429
    assert "Gerät" not in last.content.decode()
    # another address is not affected
    assert _post(anonymous_client, codes[0], address="198.51.100.1").status_code == 302


@pytest.mark.parametrize(
    "typed",
    ["", " ", "-" * 20, "ÄÖÜ-ßßß-€€€", "A" * 500, "<script>", "\u202e", "1' OR '1'='1", "ZZ\tZZ"],
)
def test_strange_input_never_answers_500(anonymous_client, typed):
    for _ in range(throttle.WRONG_CODES_ALLOWED + 2):
        response = _post(anonymous_client, typed)
        assert response.status_code in (200, 404, 429)
    response = anonymous_client.get(f"/f/{typed.strip() or 'x'}/", REMOTE_ADDR=ROOM)
    assert response.status_code in (200, 404, 429)
