"""The address people type or scan (QR codes on certificates and feedback slips, calendar
links): `AKTIVA_PUBLIC_URL` where it is set; without it (development, the demo) the address
the request came in on, so that a demo on another host prints links that work there."""

from django.conf import settings
from django.http import HttpRequest

# The development server's address: the last resort when neither is known (a command).
DEVELOPMENT_URL = "http://127.0.0.1:8000"


def request_base_url(request: HttpRequest) -> str:
    """Scheme and host the request came in on (the host checked against ALLOWED_HOSTS)."""
    return request.build_absolute_uri("/").rstrip("/")


def public_url(path: str = "", *, base: str = "") -> str:
    """`path` on the public address; `base` is the request's address (`request_base_url`),
    which counts only while the setting is empty."""
    return (settings.AKTIVA_PUBLIC_URL or base.rstrip("/") or DEVELOPMENT_URL) + path
