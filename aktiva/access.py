"""Who may open what: one place for the organization scope and the roles.

Anonymous users are sent to the login page, users without a membership or with
the wrong role get 403, and objects of another organization are looked up
through `request.organization` so they answer 404.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from .models import Membership


def require_role(request, *roles: str) -> Membership:
    membership = request.membership
    if not membership:
        raise PermissionDenied("Ihr Konto gehört zu keiner Organisation.")
    if roles and membership.role not in roles:
        raise PermissionDenied("Diese Seite ist der Koordination vorbehalten.")
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


class MemberRequiredMixin(LoginRequiredMixin):
    roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.membership = require_role(request, *self.roles)
        self.organization = self.membership.organization
        return super().dispatch(request, *args, **kwargs)


class CoordinatorRequiredMixin(MemberRequiredMixin):
    roles = (Membership.Role.COORDINATOR,)
