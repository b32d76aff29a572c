from django.utils.functional import SimpleLazyObject

from .selectors import own_trainer_profile


def my_trainer(request):
    """The user's own trainer profile in their organization, if any (`own_trainer_profile`:
    no query). Lazy, so a page that never asks costs nothing."""
    return {"my_trainer": SimpleLazyObject(lambda: own_trainer_profile(request))}
