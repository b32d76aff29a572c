from django.utils.functional import SimpleLazyObject


def membership(request):
    m = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    return {
        "membership": m if m else None,
        "organization": m.organization if m else None,
        "is_coordinator": bool(m) and m.is_coordinator,
        # the user's own trainer profile, if any; only queried when a template asks
        "my_trainer": SimpleLazyObject(lambda: getattr(user, "trainer", None) if m else None),
    }
