"""Account pages beyond Django's own: the lockout answer, a rate-limited password reset,
the second factor, a staff member's own settings."""

from base64 import b32encode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import ratelimit
from . import second_factor as second_factor_rules
from .access import member_required
from .models import Membership
from .network import client_address
from .pdf import qr_data_uri

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


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@login_required
def second_factor(request):
    """Turn the second factor on or off (coordinators and platform administrators)."""
    if not second_factor_rules.may_use(request.user):
        raise PermissionDenied(_("Der zweite Faktor ist für Koordination und Verwaltung."))
    if request.method == "POST" and request.POST.get("turn_off") == "1":
        second_factor_rules.turn_off(user=request.user)
        messages.success(request, _("Der zweite Faktor ist ausgeschaltet."))
        return redirect("second_factor")
    context = {"is_on": second_factor_rules.is_on(request.user)}
    return render(request, "registration/second_factor.html", context)


@login_required
def second_factor_setup(request):
    if not second_factor_rules.may_use(request.user):
        raise PermissionDenied(_("Der zweite Faktor ist für Koordination und Verwaltung."))
    form = CodeForm(request.POST or None)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if request.method == "POST" and device and form.is_valid():
        codes = second_factor_rules.totp_confirm(device=device, token=form.cleaned_data["code"])
        if codes is not None:
            context = {"recovery_codes": codes}
            return render(request, "registration/second_factor_done.html", context)
        form.add_error(
            "code", _("Dieser Code stimmt nicht. Bitte geben Sie den aktuellen Code ein.")
        )
    if device is None or request.method == "GET":
        device = second_factor_rules.totp_start(user=request.user)
    context = {
        "form": form,
        "qr": qr_data_uri(device.config_url),
        "secret": b32encode(device.bin_key).decode(),
    }
    return render(request, "registration/second_factor_setup.html", context)


@login_required
def second_factor_verify(request):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if second_factor_rules.verify(request, form.cleaned_data["code"]):
            return redirect(request.GET.get("next") or "dashboard")
        form.add_error("code", _("Dieser Code stimmt nicht oder wurde schon benutzt."))
    return render(request, "registration/second_factor_verify.html", {"form": form})


class AccountSettingsForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["warning_mail"]


@member_required
def account_settings(request):
    """A staff member's own settings: for now, whether the daily warning mail comes."""
    # An unticked box sends nothing: an empty POST is still a submitted form.
    data = request.POST if request.method == "POST" else None
    form = AccountSettingsForm(data, instance=request.membership)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Ihre Einstellungen sind gespeichert."))
        return redirect("account_settings")
    return render(
        request,
        "registration/account_settings.html",
        {"form": form, "email": request.user.email},
    )
