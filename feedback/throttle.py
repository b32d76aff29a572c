"""Slowing down people who try codes: after too many wrong codes from one address, every
code is refused for a while. The address only ever lives, hashed, in a cache key."""

import hashlib
import hmac
import logging

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)

WRONG_CODES_ALLOWED = 10
WINDOW_SECONDS = 15 * 60


def _client_address(request) -> str:
    """REMOTE_ADDR; behind our own proxy the address it appended, i.e. the rightmost
    X-Forwarded-For entry (the entries left of it come from the client and prove nothing)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and settings.SECURE_PROXY_SSL_HEADER:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def _key(request) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), _client_address(request).encode(), hashlib.sha256
    ).hexdigest()
    return f"feedback:wrong-codes:{digest[:32]}"


def _count(action):
    """Run `action(cache)` on the shared cache (Redis). When Redis cannot be reached, the
    count goes on in this process's own memory: the form keeps working for the room, and
    guessing stays limited per web process (the cache calls time out within a second)."""
    try:
        return action(caches["default"])
    except Exception as error:  # redis ConnectionError, TimeoutError, …
        logger.warning("rate limit falls back to process memory: %s", error.__class__.__name__)
        return action(caches["fallback"])


def is_blocked(request) -> bool:
    key = _key(request)
    return _count(lambda cache: cache.get(key, 0)) >= WRONG_CODES_ALLOWED


def record_wrong_code(request) -> None:
    key = _key(request)

    def increment(cache):
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)

    _count(increment)
