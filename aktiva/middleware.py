import logging

from django.core.exceptions import ObjectDoesNotExist
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject

from .models import Membership


def _membership(request) -> Membership | None:
    """The user's membership; `MembershipBackend` has loaded it with the user."""
    user = request.user
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except ObjectDoesNotExist:
        return None


class MembershipMiddleware:
    """Puts `request.membership` and `request.organization` (both possibly None) on the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = SimpleLazyObject(lambda: _membership(request))
        request.organization = SimpleLazyObject(
            lambda: request.membership.organization if request.membership else None
        )
        return self.get_response(request)


logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, a plain German 503 page (no internals, even
    with DEBUG on) instead of a 500 with a traceback. Django opens a new connection on the
    next request (CONN_HEALTH_CHECKS), so the application recovers by itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # OperationalError also covers a lock timeout: "try again shortly" fits that too.
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("database unavailable: %s", exception.__class__.__name__)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
