from django.core.exceptions import ObjectDoesNotExist
from django.utils.functional import SimpleLazyObject


def my_trainer(request):
    """The user's own trainer profile in their organization, if any. Lazy, so a page that
    never asks costs nothing; when it asks, the profile came with the user
    (`aktiva.backends.MembershipBackend`) and the navigation costs no query."""
    membership = getattr(request, "membership", None)

    def profile():
        if not membership:
            return None
        try:
            trainer = request.user.trainer
        except ObjectDoesNotExist:
            return None
        return trainer if trainer.is_profile_of(membership) else None

    return {"my_trainer": SimpleLazyObject(profile)}
