from django.utils.functional import SimpleLazyObject

from .models import Trainer


def my_trainer(request):
    """The user's own trainer profile, if any; only queried when a template asks."""
    membership = getattr(request, "membership", None)
    return {
        "my_trainer": SimpleLazyObject(
            lambda: Trainer.objects.profile_of(membership) if membership else None
        )
    }
