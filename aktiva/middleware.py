from django.core.exceptions import ObjectDoesNotExist
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
