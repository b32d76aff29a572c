from django.conf import settings


def membership(request):
    m = getattr(request, "membership", None)
    return {
        "membership": m if m else None,
        "organization": m.organization if m else None,
        "is_coordinator": bool(m) and m.is_coordinator,
        "session_idle_seconds": settings.AKTIVA_SESSION_IDLE_MINUTES * 60,
    }
