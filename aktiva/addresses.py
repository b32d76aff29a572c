"""The address people type or scan (QR codes on certificates and feedback slips, calendar
links): `AKTIVA_PUBLIC_URL` where it is set; without it (development, the demo) the address
the request came in on, so that a demo on another host prints links that work there. And
the addresses of a list's rows, reversed once for the list (`with_urls`)."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

# The development server's address: the last resort when neither is known (a command).
DEVELOPMENT_URL = "http://127.0.0.1:8000"


def request_base_url(request: HttpRequest) -> str:
    """Scheme and host the request came in on (the host checked against ALLOWED_HOSTS)."""
    return request.build_absolute_uri("/").rstrip("/")


def public_url(path: str = "", *, base: str = "") -> str:
    """`path` on the public address; `base` is the request's address (`request_base_url`),
    which counts only while the setting is empty."""
    return (settings.AKTIVA_PUBLIC_URL or base.rstrip("/") or DEVELOPMENT_URL) + path


def url_maker(viewname: str, *leading) -> Callable[[int], str]:
    """`reverse(viewname, args=[*leading, pk])` for the rows of a list, reversed once with a
    marker for the key: `reverse()` (and so `get_absolute_url` or `{% url %}` in a template)
    costs about 25 µs a row, the most of anything in a list's row. `leading`: arguments the
    same for every row (the run of a run's sessions)."""
    marker = 918273645  # an integer the URL converter accepts and the rest cannot contain
    head, tail = reverse(viewname, args=[*leading, marker]).rsplit(str(marker), 1)
    return lambda pk: f"{head}{pk}{tail}"


def with_urls(rows, viewname: str):
    """Gives each row of a list (an object, or a dict from `values()`) its `url`,
    `reverse(viewname, args=[pk])`, reversed once for the list (`url_maker`)."""
    url = url_maker(viewname)
    for row in rows:
        if isinstance(row, dict):
            row["url"] = url(row["pk"])
        else:
            row.url = url(row.pk)
    return rows
