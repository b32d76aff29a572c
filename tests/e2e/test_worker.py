"""A real Celery worker against the local Redis and PostgreSQL renders a document end to end:
request → task → stored PDF with the right text. Runs in CI (.ci/run sets both)."""

import io
import os
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

from aktiva.models import Document
from tests.participants.factories import EnrollmentFactory, ParticipantFactory, run_with_sessions

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


@pytest.fixture
def worker(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database it can share with the test: PostgreSQL")
    from aktiva.celery import app

    app.conf.task_always_eager = False
    app.control.purge()  # tasks left over from an earlier run would only add noise
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DEBUG": "1",
        "REDIS_URL": os.environ["REDIS_URL"],
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log = open(Path(settings.MEDIA_ROOT).parent / "worker.log", "w+b")
    process = subprocess.Popen(
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
    try:
        yield process, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        app.conf.task_always_eager = True


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

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.status in (Document.Status.DONE, Document.Status.FAILED):
            break
        assert process.poll() is None, _worker_output(log)
        time.sleep(0.5)
    assert document.status == Document.Status.DONE, (
        f"{document.status} {document.error}\n{_worker_output(log)}"
    )
    assert "document_render_task" in _worker_output(log)  # the worker did it, not the test process

    with document.file.open("rb") as f:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(f.read())).pages)
    assert "Unterschriftenliste" in text and "Worker, Wera" in text
    assert "AktivA Worker-Probe" in text and sessions[0].date.strftime("%d.%m.%Y") in text
    assert "Tina Trainerin" in text
