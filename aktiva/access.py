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

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import Membership


def require_role(request, *roles: str) -> Membership:
    membership = request.membership
    if not membership:
        raise PermissionDenied(_("Ihr Konto gehört zu keiner Organisation."))
    if roles and membership.role not in roles:
        raise PermissionDenied(_("Diese Seite ist der Koordination vorbehalten."))
    return membership


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
