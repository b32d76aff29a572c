"""Slowing down people who try codes: after too many wrong codes from one address, every
code is refused for a while (`aktiva.ratelimit` counts, hashed)."""

from aktiva import ratelimit
from aktiva.network import client_address

WRONG_CODES_ALLOWED = 10
WINDOW_SECONDS = 15 * 60


def _counter(request) -> str:
    return ratelimit.key("feedback-wrong-codes", client_address(request))


def is_blocked(request) -> bool:
    return ratelimit.attempts(_counter(request)) >= WRONG_CODES_ALLOWED


def record_wrong_code(request) -> None:
    ratelimit.record(_counter(request), window_seconds=WINDOW_SECONDS)
