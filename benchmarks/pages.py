"""Benchmark: every main page against the floor page, at demo size and at grown size.

    .venv/bin/python benchmarks/pages.py                 # builds the databases once, then measures
    .venv/bin/python benchmarks/pages.py --rebuild       # drops and builds them again
    .venv/bin/python benchmarks/pages.py --scale 0.01    # a smaller grown database (own name)

PostgreSQL only. Two databases next to the one in BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/aktiva_bench): `<name>_demo` holds the demo data
(`load_demo`), `<name>` the demo data grown by `benchmarks/grow.py` (about 8,800 runs,
120,000 participants, 1,000,000 attendance rows; a few minutes the first time, reused
afterwards). A scale other than 1 gets its own database (`<name>_s0_01`). Neither is ever
the test database.

Each size is measured in its own process: the Django test client in-process, logged in as
the demo's coordinator (the trainer `anna` for "my sessions"), 5 batches of 10 requests per
page; the pages take turns within each batch round, so a burst of load elsewhere on the
machine hits them alike. The two sizes take turns too, twice by default (`--rounds`). A
page's ms are its best batch, its cost in floors the median of its batches each over the
floor's batch of the same round (`in_floors`). The floor page (`benchmarks/floor.py`) is
measured in the same process. Targets: every page ≤ 2× the floor at demo size; at grown
size every page ≤ 1.2× its own demo-size cost (both counted in floors of their own run,
which takes out a change of the machine's load between the two); the batch of 15
certificates ≤ 1.5 s. The pages cache in Redis as in production (BENCH_CACHE_URL, default
db 14, emptied at the start of each size).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/aktiva_bench"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/14"
STATIC_PLAIN = "django.contrib.staticfiles.storage.StaticFilesStorage"
FLOOR_TARGET, GROWN_TARGET, BATCH_TARGET = 2.0, 1.2, 1.5


def database_url(base: str, size: str, scale: float) -> str:
    parts = urlsplit(base)
    name = parts.path.lstrip("/") or "aktiva_bench"
    if scale != 1.0:
        name += "_s" + re.sub(r"\W", "_", f"{scale:g}")
    if size == "demo":
        name += "_demo"
    return urlunsplit(parts._replace(path="/" + name))


def ensure_database(url: str, rebuild: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if re.search(r"(^test_|_h\d+$|^aktiva$)", name) or not re.fullmatch(r"\w+", name):
        raise SystemExit(f"refusing to use {name!r} for the benchmark")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and rebuild:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str, cache_url: str = "") -> None:
    os.environ["DATABASE_URL"] = url
    # The cache a production process has (Redis): several pages keep parts in it, and a
    # read from Redis costs a round trip that the process's own memory would hide.
    if cache_url:
        os.environ["REDIS_URL"] = cache_url
    # A production-like process: no debug machinery, cached templates.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aktiva.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test import override_settings

    # The manifest of hashed static names needs `collectstatic`; its lookup is a dict get.
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_PLAIN}}
    override_settings(STORAGES=storages).enable()


def prepare(size: str, scale: float, seed: int, log=print) -> None:
    """Migrate, load the demo, and grow (grown size): each step only when not done yet."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    if size == "grown":
        from benchmarks.grow import grow

        grow(scale=scale, seed=seed, log=log)
    from django.db import connection

    # Every measured page writes audit entries, run after run: the planner's statistics
    # are kept current, as autovacuum keeps them on a real server.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def pages() -> list[tuple[str, str, str]]:
    """(label, user, URL) for every main page, on the demo's objects (there at both sizes)."""
    from django.urls import reverse
    from django.utils import timezone

    from aktiva.models import Organization
    from feedback import services as feedback_services
    from feedback.models import FeedbackCode
    from feedback.public_views import SLUG_OF
    from participants.models import Participant
    from trainings.models import CourseRun, Session

    today = timezone.localdate()
    dresden = Organization.objects.get(name="Jobcenter Dresden")
    demo_runs = CourseRun.objects.filter(organization=dresden).order_by("pk")
    run = demo_runs.filter(status=CourseRun.Status.RUNNING).first()
    session = Session.objects.filter(run=run, date__lte=today, is_cancelled=False).last()
    results_run = (
        demo_runs.filter(status=CourseRun.Status.COMPLETED, feedback_codes__responses__isnull=False)
        .distinct()
        .first()
    )
    person = Participant.objects.filter(organization=dresden).order_by("pk").first()
    open_code = moment = None
    for candidate in demo_runs.exclude(status=CourseRun.Status.CANCELLED).with_dates():
        spare = FeedbackCode.objects.filter(run=candidate, responses__isnull=True).first()
        if spare is None:
            continue
        try:
            _code, dates = feedback_services.code_open(code=spare.code)
        except feedback_services.CodeError:
            continue
        moments = feedback_services.moments_open(dates, today)
        if moments:
            open_code, moment = spare.code, SLUG_OF[moments[0]]
            break
    trainer = run.trainers.exclude(user=None).first().user.username
    result = [
        ("dashboard", "koordination", reverse("dashboard")),
        ("runs list", "koordination", reverse("trainings:run_list")),
        (
            "runs list, filtered",
            "koordination",
            reverse("trainings:run_list") + f"?status=completed&period_from={today.year}-01-01",
        ),
        ("run detail", "koordination", reverse("trainings:run_detail", args=[run.pk])),
        ("calendar", "koordination", reverse("trainings:calendar")),
        ("participants list", "koordination", reverse("participants:list")),
        (
            "participant search, name",
            "koordination",
            reverse("participants:list") + f"?q={person.last_name}",
        ),
        (
            "participant search, customer no.",
            "koordination",
            reverse("participants:list") + f"?q={person.customer_number}",
        ),
        ("run participants", "koordination", reverse("participants:run", args=[run.pk])),
        ("attendance", trainer, reverse("participants:attendance", args=[session.pk])),
        ("matrix", "koordination", reverse("participants:matrix", args=[run.pk])),
        ("today", trainer, reverse("participants:today")),
        ("year report", "koordination", reverse("feedback:year_report_year", args=[today.year])),
        ("run results", "koordination", reverse("feedback:run_results", args=[results_run.pk])),
        ("my sessions", trainer, reverse("trainings:my_sessions")),
        ("trainer list", "koordination", reverse("trainings:trainer_list")),
        ("audit trail", "koordination", reverse("audit:trail")),
    ]
    if open_code:
        result += [
            ("feedback code page", "", reverse("feedback:public_code", args=[open_code])),
            (
                "feedback form",
                "",
                reverse("feedback:public_form", args=[open_code, moment]),
            ),
        ]
    return result


def clients(users) -> dict:
    from django.contrib.auth.models import User
    from django.test import Client

    result = {}
    for username in users:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        result[username] = client
    return result


def measure(page_list, *, batches: int = 5, requests: int = 10) -> dict[str, list[float]]:
    """`batches` batches of `requests` requests per page, each page's batches in ms per
    request; batch i of every page (and of the floor) is measured in round i."""
    from django.test import override_settings

    page_list = [("floor", "koordination", "/__boden__/"), *page_list]
    by_user = clients({user for _, user, _ in page_list})
    times = {label: [] for label, _, _ in page_list}
    with override_settings(ROOT_URLCONF="benchmarks.floor"):
        for label, user, url in page_list:  # warm up, and every page must answer 200
            response = by_user[user].get(url)
            if response.status_code != 200:
                raise SystemExit(f"{label}: {url} answered {response.status_code}")
        for _ in range(batches):
            for label, user, url in page_list:
                client = by_user[user]
                start = time.perf_counter()
                for _ in range(requests):
                    client.get(url)
                times[label].append((time.perf_counter() - start) / requests * 1000)
    return times


def certificate_batch() -> float:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from certificates import context_for, plain_certificates

    from aktiva.pdf import html_to_pdf
    from participants.documents import certificates_pdf

    html_to_pdf("<p>x</p>")  # the fonts load once per process
    run, certificates = plain_certificates()
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        certificates_pdf(context_for(run, certificates))
        best = min(best, time.perf_counter() - start)
    return best


def counts() -> dict[str, int]:
    from participants.models import Attendance, Participant
    from trainings.models import CourseRun

    return {
        "runs": CourseRun.objects.count(),
        "participants": Participant.objects.count(),
        "attendance rows": Attendance.objects.count(),
    }


def child(args) -> None:
    url = database_url(args.database_url, args.size, args.scale)
    ensure_database(url, args.rebuild)
    setup_django(url, args.cache_url)
    from django.core.cache import cache

    cache.clear()  # the benchmark's own Redis database: no parts of an earlier run
    started = time.perf_counter()
    prepare(args.size, args.scale, args.seed, log=lambda line: print(line, file=sys.stderr))
    print(f"{args.size}: ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    chosen = [p for p in pages() if not args.only or any(o in p[0] for o in args.only)]
    figures = measure(chosen, batches=args.batches, requests=args.requests)
    result = {"pages": figures, "counts": counts()}
    if args.size == "demo" and not args.no_pdf:
        result["certificates"] = certificate_batch()
    print(json.dumps(result))


def verdict(ok: bool) -> str:
    return "met" if ok else "not met"


def in_floors(label: str, times: dict) -> float:
    """A page's cost in floors: the median of its batches each over the floor's batch of
    the same round. A slow second on a shared machine slows a round's page and floor
    alike; the best page over the best floor compared moments that could be a minute
    apart, and one lucky floor batch made every page of a size look dearer."""
    return statistics.median(
        page / floor for page, floor in zip(times[label], times["floor"], strict=True)
    )


def grown_cost(label: str, d: dict, g: dict) -> float:
    """A page's cost at grown size over its cost at demo size, each in floors of its own
    process: the two sizes are measured one after the other, and on a shared machine the
    load can change in between; the floor measured alongside takes that out."""
    return in_floors(label, g) / in_floors(label, d)


def table(demo: dict, grown: dict, *, out=print) -> None:
    d, g = demo["pages"], grown["pages"]
    out("sizes: " + "; ".join(
        f"{name}: " + ", ".join(f"{v:,} {k}" for k, v in sizes["counts"].items())
        for name, sizes in (("demo", demo), ("grown", grown))
    ))  # fmt: skip
    out(
        f"{'page':34} {'demo ms':>8} {'×floor':>7} {'≤2×':>8} "
        f"{'grown ms':>9} {'×floor':>7} {'×demo':>6} {'≤1.2×':>8}  (×demo: in floors of each size)"
    )
    for label in d:
        demo_ratio = in_floors(label, d)
        grown_ratio = grown_cost(label, d, g)
        floor_row = label == "floor"
        out(
            f"{label:34} {min(d[label]):8.1f} {demo_ratio:7.2f} "
            f"{'' if floor_row else verdict(demo_ratio <= FLOOR_TARGET):>8} "
            f"{min(g[label]):9.1f} {in_floors(label, g):7.2f} {grown_ratio:6.2f} "
            f"{'' if floor_row else verdict(grown_ratio <= GROWN_TARGET):>8}"
        )
    pages_only = [label for label in d if label != "floor"]
    met_floor = sum(in_floors(p, d) <= FLOOR_TARGET for p in pages_only)
    met_grown = sum(grown_cost(p, d, g) <= GROWN_TARGET for p in pages_only)
    out(f"pages ≤ 2× floor at demo size: {met_floor} of {len(pages_only)}")
    out(f"pages ≤ 1.2× demo cost at grown size: {met_grown} of {len(pages_only)}")
    if "certificates" in demo:
        batch = demo["certificates"]
        out(f"batch of 15 certificates: {batch * 1000:.0f} ms (≤ 1500 ms: {verdict(batch <= 1.5)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--scale", type=float, default=1.0, help="grown size, 1 = 8,800 runs")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--rebuild", action="store_true", help="drop and build the databases")
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2, help="turns of the two sizes")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--no-pdf", action="store_true", help="skip the certificate batch")
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("BENCH_CACHE_URL", DEFAULT_CACHE_URL),
        help="the Redis database the pages cache in (emptied first); '' for process memory",
    )
    parser.add_argument(
        "--only", action="append", help="measure only pages whose label contains this"
    )
    parser.add_argument("--size", choices=["demo", "grown"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.size:
        child(args)
        return
    results = {}
    # The sizes take turns, and each page's batches of all turns count: on a shared
    # machine a slow minute that fell on one size's only turn made every page of that
    # size look 1.3 to 1.5 times dearer in one run (2026-12-03).
    for round_ in range(args.rounds):
        for size in ("demo", "grown"):
            again = ["--no-pdf"] if round_ else []
            command = [sys.executable, __file__, *sys.argv[1:], *again, "--size", size]
            done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            if size in results:
                for label, times in result["pages"].items():
                    results[size]["pages"][label] += times
            else:
                results[size] = result
    load = os.getloadavg()[0]
    print(
        f"{args.rounds} turns of each size, {args.batches} batches of {args.requests} requests"
        " a page in each; ms: the best batch, ms per request; ×floor: the median of each"
        " batch over the floor's batch of its round; "
        f"load average {load:.1f} on {os.cpu_count()} cores; "
        f"cache: {args.cache_url or 'process memory'}"
    )
    table(results["demo"], results["grown"])


if __name__ == "__main__":
    main()
