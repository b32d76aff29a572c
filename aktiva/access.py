"""Who may open what: the roles of a page, decided here; the organization scope of each
resource, decided by one queryset method per resource.

- Anonymous users are sent to the login page.
- Users without a membership, or with the wrong role for a page, get 403.
- Every object is fetched through its resource's `visible_to(membership)`, so another
  organization's object, and a run a trainer does not lead, answer 404 (their existence
  is never confirmed):

      run = get_object_or_404(CourseRun.objects.visible_to(request.membership), pk=pk)

  The resources: `CourseRun`, `Session` (trainings), `Participant`, `Enrollment`
  (participants), `Document` (aktiva). Where a yes/no is needed, the models answer it with
  the same rule: `run.is_visible_to(membership)`, `run.is_led_by(user)`.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext as _

from .models import Membership


def require_role(request, *roles: str) -> Membership:
    membership = request.membership
    if not membership:
        raise PermissionDenied(_("Ihr Konto gehört zu keiner Organisation."))
    if roles and membership.role not in roles:
        raise PermissionDenied(_("Diese Seite ist der Koordination vorbehalten."))
    return membership


def logged_out_answer(request) -> HttpResponse:
    """Where a logged-out request goes: the login page; an htmx request (a tap on the
    attendance page, kept on the phone until it is saved) gets a 401 instead, so that the
    script keeps what it sent and asks to log in again rather than swapping in the login
    page."""
    if request.headers.get("HX-Request"):
        message = _("Sie sind abgemeldet. Bitte melden Sie sich neu an.")
        return HttpResponse(message, status=401, content_type="text/plain; charset=utf-8")
    return redirect_to_login(request.get_full_path())


def login_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return logged_out_answer(request)
        return view(request, *args, **kwargs)

    return wrapper


def member_required(view):
    """Function views: any member of an organization."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        require_role(request)
        return view(request, *args, **kwargs)

    return wrapper


def coordinator_required(view):
    """Function views: coordinators only."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        require_role(request, Membership.Role.COORDINATOR)
        return view(request, *args, **kwargs)

    return wrapper
