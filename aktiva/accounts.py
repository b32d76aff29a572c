"""Account pages beyond Django's own: the lockout answer, a rate-limited password reset."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import ratelimit
from .network import client_address

HOUR = 60 * 60


def locked_out(request, response=None, credentials=None):
    """django-axes' answer to a locked account or address (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


class PasswordResetView(auth_views.PasswordResetView):
    """At most AKTIVA_PASSWORD_RESETS_PER_HOUR requests per address and per e-mail address:
    nobody can flood a colleague's mailbox or probe addresses."""

    def form_valid(self, form):
        counters = [
            ratelimit.key("password-reset-address", client_address(self.request)),
            ratelimit.key("password-reset-email", form.cleaned_data["email"].lower()),
        ]
        limit = settings.AKTIVA_PASSWORD_RESETS_PER_HOUR
        if any(ratelimit.attempts(counter) >= limit for counter in counters):
            form.add_error(
                None,
                _(
                    "Es wurden in der letzten Stunde zu viele neue Passwörter angefordert. "
                    "Bitte versuchen Sie es später noch einmal."
                ),
            )
            return self.form_invalid(form)
        for counter in counters:
            ratelimit.record(counter, window_seconds=HOUR)
        return super().form_valid(form)
