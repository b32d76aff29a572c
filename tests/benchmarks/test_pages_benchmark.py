"""The page benchmark cannot rot: it grows a tiny database, measures every page and prints
its table (the real run takes minutes and is not part of the suite)."""

import pytest
from django.core.management import call_command
from django.db import connection

from benchmarks import pages
from benchmarks.grow import grow
from trainings.models import CourseRun

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark grows its database with PostgreSQL's COPY")


def test_grows_a_tiny_database_once_and_prints_the_table(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": pages.STATIC_PLAIN},
    }
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    demo = {"pages": pages.measure(pages.pages(), batches=1, requests=1), "counts": pages.counts()}

    assert grow(scale=0.001, seed=1, log=lambda line: None)
    assert not grow(scale=0.001, seed=1), "a second call reuses the grown database"
    with pytest.raises(RuntimeError):
        grow(scale=0.002, seed=1)
    grown = {"pages": pages.measure(pages.pages(), batches=1, requests=1), "counts": pages.counts()}
    assert grown["counts"]["runs"] > demo["counts"]["runs"]
    assert grown["counts"]["attendance rows"] > demo["counts"]["attendance rows"]
    # COPY passes by the services: the runs' stored first and last days are set all the same
    stored = CourseRun.objects.values_list("pk", "held_from", "held_until")
    dated = CourseRun.objects.with_dates().values_list("pk", "first_date", "last_date")
    assert set(stored) == set(dated)
    assert stored.filter(held_from__isnull=False).count() > demo["counts"]["runs"]

    lines = []
    pages.table(demo, grown, out=lines.append)
    text = "\n".join(lines)
    for label in ("floor", "dashboard", "runs list, filtered", "year report", "audit trail",
                  "participant search, customer no.", "feedback form", "my sessions"):  # fmt: skip
        assert f"\n{label} " in text, text
    assert "pages ≤ 2× floor at demo size:" in text and ("met" in text), text


def test_never_uses_a_test_or_colleague_database():
    with pytest.raises(SystemExit):
        pages.ensure_database("postgres://postgres@127.0.0.1:5432/test_aktiva", rebuild=True)
    with pytest.raises(SystemExit):
        pages.ensure_database("postgres://postgres@127.0.0.1:5432/aktiva_h3", rebuild=True)
    assert pages.database_url("postgres://h:5432/aktiva_bench", "demo", 1.0).endswith(
        "/aktiva_bench_demo"
    )
    assert pages.database_url("postgres://h:5432/aktiva_bench", "grown", 0.01).endswith(
        "/aktiva_bench_s0_01"
    )
