"""Benchmark: PDF throughput of one Celery worker against two, on the same queue.

    .venv/bin/python benchmarks/pdf_workers.py              # 24 documents per round
    .venv/bin/python benchmarks/pdf_workers.py --documents 40

Real `celery worker` processes (`--pool solo --concurrency 1`, the way the e2e tests start
them) on a real Redis broker in its own database (BENCH_REDIS_URL, default
redis://127.0.0.1:6379/15, and its own queue name), on the demo database of
`benchmarks/pages.py` (built there when missing). Each document is the certificates of the
demo's completed run, the way the run page asks for them. The workers start and render one
document each first (fonts and templates load once per process); then the clock runs from
queueing the whole queue until the last document is done.

Target: two workers ≥ 1.8× the throughput of one. The machine has 2 cores, so two workers
can only reach it when nothing else runs; the load average is printed with the figures.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages as bench  # noqa: E402

ROOT = bench.ROOT
QUEUE = "benchmark_pdf"
TARGET = 1.8


def start_worker(index: int, env: dict, log) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "aktiva",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            QUEUE,
            "-n",
            f"bench{index}@%h",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def queue_documents(run, count: int) -> list[int]:
    from aktiva.models import Document
    from aktiva.tasks import document_render_task
    from participants.documents import Certificates

    documents = Document.objects.bulk_create(
        Document(
            organization=run.organization,
            kind=Certificates.key,
            params={"run": run.pk},
            title=f"Benchmark {n}",
            queued_at=run.created_at,
        )
        for n in range(count)
    )
    for document in documents:  # the task the application queues, on the benchmark's queue
        document_render_task.apply_async(args=[document.pk], queue=QUEUE, retry=False)
    return [d.pk for d in documents]


def wait_done(ids: list[int], timeout: float = 600) -> None:
    from aktiva.models import Document

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = set(Document.objects.filter(pk__in=ids).values_list("status", flat=True))
        if states <= {Document.Status.DONE, Document.Status.FAILED}:
            failed = Document.objects.filter(pk__in=ids, status=Document.Status.FAILED).count()
            if failed:
                raise SystemExit(f"{failed} documents failed")
            return
        time.sleep(0.05)
    raise SystemExit("the workers did not finish in time")


def round_with(workers: int, run, count: int, env: dict, folder: Path) -> tuple[float, list]:
    """Documents per second with this many worker processes, and how many each rendered."""
    logs = [open(folder / f"worker-{workers}-{i}.log", "w+") for i in range(workers)]  # noqa: SIM115
    processes = [start_worker(i, env, log) for i, log in enumerate(logs)]
    try:
        wait_done(queue_documents(run, workers * 2))  # warm-up: every process renders once
        before = [_rendered(log) for log in logs]
        start = time.perf_counter()
        wait_done(queue_documents(run, count))
        rate = count / (time.perf_counter() - start)
        time.sleep(0.5)  # the last log lines
        return rate, [_rendered(log) - b for log, b in zip(logs, before, strict=True)]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        for log in logs:
            log.close()


def _rendered(log) -> int:
    log.flush()
    log.seek(0)
    return sum("document_render_task" in line and "succeeded" in line for line in log)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", bench.DEFAULT_URL)
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    )
    parser.add_argument("--documents", type=int, default=24)
    args = parser.parse_args()
    url = bench.database_url(args.database_url, "demo", 1.0)
    bench.ensure_database(url, rebuild=False)
    media = tempfile.mkdtemp(prefix="aktiva-bench-media-")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "REDIS_URL": args.redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "MEDIA_ROOT": media,
        "DEBUG": "1",  # static files from the source folders, as in the e2e tests
    }
    os.environ.update(env)
    bench.setup_django(url)
    bench.prepare("demo", 1.0, 0)

    from participants.models import Certificate
    from trainings.models import CourseRun

    run = (
        CourseRun.objects.filter(certificates__revoked_at__isnull=True)
        .order_by("pk")
        .distinct()
        .first()
    )
    per_document = Certificate.objects.valid().filter(run=run).count()
    try:
        one, _ = round_with(1, run, args.documents, env, Path(media))
        two, shares = round_with(2, run, args.documents, env, Path(media))
    finally:
        shutil.rmtree(media, ignore_errors=True)
    print(
        f"{args.documents} documents of {per_document} certificates each; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"one worker:   {one:6.2f} documents/s ({one * per_document:6.1f} certificates/s)")
    print(
        f"two workers:  {two:6.2f} documents/s ({two * per_document:6.1f} certificates/s; "
        f"rendered {' + '.join(map(str, shares))})"
    )
    ratio = two / one
    print(
        f"two / one:    {ratio:6.2f} (target ≥ {TARGET}: {'met' if ratio >= TARGET else 'not met'})"
    )


if __name__ == "__main__":
    main()
