"""Real processes for end-to-end tests: Celery workers, beat and web servers against the
local PostgreSQL and Redis (CI sets DATABASE_URL and REDIS_URL)."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from aktiva.models import Document

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return f"postgres://{quote(db['USER'])}{password}@{host}/{db['NAME']}"


def start_worker(log, **env_extra) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
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


def stop(process: subprocess.Popen) -> None:
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
    process = start_worker(broker)
    try:
        yield process, broker
    finally:
        stop(process)


def wait_until_finished(document: Document, process, log, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.status in (Document.Status.DONE, Document.Status.FAILED):
            return
        assert process.poll() is None, worker_output(log)
        time.sleep(0.2)


def worker_output(log) -> str:
    log.flush()
    log.seek(0)
    return log.read().decode(errors="replace")[-3000:]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
