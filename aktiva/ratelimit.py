"""Counting attempts in a time window, for every rate limit of the application (wrong
feedback codes, password reset requests). What is counted (an address, an e-mail
address) only ever lives hashed in a cache key.

The counts live in the shared cache (Redis), so that they hold across web hosts. When
Redis cannot be reached they go on in the process's own memory: pages keep working, and
the limit still holds per web process (the cache calls time out within a second).
"""

import hashlib
import hmac
import logging

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


def record(counter: str, *, window_seconds: int) -> None:
    def increment(cache):
        cache.add(counter, 0, window_seconds)
        try:
            cache.incr(counter)
        except ValueError:  # expired between add and incr
            cache.set(counter, 1, window_seconds)

    _with_cache(increment)
