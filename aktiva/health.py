"""A health check for load balancers and docker compose: the database answers."""

from django.db import connection
from django.http import HttpResponse, JsonResponse


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database error means: not healthy
        return JsonResponse({"database": "unavailable"}, status=503)
    return HttpResponse("ok", content_type="text/plain")
