import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _runserver(env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "EMAIL_URL")
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "runserver", "127.0.0.1:0", "--noreload"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_start_without_secret_key_and_hosts_refuses_with_a_clear_message():
    result = _runserver({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY, ALLOWED_HOSTS and EMAIL_URL must be set when DEBUG is off" in result.stderr


def test_production_start_names_only_what_is_missing():
    result = _runserver({"DEBUG": "0", "SECRET_KEY": "x" * 50, "EMAIL_URL": "smtp://mail:25"})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr and "SECRET_KEY" not in result.stderr


def test_embedded_default_needs_no_server(settings):
    # With nothing set the tests themselves run on SQLite with eager Celery; CI sets DATABASE_URL.
    if not os.environ.get("DATABASE_URL"):
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    if not os.environ.get("REDIS_URL"):
        assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert settings.LANGUAGE_CODE == "de"


def test_collectstatic_for_production_succeeds(tmp_path):
    """The Docker image runs collectstatic with hashed names; a broken reference fails the build."""
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update({"DEBUG": "0", "STATIC_ROOT": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("fonts/source-sans-3-latin-400-normal.*.woff2"))
