"""All settings, read from the environment in one place.

With nothing set, the embedded default runs: SQLite, Celery tasks in-process
(eager), mail to the console, files under ./media. Set DATABASE_URL and
REDIS_URL for PostgreSQL and a real Celery broker. Secrets may also be given
as files: SECRET_KEY_FILE, DATABASE_URL_FILE, ... (Docker/Kubernetes secrets).
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; the process environment wins


def _secret(name: str, default=None):
    """Read NAME, or the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return env(name, default=default)


TESTING = "pytest" in sys.modules
DEBUG = env.bool("DEBUG", default=False)
# A production start: a web server or a Celery process (management commands such as
# migrate or makemigrations need no secret).
SERVING = Path(sys.argv[0]).name in {"gunicorn", "uvicorn", "celery"} or sys.argv[1:2] == [
    "runserver"
]

SECRET_KEY = _secret("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
# Without a real EMAIL_URL, mail goes to the console: password reset links would land in
# the log. A production start refuses that.
EMAIL_URL_SET = bool(os.environ.get("EMAIL_URL_FILE")) or not env(
    "EMAIL_URL", default="consolemail://"
).startswith("consolemail")
if not DEBUG and not TESTING and SERVING:
    missing = [
        n
        for n, v in (
            ("SECRET_KEY", SECRET_KEY),
            ("ALLOWED_HOSTS", ALLOWED_HOSTS),
            ("EMAIL_URL", EMAIL_URL_SET),
        )
        if not v
    ]
    if missing:
        raise ImproperlyConfigured(
            f"{', '.join(missing[:-1]) + ' and ' if len(missing) > 1 else ''}{missing[-1]} "
            "must be set when DEBUG is off (production). "
            "For a local trial start with DEBUG=1, or use ./scripts/demo."
        )
SECRET_KEY = SECRET_KEY or "insecure-development-key-never-use-in-production"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "aktiva",
    "trainings",
    "participants",
    "feedback",
    "demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "aktiva.middleware.MembershipMiddleware",
    "aktiva.middleware.IdleTimeoutMiddleware",
    "aktiva.middleware.SecondFactorMiddleware",
    "aktiva.middleware.NoStoreMiddleware",
    "aktiva.middleware.DatabaseUnavailableMiddleware",
    # last: it answers a locked-out login before the view runs
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aktiva.urls"
WSGI_APPLICATION = "aktiva.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "aktiva.context_processors.membership",
                "trainings.context_processors.my_trainer",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url_config(
        _secret("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind pgbouncer in transaction pooling mode, server-side cursors cannot span
# transactions: set DATABASE_POOLER=transaction (and CONN_MAX_AGE=0).
if env("DATABASE_POOLER", default="") == "transaction":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # first: refuses a locked-out account or address before the password is checked
    "axes.backends.AxesStandaloneBackend",
    "aktiva.backends.MembershipBackend",
]

# Login throttling (django-axes): after AKTIVA_LOGIN_FAILURES failed logins, the account
# and, separately, the address are locked for AKTIVA_LOGIN_LOCK_MINUTES, on the login page
# and the admin login alike. A successful login resets the count. An office behind one
# address can be locked out as a whole by one person's typos: the limit is generous.
AXES_FAILURE_LIMIT = env.int("AKTIVA_LOGIN_FAILURES", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AKTIVA_LOGIN_LOCK_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "aktiva.accounts.locked_out"
AXES_CLIENT_IP_CALLABLE = "aktiva.network.client_address"
AXES_VERBOSE = False
# Optional second factor (TOTP app plus recovery codes) for coordinators and platform
# administrators: aktiva/second_factor.py.
OTP_TOTP_ISSUER = "AktivA"
# Password reset requests per address and per e-mail address and hour.
AKTIVA_PASSWORD_RESETS_PER_HOUR = env.int("AKTIVA_PASSWORD_RESETS_PER_HOUR", default=5)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:  # hashing real passwords is the slowest part of creating test users
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        # end-to-end tests give users a password that servers outside the tests can check
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as read in Germany (day first, 24-hour clock): aktiva/formats/en/formats.py
FORMAT_MODULE_PATH = ["aktiva.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Generated documents: local disk (MEDIA_ROOT) is the embedded default. With a bucket set,
# S3-compatible object storage (django-storages), so that every web host can serve what any
# worker rendered. The bucket stays private: files reach users only through the
# application's access check (aktiva.views.documents.document_download streams them).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
DOCUMENT_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            "access_key": _secret("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": _secret("AWS_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "location": env("AWS_LOCATION", default="aktiva"),
        },
    }
    if AWS_STORAGE_BUCKET_NAME
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": DOCUMENT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

REDIS_URL = _secret("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Redis gone must not hang a page: callers fail open within about a second.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Where rate limits count while Redis cannot be reached (this process only).
CACHES["fallback"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fallback",
}

# Celery: without a broker, tasks run in-process (eager) so one process is enough.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# The broker hands an unacknowledged task (acks_late) to another worker after the visibility
# timeout: longer than the longest hard time limit (retention: 900 s), or a slow task would
# run twice. A killed worker's documents do not wait for it: their lease expires after
# CELERY_TASK_TIME_LIMIT + 60 s and the sweep below queues them again.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=1200),
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # Every minute: documents whose worker died go back to the queue (or fail with a retry).
    "documents-sweep": {
        "task": "aktiva.tasks.documents_sweep_task",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    # Nightly: anonymise participants whose runs ended longer ago than AKTIVA_RETENTION_DAYS.
    "participants-retention": {
        "task": "participants.tasks.retention_task",
        "schedule": crontab(hour=3, minute=0),
        "options": {"expires": 60 * 60},
    },
    # Every morning: the staff's mail with early warnings about attendance (at
    # most one a day each; a second run the same day sends nothing).
    "participants-warning-digests": {
        "task": "participants.tasks.warning_digests_task",
        "schedule": crontab(hour=7, minute=0),
        "options": {"expires": 6 * 60 * 60},
    },
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
if os.environ.get("EMAIL_URL_FILE"):
    EMAIL_CONFIG = environ.Env.email_url_config(_secret("EMAIL_URL"))
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="aktiva@localhost")
# Where people report barriers (the accessibility statement, BITV 2.0 § 7): an address that
# someone reads. Unset: the reader's organization's e-mail, else DEFAULT_FROM_EMAIL.
AKTIVA_ACCESSIBILITY_CONTACT = env("AKTIVA_ACCESSIBILITY_CONTACT", default="")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
)
# Sessions end after this idle time (aktiva.middleware.IdleTimeoutMiddleware); a warning
# shows a few minutes before. "Shared computer" at login ends the session with the browser.
AKTIVA_SESSION_IDLE_MINUTES = env.int("AKTIVA_SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = AKTIVA_SESSION_IDLE_MINUTES * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Joining the browsers' HSTS preload list is a decision of the domain's owner, not of
# this application (and hard to undo): the deploy check does not ask for it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): no inline scripts, no framing, nothing from other
# hosts (the assets are vendored). Inline styles stay allowed: the SVG charts use them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

# Domain settings
AKTIVA_CERTIFICATE_THRESHOLD = 0.8  # § 20 SGB V: at least 80 % of held sessions
AKTIVA_DOCUMENT_MAX_RETRIES = 3
# How long a worker's claim on a document holds: past the hard time limit the worker is
# gone for sure, and the sweep (every minute) queues the document again.
AKTIVA_DOCUMENT_LEASE_SECONDS = env.int(
    "AKTIVA_DOCUMENT_LEASE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60
)
# Feedback codes work until this many days after the run's last session.
AKTIVA_FEEDBACK_CODE_VALID_DAYS = env.int("AKTIVA_FEEDBACK_CODE_VALID_DAYS", default=28)
# Personal data of participants is anonymised this many days after their last run ended.
AKTIVA_RETENTION_DAYS = env.int("AKTIVA_RETENTION_DAYS", default=365 * 2)
# The address participants type or scan (QR codes on certificates and feedback slips).
# Empty (development, demo): the address each request came in on (aktiva/addresses.py).
AKTIVA_PUBLIC_URL = env("AKTIVA_PUBLIC_URL", default="").rstrip("/")
