import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .access import logged_out_answer
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
        if not isinstance(exception, DATABASE_GONE):
            return None
        return database_unavailable(exception)


DATABASE_GONE = (OperationalError, InterfaceError)


def database_unavailable(exception) -> HttpResponse:
    """The German 503 page: rendered without the database, showing no internals."""
    logger.error("database unavailable: %s", exception.__class__.__name__)
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class NoStoreMiddleware:
    """Pages and downloads for logged-in staff show personal data: no browser or proxy
    may keep a copy (Cache-Control: no-store)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            patch_cache_control(response, no_store=True, no_cache=True, private=True)
        return response


SEEN = "aktiva_seen"  # when the session last saw its user (seconds since the epoch)
SEEN_SAVE_EVERY = 60  # seconds: the session row is written at most once a minute


class IdleTimeoutMiddleware:
    """Ends a session that was idle for AKTIVA_SESSION_IDLE_MINUTES (the page warns before,
    static/js/session.js). The session's expiry moves with each use, at most one write a
    minute, so that busy pages do not write the session on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:  # the first use of the database in a request: it may be gone
            logged_in = request.user.is_authenticated
        except DATABASE_GONE as exception:
            return database_unavailable(exception)
        if logged_in:
            now = int(time.time())
            seen = request.session.get(SEEN, now)
            if now - seen > settings.AKTIVA_SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    _("Sie wurden nach längerer Pause abgemeldet. Bitte melden Sie sich neu an."),
                )
                return logged_out_answer(request)
            if now - seen >= SEEN_SAVE_EVERY or SEEN not in request.session:
                request.session[SEEN] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """After the password, users who turned the second factor on give a code before any
    other page (the admin included)."""

    ALLOWED = ("/konto/zweiter-faktor/pruefen/", "/konto/abmelden/", "/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .second_factor import PENDING

        if (
            request.session.get(PENDING)
            and request.user.is_authenticated
            and not request.path.startswith(self.ALLOWED)
        ):
            return redirect_to_login(
                request.get_full_path(), login_url="/konto/zweiter-faktor/pruefen/"
            )
        return self.get_response(request)
