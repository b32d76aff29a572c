"""Headers, deployment checks, idle sessions and the access log of the public form."""

import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from aktiva.gunicorn_conf import AnonymousFeedbackLogger
from aktiva.middleware import SEEN
from tests.conftest import login

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3J9-vQ2#pL8zR5wT1yH6nB4mX7cF0dS9gA2eU5iO8qW3rE6tY1u",
    "ALLOWED_HOSTS": "aktiva.jobcenter.example",
    "EMAIL_URL": "smtp+tls://user:pw@mail.jobcenter.example:587",
    "BEHIND_PROXY": "1",
    "SESSION_COOKIE_SECURE": "1",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
}


def _manage(*args, **env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "EMAIL_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_documented_production_settings_pass_the_deploy_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_production_start_without_a_mail_server_refuses():
    settings = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_URL"}
    result = _manage("runserver", "127.0.0.1:0", "--noreload", **settings)
    assert result.returncode != 0 and "EMAIL_URL" in result.stderr
    console = _manage(
        "runserver", "127.0.0.1:0", "--noreload", **settings, EMAIL_URL="consolemail://"
    )
    assert console.returncode != 0 and "EMAIL_URL" in console.stderr


def test_pages_forbid_inline_scripts_and_framing_and_are_not_stored(coordinator_client):
    response = coordinator_client.get(reverse("dashboard"))
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "frame-ancestors 'none'" in policy
    assert "no-store" in response["Cache-Control"]


def test_an_idle_session_ends_with_a_message(coordinator_client, settings):
    session = coordinator_client.session
    session[SEEN] = int(time.time()) - settings.AKTIVA_SESSION_IDLE_MINUTES * 60 - 5
    session.save()
    response = coordinator_client.get(reverse("trainings:run_list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert "längerer Pause" in str(list(get_messages(response.wsgi_request))[0])
    assert coordinator_client.get(reverse("trainings:run_list")).status_code == 302


def test_an_active_session_goes_on(coordinator_client, settings):
    coordinator_client.get(reverse("dashboard"))
    session = coordinator_client.session
    session[SEEN] = int(time.time()) - settings.AKTIVA_SESSION_IDLE_MINUTES * 60 + 30
    session.save()
    assert coordinator_client.get(reverse("trainings:run_list")).status_code == 200
    assert coordinator_client.post(reverse("session_ping")).status_code == 204
    assert coordinator_client.session[SEEN] >= int(time.time()) - 2  # the clock starts again


def test_shared_computer_ends_the_session_with_the_browser(coordinator):
    client = Client()
    response = client.post(
        reverse("login"),
        {
            "username": coordinator.username,
            "password": "geheim-passwort-1",
            "shared_computer": "on",
        },
    )
    assert response.status_code == 302
    assert client.session.get_expire_at_browser_close()
    other = Client()
    assert login(other, coordinator.username, "geheim-passwort-1")
    assert not other.session.get_expire_at_browser_close()


def _log_atoms(path: str) -> dict:
    logger = AnonymousFeedbackLogger.__new__(AnonymousFeedbackLogger)
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": path,
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_USER_AGENT": "Mozilla/5.0 (Android 14; Handy von Frau M.)",
        "HTTP_REFERER": "https://aktiva.example/f/",
    }
    request = SimpleNamespace(headers=[("X-FORWARDED-FOR", "203.0.113.7")])
    response = SimpleNamespace(status="200 OK", sent=100, headers=[("Content-Type", "text/html")])
    logger.cfg = SimpleNamespace(logger_class=AnonymousFeedbackLogger)
    return logger.atoms(response, request, environ, SimpleNamespace(seconds=0, microseconds=1))


def test_the_access_log_of_the_feedback_form_names_no_device():
    atoms = _log_atoms("/f/ABCD2345/kurs/")
    line = str(atoms)
    assert "203.0.113.7" not in line and "Handy" not in line and "Mozilla" not in line
    assert "ABCD2345" not in line and atoms["U"] == "/f/-/kurs/"
    staff = _log_atoms("/durchgaenge/")
    assert staff["h"] == "203.0.113.7"  # staff pages keep the usual log
