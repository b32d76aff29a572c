"""Failed logins are throttled per account and per address (django-axes), on the login
page and the admin login; password reset requests are rate-limited."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

LOGIN = reverse("login")


@pytest.fixture(autouse=True)
def _fresh_counts():
    caches["default"].clear()
    caches["fallback"].clear()


def _fail(client, username, times, url=LOGIN, **extra):
    for _ in range(times):
        client.post(url, {"username": username, "password": "falsch"}, **extra)


def test_an_account_is_locked_after_too_many_failures_with_a_german_message(coordinator, settings):
    client = Client()
    _fail(client, coordinator.username, settings.AXES_FAILURE_LIMIT)
    response = client.post(
        LOGIN, {"username": coordinator.username, "password": "geheim-passwort-1"}
    )
    page = response.content.decode()
    assert response.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldungen" in page and "15 Minuten" in page
    assert "_auth_user_id" not in client.session  # even the right password does not help now


def test_a_locked_account_is_locked_from_another_address_too(coordinator, settings):
    _fail(Client(REMOTE_ADDR="10.0.0.1"), coordinator.username, settings.AXES_FAILURE_LIMIT)
    elsewhere = Client(REMOTE_ADDR="10.0.0.2")
    response = elsewhere.post(
        LOGIN, {"username": coordinator.username, "password": "geheim-passwort-1"}
    )
    assert response.status_code == 429


def test_an_address_is_locked_for_every_account(coordinator, trainer_user, settings):
    client = Client(REMOTE_ADDR="10.0.0.9")
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": f"geraten{i}", "password": "falsch"})
    response = client.post(
        LOGIN, {"username": trainer_user.username, "password": "geheim-passwort-1"}
    )
    assert response.status_code == 429


def test_the_admin_login_is_protected_too(settings, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "chefin", "c@example.org", "geheim-passwort-1"
    )
    client = Client()
    _fail(client, admin.username, settings.AXES_FAILURE_LIMIT, url="/admin/login/")
    response = client.post("/admin/login/", {"username": "chefin", "password": "geheim-passwort-1"})
    assert response.status_code == 429


def test_the_lock_ends_after_the_cool_off_time(coordinator, settings):
    client = Client()
    _fail(client, coordinator.username, settings.AXES_FAILURE_LIMIT)
    past = timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=past)
    response = client.post(
        LOGIN, {"username": coordinator.username, "password": "geheim-passwort-1"}
    )
    assert response.status_code == 302


def test_an_administrator_unlocks_at_once(coordinator, settings):
    client = Client()
    _fail(client, coordinator.username, settings.AXES_FAILURE_LIMIT)
    call_command("axes_reset_username", coordinator.username)
    response = client.post(
        LOGIN, {"username": coordinator.username, "password": "geheim-passwort-1"}
    )
    assert response.status_code == 302


def test_a_success_resets_the_count(coordinator, settings):
    client = Client()
    _fail(client, coordinator.username, settings.AXES_FAILURE_LIMIT - 1)
    assert (
        client.post(
            LOGIN, {"username": coordinator.username, "password": "geheim-passwort-1"}
        ).status_code
        == 302
    )
    client.post(reverse("logout"))
    _fail(client, coordinator.username, settings.AXES_FAILURE_LIMIT - 1)
    assert (
        client.post(
            LOGIN, {"username": coordinator.username, "password": "geheim-passwort-1"}
        ).status_code
        == 302
    )


def test_password_reset_requests_are_rate_limited(client, coordinator, settings):
    url = reverse("password_reset")
    for _ in range(settings.AKTIVA_PASSWORD_RESETS_PER_HOUR):
        assert client.post(url, {"email": coordinator.email}).status_code == 302
    sent = len(mail.outbox)
    response = client.post(url, {"email": coordinator.email})
    assert response.status_code == 200
    assert "zu viele neue Passwörter angefordert" in response.content.decode()
    assert len(mail.outbox) == sent  # nothing more was sent
    other = Client(REMOTE_ADDR="10.1.1.1")  # the same mailbox from elsewhere: still limited
    assert "zu viele" in other.post(url, {"email": coordinator.email}).content.decode()
