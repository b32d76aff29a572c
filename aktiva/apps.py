from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AktivaConfig(AppConfig):
    name = "aktiva"
    verbose_name = _("AktivA – Organisationen")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_session_starts, dispatch_uid="aktiva-session-starts")


def _session_starts(sender, request, user, **kwargs):
    """The idle clock starts at login (aktiva.middleware.IdleTimeoutMiddleware)."""
    import time

    from .middleware import SEEN
    from .second_factor import PENDING, is_on

    if hasattr(request, "session"):
        request.session[SEEN] = int(time.time())
        # a login through an OTP-aware path already carries its device
        request.session[PENDING] = is_on(user) and not hasattr(user, "otp_device")
