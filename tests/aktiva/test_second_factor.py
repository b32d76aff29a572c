"""The optional second factor (TOTP app and recovery codes) for coordinators and platform
administrators: once on, a login is complete only with a code."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

LOGIN = reverse("login")


@pytest.fixture(autouse=True)
def _no_throttle_delay(settings):
    """django-otp makes the next try wait after a wrong code (1 s, doubling); the tests
    follow a wrong code with the right one at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def _turn_on(client, user) -> list[str]:
    client.get(reverse("second_factor_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(reverse("second_factor_setup"), {"code": "000000"})
    assert "stimmt nicht" in wrong.content.decode()
    page = client.post(reverse("second_factor_setup"), {"code": _code(device)})
    assert "Wiederherstellungscodes" in page.content.decode()
    return page.context["recovery_codes"]


def _password_login(user) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": user.username, "password": "geheim-passwort-1"})
    assert response.status_code == 302
    return client


def test_a_coordinator_turns_it_on_and_then_needs_a_code(coordinator_client, coordinator):
    codes = _turn_on(coordinator_client, coordinator)
    assert len(codes) == 10
    client = _password_login(coordinator)
    response = client.get(reverse("trainings:run_list"))
    assert response.status_code == 302 and "/zweiter-faktor/pruefen/" in response["Location"]
    assert client.get("/admin/").status_code == 302  # the admin too
    refused = client.post(reverse("second_factor_verify"), {"code": "123456"})
    assert "stimmt nicht" in refused.content.decode()
    TOTPDevice.objects.filter(user=coordinator).update(last_t=-1)  # as if 30 s had passed:
    device = TOTPDevice.objects.get(user=coordinator)  # a code is never accepted twice
    assert client.post(reverse("second_factor_verify"), {"code": _code(device)}).status_code == 302
    assert client.get(reverse("trainings:run_list")).status_code == 200


def test_a_recovery_code_works_once(coordinator_client, coordinator):
    codes = _turn_on(coordinator_client, coordinator)
    first = _password_login(coordinator)
    assert first.post(reverse("second_factor_verify"), {"code": codes[0]}).status_code == 302
    second = _password_login(coordinator)
    reused = second.post(reverse("second_factor_verify"), {"code": codes[0]})
    assert reused.status_code == 200 and "schon benutzt" in reused.content.decode()


def test_without_the_second_factor_the_password_is_enough(coordinator):
    client = _password_login(coordinator)
    assert client.get(reverse("trainings:run_list")).status_code == 200


def test_turning_it_off(coordinator_client, coordinator):
    _turn_on(coordinator_client, coordinator)
    coordinator_client.post(reverse("second_factor"), {"turn_off": "1"})
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    client = _password_login(coordinator)
    assert client.get(reverse("trainings:run_list")).status_code == 200


def test_trainers_have_no_second_factor_pages(trainer_client, anonymous_client):
    assert trainer_client.get(reverse("second_factor")).status_code == 403
    assert trainer_client.get(reverse("second_factor_setup")).status_code == 403
    assert anonymous_client.get(reverse("second_factor")).status_code == 302
