def membership(request):
    m = getattr(request, "membership", None)
    return {
        "membership": m if m else None,
        "organization": m.organization if m else None,
        "is_coordinator": bool(m) and m.is_coordinator,
    }
