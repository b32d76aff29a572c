"""A health check for load balancers, docker compose and operators.

It answers JSON with each dependency on its own, so a load balancer (which looks at the
status code: 503 only when the database is gone, because no page works then) and an
operator (who reads which part failed) can tell them apart. Without the broker, pages keep
working and only documents wait: the status is "degraded" with 200.
"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from kombu import Connection


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database error means: not available
        return "unavailable"
    return "ok"


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "in-process"  # the embedded default: tasks run in the web process
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=1) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, timeout=1)
    except Exception:  # refused, timed out, name not found …
        return "unavailable"
    return "ok"


def healthz(request):
    checks = {"database": _database(), "broker": _broker()}
    if checks["database"] != "ok":
        status = "unavailable"
    elif checks["broker"] == "unavailable":
        status = "degraded"
    else:
        status = "ok"
    response = JsonResponse(
        {"status": status, **checks}, status=503 if status == "unavailable" else 200
    )
    response["Cache-Control"] = "no-store"
    return response
