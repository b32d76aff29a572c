"""Slowing down people who guess codes without ever locking out a room.

A whole training room usually reaches us from one address (the room's Wi-Fi behind one
router), so the address limit must never stand between a participant and their own
correct code:

- A typed code is checked first. A code that opens a form is never refused by the limit;
  only wrong codes are counted.
- Up to `WRONG_CODES_ALLOWED` wrong codes from one address in `BURST_SECONDS` cost
  nothing: fifteen phones with two typos each. Each wrong code beyond that starts a wait
  that doubles (2, 4, 8 … seconds, at most `MAX_WAIT_SECONDS`), said plainly at the
  field; it ends by itself once the burst is over.
- `WRONG_CODES_PER_DAY` wrong codes from one address in a day (no room types that many)
  is the hard ceiling: after it nothing from that address is checked until the day is
  over. This is the only refusal of a correct code, and only a script reaches it. A
  wrong code typed while a wait runs counts `IGNORED_WAIT_WEIGHT` times towards it.

Why guessing stays hopeless: codes have 9 characters from an alphabet of 24
(`feedback.services.CODE_ALPHABET`), 24**9 ≈ 2.6e12 codes (41 bits). A wrong code that
comes during a wait is still checked (a correct one must get through), so what bounds a
script is the daily ceiling: at most 1,000 guesses per address and day, about 130 if it
ignores the waits. With 1e5 valid codes in an installation (far more than are ever open
at once) one guess hits with probability 1e5 / 2.6e12 ≈ 4e-8: one address needs about
70 years for one hit, a thousand addresses about a month. And a hit opens one anonymous
questionnaire of one run, once: no person's data. Older 8-character codes
(31**8 ≈ 8.5e11) may be read in up to 256 look-alike ways per guess; they expire
`AKTIVA_FEEDBACK_CODE_VALID_DAYS` after their run and are not made any more.

The counters live hashed in the shared cache (`aktiva.ratelimit`).
"""

from aktiva import ratelimit
from aktiva.network import client_address

WRONG_CODES_ALLOWED = 30
BURST_SECONDS = 15 * 60
MAX_WAIT_SECONDS = 15 * 60
WRONG_CODES_PER_DAY = 1000
IGNORED_WAIT_WEIGHT = 10
DAY_SECONDS = 24 * 60 * 60


def _key(scope: str, request) -> str:
    return ratelimit.key(scope, client_address(request))


def over_daily_limit(request) -> bool:
    return ratelimit.attempts(_key("feedback-wrong-codes-day", request)) >= WRONG_CODES_PER_DAY


def wait_for(wrong_codes: int) -> int:
    """Seconds to wait after this many wrong codes in a burst (0: none)."""
    beyond = wrong_codes - WRONG_CODES_ALLOWED
    if beyond <= 0:
        return 0
    return min(2**beyond, MAX_WAIT_SECONDS)


def record_wrong_code(request) -> int:
    """Count a wrong code; the seconds the address must now wait (0: none)."""
    waiting = ratelimit.remaining(_key("feedback-wait", request)) > 0
    ratelimit.record(
        _key("feedback-wrong-codes-day", request),
        window_seconds=DAY_SECONDS,
        weight=IGNORED_WAIT_WEIGHT if waiting else 1,
    )
    burst = ratelimit.record(_key("feedback-wrong-codes", request), window_seconds=BURST_SECONDS)
    wait = wait_for(burst)
    if wait:
        ratelimit.hold(_key("feedback-wait", request), seconds=wait)
    return ratelimit.remaining(_key("feedback-wait", request))
