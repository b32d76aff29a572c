"""Keeps working when a part fails: the database, the broker or a worker."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from aktiva import documents
from aktiva.models import Document
from aktiva.tasks import documents_sweep_task

# Health ------------------------------------------------------------------------------------


def test_healthz_reports_database_and_broker_separately(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "in-process"}


def test_healthz_with_broker_down_is_degraded_but_serving(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "unavailable"}


def test_healthz_with_database_down_is_503(client, db):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


# Database down -----------------------------------------------------------------------------


def test_database_down_gives_a_german_503_without_internals(client, settings, db, coordinator):
    settings.DEBUG = True  # not even the debug page may show a traceback
    client.force_login(coordinator)
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError('connection to server at "127.0.0.1" refused'),
    ):
        response = client.get(reverse("trainings:run_list"))
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"]
    assert "Vorübergehend nicht erreichbar" in page
    assert "127.0.0.1" not in page and "Traceback" not in page
    # once the database answers again, the same client is served as before
    assert client.get(reverse("trainings:run_list")).status_code == 200


# No worker, a dead worker --------------------------------------------------------------------


def test_a_document_no_worker_takes_says_so_after_a_short_wait(
    coordinator_client, org, coordinator, settings
):
    document = Document.objects.create(
        organization=org,
        kind="tests.greeting",
        title="Gruß",
        requested_by=coordinator,
        queued_at=timezone.now() - timedelta(minutes=2),
    )
    page = coordinator_client.get(reverse("documents:detail", args=[document.pk])).content
    assert "noch nicht übernommen" in page.decode()
    assert 'hx-trigger="every 2s"' in page.decode()  # it keeps polling
    fresh = Document.objects.create(
        organization=org, kind="tests.greeting", title="Gruß", queued_at=timezone.now()
    )
    assert not fresh.is_waiting_for_worker


def _running(org, *, attempts: int, expired: bool) -> Document:
    now = timezone.now()
    return Document.objects.create(
        organization=org,
        kind="tests.greeting",
        params={"name": "Welt"},
        title="Gruß",
        status=Document.Status.RUNNING,
        attempts=attempts,
        lease_expires_at=now + timedelta(minutes=-1 if expired else 3),
    )


def test_sweep_requeues_a_document_whose_worker_died(org, django_capture_on_commit_callbacks):
    died = _running(org, attempts=1, expired=True)
    alive = _running(org, attempts=1, expired=False)
    result = documents_sweep_task()
    died.refresh_from_db()
    alive.refresh_from_db()
    # eager Celery in tests: queued again means rendered again, at once
    assert died.status == Document.Status.DONE and died.attempts == 2
    assert alive.status == Document.Status.RUNNING
    assert result == {"failed": 0, "requeued": 1}


def test_sweep_fails_a_document_after_its_last_attempt_with_a_retry_offered(
    org, coordinator_client, settings
):
    died = _running(org, attempts=settings.AKTIVA_DOCUMENT_MAX_RETRIES + 1, expired=True)
    assert documents.documents_sweep() == {"failed": 1, "requeued": 0}
    died.refresh_from_db()
    assert died.status == Document.Status.FAILED
    assert died.failure == Document.Failure.WORKER_LOST


def test_sweep_queues_again_what_waited_too_long(org, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # the message was lost; nothing renders it
    waiting = Document.objects.create(
        organization=org,
        kind="tests.greeting",
        params={"name": "Welt"},
        title="Gruß",
        queued_at=timezone.now() - timedelta(minutes=10),
    )
    with mock.patch("aktiva.tasks.document_render_task.apply_async") as send:
        assert documents.documents_sweep()["requeued"] == 1
        assert documents.documents_sweep()["requeued"] == 0  # not again at once
    send.assert_called_once()
    waiting.refresh_from_db()
    assert waiting.status == Document.Status.QUEUED


def test_a_duplicate_delivery_does_not_render_while_a_worker_holds_the_lease(org):
    held = _running(org, attempts=1, expired=False)
    assert documents.document_claim(document_id=held.pk) is None
    expired = _running(org, attempts=1, expired=True)
    assert documents.document_claim(document_id=expired.pk) is not None


def test_visibility_timeout_is_longer_than_every_hard_time_limit(settings):
    from celery import current_app

    limits = [
        task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        for name, task in current_app.tasks.items()
        if not name.startswith("celery.")
    ]
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > max(limits)
    assert documents.lease_duration().total_seconds() > settings.CELERY_TASK_TIME_LIMIT


# Redis down -------------------------------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    dead = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    settings.CACHES = {**settings.CACHES, "default": dead}
    from django.core.cache import caches

    caches["fallback"].clear()


def test_with_redis_down_participants_can_still_give_feedback(client, org, redis_down):
    from datetime import date as _date

    from tests.factories import run_with_sessions
    from tests.feedback.factories import FeedbackCodeFactory

    run = run_with_sessions(org, first=_date.today() + timedelta(days=3), count=2)[0]
    code = FeedbackCodeFactory(run=run)
    assert client.get(reverse("feedback:public_code", args=[code.code])).status_code == 200
    wrong = client.post(reverse("feedback:public_start"), {"code": "ZZZZZZZZ"})
    assert wrong.status_code == 404 and "Code" in wrong.content.decode()
    right = client.post(reverse("feedback:public_start"), {"code": code.code})
    assert right.status_code == 302


def test_with_redis_down_guessing_codes_is_still_limited(client, org, redis_down):
    from feedback.throttle import WRONG_CODES_ALLOWED

    for _ in range(WRONG_CODES_ALLOWED):
        client.post(reverse("feedback:public_start"), {"code": "ZZZZZZZZ"})
    assert client.post(reverse("feedback:public_start"), {"code": "ZZZZZZZZ"}).status_code == 429


def test_with_redis_down_staff_pages_work(coordinator_client, redis_down):
    assert coordinator_client.get(reverse("dashboard")).status_code == 200
    assert coordinator_client.get(reverse("trainings:run_list")).status_code == 200
