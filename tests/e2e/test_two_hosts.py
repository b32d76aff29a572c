"""Two web hosts and two workers against one PostgreSQL, Redis and object storage, plus
one beat: what a jobcenter or a state IT provider runs. Nothing may depend on state that
only one process has."""

import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from aktiva.models import Document
from feedback.models import Response
from feedback.throttle import WRONG_CODES_ALLOWED
from tests.e2e.conftest import ROOT, database_url, free_port, start_worker, stop, worker_output
from tests.factories import TrainerFactory
from tests.feedback.factories import FeedbackCodeFactory, who5_questionnaire
from tests.participants.factories import EnrollmentFactory, ParticipantFactory, run_with_sessions

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)"),
]


@pytest.fixture
def cluster(broker, s3_bucket, tmp_path):
    """Web A and B (gunicorn), two workers and a beat, all sharing database, Redis, bucket."""
    log = broker
    client, bucket, storage = s3_bucket
    options = storage["OPTIONS"]
    shared = {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": options["endpoint_url"],
        "AWS_S3_REGION_NAME": options["region_name"],
        "AWS_ACCESS_KEY_ID": options["access_key"],
        "AWS_SECRET_ACCESS_KEY": options["secret_key"],
        # No shared disk: anything written locally would be missing on the other host.
        "MEDIA_ROOT": str(tmp_path / "not-shared"),
    }
    env = {
        **os.environ,
        **shared,
        "DATABASE_URL": database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DEBUG": "1",
    }
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "aktiva.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for port in ports
    ]
    processes += [start_worker(log, **shared, CELERY_WORKER_NAME=f"w{i}") for i in (1, 2)]
    schedule = Path(tempfile.mkdtemp()) / "beat-schedule"
    processes.append(
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "aktiva",
                "beat",
                "--schedule",
                str(schedule),
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    )
    hosts = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + 60
        for host in hosts:
            while True:
                try:
                    if requests.get(f"{host}/healthz", timeout=5).ok:
                        break
                except requests.RequestException:
                    pass
                assert time.monotonic() < deadline, worker_output(log)
                time.sleep(0.3)
        yield hosts, log, (client, bucket)
    finally:
        for process in processes:
            stop(process)


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10)
    assert page.status_code == 200, page.text[:500]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def _login(session: requests.Session, host: str, user, log) -> None:
    # The servers are not under pytest: they check passwords with the production hasher.
    user.password = make_password("geheim-passwort-1", hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    token = _csrf(session, f"{host}/konto/anmelden/")
    response = session.post(
        f"{host}/konto/anmelden/",
        {"username": user.username, "password": "geheim-passwort-1", "csrfmiddlewaretoken": token},
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302, worker_output(log)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_web_hosts_and_two_workers_work_as_one(cluster, org, coordinator):
    (host_a, host_b), log, (s3, bucket) = cluster
    from django.core.cache import cache

    cache.clear()  # rate limits of earlier runs (same address, same Redis) start from zero
    trainer = TrainerFactory(organization=org, first_name="Tina", last_name="Trainerin")
    run, sessions = run_with_sessions(
        org, count=3, past=0, trainers=[trainer], title="AktivA Zwei Hosts"
    )
    EnrollmentFactory(
        run=run, participant=ParticipantFactory(organization=org, first_name="Ada", last_name="A")
    )

    # A session started on A works on B.
    staff = requests.Session()
    _login(staff, host_a, coordinator, log)
    assert staff.get(f"{host_b}/durchgaenge/", timeout=10).url.endswith("/durchgaenge/")

    # A document asked for on A is rendered by whichever worker takes it, downloaded from B.
    token = _csrf(staff, f"{host_a}/durchgaenge/{run.pk}/")
    asked = staff.post(
        f"{host_a}/teilnehmende/durchgang/{run.pk}/dokumente/signin_sheet/",
        {"session": sessions[0].pk, "csrfmiddlewaretoken": token},
        timeout=10,
        allow_redirects=False,
    )
    assert asked.status_code == 302, asked.text[:500]
    document = Document.objects.get()
    deadline = time.monotonic() + 60
    while document.status not in (Document.Status.DONE, Document.Status.FAILED):
        assert time.monotonic() < deadline, worker_output(log)
        time.sleep(0.3)
        document.refresh_from_db()
    assert document.status == Document.Status.DONE, worker_output(log)
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 1  # in the bucket, not on a disk
    download = staff.get(f"{host_b}/dokumente/{document.pk}/herunterladen/", timeout=10)
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert requests.get(
        f"{host_b}/dokumente/{document.pk}/herunterladen/", timeout=10
    ).url.endswith(f"/konto/anmelden/?next=/dokumente/{document.pk}/herunterladen/")

    # One answer per code, whichever host the two phones reach.
    code = FeedbackCodeFactory(run=run)
    items = list(who5_questionnaire().items.values_list("key", flat=True))
    answers = {key: "3" for key in items}
    results = []
    for host in (host_a, host_b):
        phone = requests.Session()
        url = f"{host}/f/{code.code}/vorher/"
        token = _csrf(phone, url)
        results.append(phone.post(url, {**answers, "csrfmiddlewaretoken": token}, timeout=10))
    assert Response.objects.filter(code=code).count() == 1
    assert "schon" in results[1].text  # the second phone is told it was given already

    # The wrong-code limit counts across both hosts (it lives in Redis, not in a process).
    phone = requests.Session()
    token = _csrf(phone, f"{host_a}/f/")
    for attempt in range(WRONG_CODES_ALLOWED):
        host = (host_a, host_b)[attempt % 2]
        phone.post(f"{host}/f/", {"code": "ZZZZ-ZZZZ", "csrfmiddlewaretoken": token}, timeout=10)
    assert (
        phone.post(
            f"{host_b}/f/", {"code": "ZZZZ-ZZZZ", "csrfmiddlewaretoken": token}, timeout=10
        ).status_code
        == 429
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_retention_is_safe_when_two_workers_run_it_at_once(cluster, org):
    from participants.models import Participant
    from participants.tasks import retention_task

    _hosts, log, _s3 = cluster
    long_ago = timezone.localdate() - timedelta(days=settings.AKTIVA_RETENTION_DAYS + 30)
    run, sessions = run_with_sessions(org, count=2)
    for session in sessions:
        session.date = long_ago
        session.save()
    people = EnrollmentFactory.create_batch(5, run=run)
    for _ in range(2):
        retention_task.apply_async()  # both workers take one at the same moment
    deadline = time.monotonic() + 60
    while Participant.objects.filter(anonymised_at__isnull=True).exists():
        assert time.monotonic() < deadline, worker_output(log)
        time.sleep(0.3)
    time.sleep(1)  # let the second run finish too
    assert Participant.objects.filter(anonymised_at__isnull=False).count() == len(people)
    assert all(p.first_name == "Anonymisiert" for p in Participant.objects.all())
    assert "Traceback" not in worker_output(log)
