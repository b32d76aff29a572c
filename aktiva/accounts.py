"""Account pages beyond Django's own: the lockout answer, a rate-limited password reset."""

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

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


class LoginForm(AuthenticationForm):
    shared_computer = forms.BooleanField(
        label=gettext_lazy("Gemeinsam genutzter Computer"),
        help_text=gettext_lazy("Die Anmeldung endet, sobald der Browser geschlossen wird."),
        required=False,
    )


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("shared_computer"):
            self.request.session.set_expiry(0)  # a cookie that dies with the browser
        return response


@require_POST
@login_required
def session_ping(request):
    """ "Angemeldet bleiben": the request itself counts as activity (IdleTimeoutMiddleware)."""
    return HttpResponse(status=204)
