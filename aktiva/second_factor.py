"""The optional second factor: a code from an authenticator app (TOTP), and recovery codes
for the day the phone is lost. Coordinators and platform administrators may turn it on;
once on, a login is complete only with a code (aktiva.middleware.SecondFactorMiddleware)."""

import django_otp
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
# In the session from login until the code is given (saves a device query per request).
PENDING = "aktiva_second_factor_pending"


def may_use(user) -> bool:
    membership = getattr(user, "membership", None)
    return user.is_superuser or bool(membership and membership.is_coordinator)


def is_on(user) -> bool:
    return django_otp.user_has_device(user, confirmed=True)


@transaction.atomic
def totp_start(*, user) -> TOTPDevice:
    """A new, not yet confirmed app secret (an earlier unconfirmed one is replaced)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator-App", confirmed=False)


@transaction.atomic
def totp_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirms the app with its first code; returns the recovery codes (shown once), or
    None when the code is wrong."""
    if not device.verify_token(token.replace(" ", "")):
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=device.user).delete()
    recovery = StaticDevice.objects.create(user=device.user, name="Wiederherstellungscodes")
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    return codes


def verify(request, token: str) -> bool:
    """A code from the app, or a recovery code (each works once), completes the login."""
    device = django_otp.match_token(request.user, token.replace(" ", "").lower())
    if device is None:
        return False
    django_otp.login(request, device)
    request.session[PENDING] = False
    return True


@transaction.atomic
def turn_off(*, user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
