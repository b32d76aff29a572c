"""A real Celery worker against the local Redis and PostgreSQL renders a document end to end:
request → task → stored PDF with the right text. Runs in CI (.ci/run sets both)."""

import io
import os
import signal
import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from aktiva import documents
from aktiva.models import Document
from tests.e2e.conftest import start_worker, stop, wait_until_finished, worker_output
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

    wait_until_finished(document, process, log)
    assert document.status == Document.Status.DONE, (
        f"{document.status} {document.failure}\n{worker_output(log)}"
    )
    assert "document_render_task" in worker_output(log)  # the worker did it, not the test process

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

    first = start_worker(log, AKTIVA_DOCUMENT_LEASE_SECONDS=str(lease))
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
        assert document.status == Document.Status.RUNNING, worker_output(log)
        os.kill(first.pid, signal.SIGKILL)  # mid-render
        first.wait(timeout=10)
    finally:
        stop(first)

    document.refresh_from_db()
    assert document.status == Document.Status.RUNNING  # what users saw for good before
    assert documents.documents_sweep() == {"failed": 0, "requeued": 0}  # lease still held
    time.sleep(lease + 1)
    assert documents.documents_sweep() == {"failed": 0, "requeued": 1}

    second = start_worker(log)
    try:
        wait_until_finished(document, second, log, seconds=90)
    finally:
        stop(second)
    assert document.status == Document.Status.DONE, (
        f"{document.status} {document.failure}\n{worker_output(log)}"
    )
    assert document.attempts == 2
    with document.file.open("rb") as f:
        assert len(PdfReader(io.BytesIO(f.read())).pages) == 40
