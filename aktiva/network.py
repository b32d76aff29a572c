"""Who is asking: the client's address, the one way every rate limit reads it."""

from django.conf import settings


def client_address(request) -> str:
    """REMOTE_ADDR; behind our own proxy the address it appended, i.e. the rightmost
    X-Forwarded-For entry (the entries left of it come from the client and prove nothing)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and settings.SECURE_PROXY_SSL_HEADER:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
