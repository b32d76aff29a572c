"""A real Celery worker against the local Redis and PostgreSQL renders a document end to end:
request → task → stored PDF with the right text. Runs in CI (.ci/run sets both)."""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from aktiva import documents
from aktiva.models import Document
from tests.participants.factories import (
    EnrollmentFactory,
    ParticipantFactory,
    mark,
    run_with_sessions,
)
from trainings.models import CourseRun
from trainings.services import course_run_transition

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)"),
]

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{quote(db['USER'])}{password}@{host}/{db['NAME']}"


def _start_worker(log, **env_extra) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DEBUG": "1",
        "REDIS_URL": os.environ["REDIS_URL"],
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **env_extra,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "aktiva",
            "worker",
            "--pool=solo",
            "-Q",
            "celery",
            "--concurrency=1",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def broker(transactional_db):
    """Tasks go to the real Redis; a log file for the workers' output."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database it can share with the test: PostgreSQL")
    from aktiva.celery import app

    app.conf.task_always_eager = False
    app.control.purge()  # tasks left over from an earlier run would only add noise
    log = open(Path(settings.MEDIA_ROOT).parent / "worker.log", "w+b")
    try:
        yield log
    finally:
        log.close()
        app.conf.task_always_eager = True


@pytest.fixture
def worker(broker):
    process = _start_worker(broker)
    try:
        yield process, broker
    finally:
        _stop(process)


def _wait_until_finished(document: Document, process, log, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.status in (Document.Status.DONE, Document.Status.FAILED):
            return
        assert process.poll() is None, _worker_output(log)
        time.sleep(0.2)


def _worker_output(log) -> str:
    log.flush()
    log.seek(0)
    return log.read().decode(errors="replace")[-3000:]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_renders_sign_in_sheet(worker, org, coordinator_client, trainer):
    process, log = worker
    run, sessions = run_with_sessions(org, count=2, trainers=[trainer], title="AktivA Worker-Probe")
    EnrollmentFactory(
        run=run,
        participant=ParticipantFactory(organization=org, first_name="Wera", last_name="Worker"),
    )

    response = coordinator_client.post(
        reverse("participants:document", args=[run.pk, "signin_sheet"]), {"session": sessions[0].pk}
    )
    assert response.status_code == 302
    document = Document.objects.get()

    _wait_until_finished(document, process, log)
    assert document.status == Document.Status.DONE, (
        f"{document.status} {document.failure}\n{_worker_output(log)}"
    )
    assert "document_render_task" in _worker_output(log)  # the worker did it, not the test process

    with document.file.open("rb") as f:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(f.read())).pages)
    assert "Unterschriftenliste" in text and "Worker, Wera" in text
    assert "AktivA Worker-Probe" in text and sessions[0].date.strftime("%d.%m.%Y") in text
    assert "Tina Trainerin" in text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_killed_mid_render_never_leaves_a_document_running(
    broker, org, coordinator_client, trainer
):
    """SIGKILL during a render of 40 certificates: once the claim's lease expires, the sweep
    queues the document again and the next worker finishes it."""
    lease = 4
    log = broker
    run, sessions = run_with_sessions(org, count=2, trainers=[trainer], title="AktivA Absturz")
    for enrollment in EnrollmentFactory.create_batch(40, run=run):
        mark(enrollment, sessions)
    CourseRun.objects.filter(pk=run.pk).update(status=CourseRun.Status.RUNNING)
    course_run_transition(run=run, to=CourseRun.Status.COMPLETED)  # issues 40 certificates

    first = _start_worker(log, AKTIVA_DOCUMENT_LEASE_SECONDS=str(lease))
    try:
        response = coordinator_client.post(
            reverse("participants:document", args=[run.pk, "certificates"])
        )
        assert response.status_code == 302
        document = Document.objects.get()
        deadline = time.monotonic() + 60
        while document.status != Document.Status.RUNNING and time.monotonic() < deadline:
            time.sleep(0.02)
            document.refresh_from_db()
        assert document.status == Document.Status.RUNNING, _worker_output(log)
        os.kill(first.pid, signal.SIGKILL)  # mid-render
        first.wait(timeout=10)
    finally:
        _stop(first)

    document.refresh_from_db()
    assert document.status == Document.Status.RUNNING  # what users saw for good before
    assert documents.documents_sweep() == {"failed": 0, "requeued": 0}  # lease still held
    time.sleep(lease + 1)
    assert documents.documents_sweep() == {"failed": 0, "requeued": 1}

    second = _start_worker(log)
    try:
        _wait_until_finished(document, second, log, seconds=90)
    finally:
        _stop(second)
    assert document.status == Document.Status.DONE, (
        f"{document.status} {document.failure}\n{_worker_output(log)}"
    )
    assert document.attempts == 2
    with document.file.open("rb") as f:
        assert len(PdfReader(io.BytesIO(f.read())).pages) == 40
