from django.core.exceptions import ObjectDoesNotExist


def my_trainer(request):
    """The user's own trainer profile in their organization, if any: loaded with the user
    (`aktiva.backends.MembershipBackend`), so the navigation costs no query."""
    membership = getattr(request, "membership", None)
    if not membership:
        return {"my_trainer": None}
    try:
        trainer = request.user.trainer
    except ObjectDoesNotExist:
        return {"my_trainer": None}
    return {"my_trainer": trainer if trainer.is_profile_of(membership) else None}
