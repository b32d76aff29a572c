"""Counting attempts in a time window, and waits, for every rate limit of the application (wrong
feedback codes, password reset requests). What is counted (an address, an e-mail
address) only ever lives hashed in a cache key.

The counts live in the shared cache (Redis), so that they hold across web hosts. When
Redis cannot be reached they go on in the process's own memory: pages keep working, and
the limit still holds per web process (the cache calls time out within a second).
"""

import hashlib
import hmac
import logging
import math
import time

from django.conf import settings
from django.core.cache import caches

logger = logging.getLogger(__name__)


def key(scope: str, value: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256)
    return f"ratelimit:{scope}:{digest.hexdigest()[:32]}"


def _with_cache(action):
    try:
        return action(caches["default"])
    except Exception as error:  # redis ConnectionError, TimeoutError, …
        logger.warning("rate limit falls back to process memory: %s", error.__class__.__name__)
        return action(caches["fallback"])


def attempts(counter: str) -> int:
    return _with_cache(lambda cache: cache.get(counter, 0))


def record(counter: str, *, window_seconds: int, weight: int = 1) -> int:
    """Count an attempt (as `weight` attempts); the count in the window so far."""

    def increment(cache):
        cache.add(counter, 0, window_seconds)
        try:
            return cache.incr(counter, weight)
        except ValueError:  # expired between add and incr
            cache.set(counter, weight, window_seconds)
            return weight

    return _with_cache(increment)


def hold(counter: str, *, seconds: int) -> None:
    """Start a wait of `seconds` from now (a longer running wait is kept)."""
    until = time.time() + seconds

    def set_until(cache):
        if cache.get(counter, 0) < until:
            cache.set(counter, until, seconds)

    _with_cache(set_until)


def remaining(counter: str) -> int:
    """Whole seconds left of a wait started with `hold` (0: none)."""
    until = _with_cache(lambda cache: cache.get(counter, 0))
    return max(0, math.ceil(until - time.time()))
