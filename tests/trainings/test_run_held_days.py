"""A run's stored first and last held day (`CourseRun.held_from`, `held_until`): every path
that writes sessions keeps them equal to `with_dates()`, and the runs list orders and
filters by them."""

from datetime import date, time, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from trainings import services
from trainings.models import CourseRun, Session

from ..factories import CourseRunFactory, SessionFactory, catalogue_module


def _stored(run: CourseRun) -> tuple:
    run.refresh_from_db()
    return run.held_from, run.held_until


def _computed(run: CourseRun) -> tuple:
    dated = CourseRun.objects.with_dates().get(pk=run.pk)
    return dated.first_date, dated.last_date


def _assert_exact(*runs: CourseRun) -> None:
    for run in runs:
        assert _stored(run) == _computed(run), run


def _generate(run, start, count=4):
    return services.schedule_generate(
        run=run,
        start=start,
        weekdays=[0, 1, 2, 3],
        start_time=time(9),
        end_time=time(12, 30),
        count=count,
        modules=[catalogue_module("aktivitaetenplanung")],
    ).sessions


def test_the_schedule_generator_stores_the_days(org):
    run = CourseRunFactory(organization=org)
    assert _stored(run) == (None, None)
    sessions = _generate(run, date(2026, 11, 16))
    assert (
        _stored(run)
        == (sessions[0].date, sessions[-1].date)
        == (
            date(2026, 11, 16),
            date(2026, 11, 23),
        )
    )
    _generate(run, date(2027, 1, 11), count=2)  # a second schedule extends the run
    assert _stored(run) == (date(2026, 11, 16), date(2027, 1, 12))


def test_moving_adding_cancelling_and_uncancelling_keep_the_days_exact(org):
    run = CourseRunFactory(organization=org)
    first, *_middle, last = _generate(run, date(2026, 11, 16))  # 16., 17., 19., 23.

    services.session_save(session=services._with(last, date=date(2026, 12, 7)), modules=[])
    assert _stored(run) == (date(2026, 11, 16), date(2026, 12, 7))

    added = Session(run=run, date=date(2026, 11, 2), start_time=time(9), end_time=time(12))
    services.session_save(session=added, modules=[])
    assert _stored(run) == (date(2026, 11, 2), date(2026, 12, 7))

    services.session_set_cancelled(session=added, cancelled=True)
    assert _stored(run) == (date(2026, 11, 16), date(2026, 12, 7))
    services.session_set_cancelled(session=first, cancelled=True)
    assert _stored(run) == (date(2026, 11, 17), date(2026, 12, 7))
    services.session_set_cancelled(session=added, cancelled=False)
    assert _stored(run) == (date(2026, 11, 2), date(2026, 12, 7))
    _assert_exact(run)

    for session in run.sessions.all():
        services.session_set_cancelled(session=session, cancelled=True)
    assert _stored(run) == (None, None) == _computed(run)


def test_the_session_pages_keep_the_days_exact(coordinator_client, org):
    run = CourseRunFactory(organization=org)
    first, second, *_ = _generate(run, date(2026, 11, 16))
    cancel = reverse("trainings:session_cancel", args=[run.pk, first.pk])
    coordinator_client.post(cancel, {"cancelled": "1"})
    assert _stored(run) == (date(2026, 11, 17), date(2026, 11, 23))
    coordinator_client.post(
        reverse("trainings:session_update", args=[run.pk, second.pk]),
        {"date": "2026-11-10", "start_time": "09:00", "end_time": "12:00"},
    )
    assert _stored(run) == (date(2026, 11, 10), date(2026, 11, 23))
    coordinator_client.post(cancel, {"cancelled": "0"})
    assert _stored(run) == (date(2026, 11, 10), date(2026, 11, 23))
    _assert_exact(run)


@pytest.fixture
def admin_client(db):
    admin = User.objects.create_superuser("platform", "platform@example.org", "x")
    client = Client()
    client.force_login(admin)
    return client


def _inline(run, sessions, **rows):
    """The admin's change form of a run with its session inline; `rows` change or add."""
    data = {
        "organization": run.organization_id,
        "title": run.title,
        "capacity": run.capacity,
        "min_participants": run.min_participants,
        "status": run.status,
        "sessions-TOTAL_FORMS": len(sessions) + 1,
        "sessions-INITIAL_FORMS": len(sessions),
        "sessions-MIN_NUM_FORMS": 0,
        "sessions-MAX_NUM_FORMS": 1000,
    }
    for i, s in enumerate([*sessions, None]):
        prefix = f"sessions-{i}-"
        if s is not None:
            data |= {
                prefix + "id": s.pk,
                prefix + "run": run.pk,
                prefix + "date": s.date.isoformat(),
                prefix + "start_time": "09:00",
                prefix + "end_time": "12:30",
            }
            if s.is_cancelled:
                data[prefix + "is_cancelled"] = "on"
        else:
            data[prefix + "run"] = run.pk
    for key, value in rows.items():
        data[key.replace("__", "-")] = value
    return data


def test_the_admin_keeps_the_days_exact_when_it_adds_moves_cancels_and_deletes(admin_client, org):
    run = CourseRunFactory(organization=org)
    sessions = _generate(run, date(2026, 11, 16))  # 16., 17., 19., 23.
    url = reverse("admin:trainings_courserun_change", args=[run.pk])

    def post(**rows):
        current = list(run.sessions.order_by("date"))
        response = admin_client.post(url, _inline(run, current, **rows))
        assert response.status_code == 302, response.context["errors"]

    post(**{"sessions__4__date": "2026-11-02", "sessions__4__start_time": "09:00",
            "sessions__4__end_time": "12:00"})  # fmt: skip
    assert _stored(run) == (date(2026, 11, 2), date(2026, 11, 23))
    post(**{"sessions__0__is_cancelled": "on"})  # the added one, now first
    assert _stored(run) == (date(2026, 11, 16), date(2026, 11, 23))
    post(**{"sessions__4__date": "2026-12-14"})  # the last one moves
    assert _stored(run) == (date(2026, 11, 16), date(2026, 12, 14))
    post(**{"sessions__1__DELETE": "on"})  # the 16th goes
    assert _stored(run) == (date(2026, 11, 17), date(2026, 12, 14))
    assert not Session.objects.filter(pk=sessions[0].pk).exists()
    _assert_exact(run)


def test_the_demo_and_the_migration_store_exact_days(db):
    call_command("load_demo", stdout=StringIO())
    runs = list(CourseRun.objects.all())
    assert any(r.held_from for r in runs)
    _assert_exact(*runs)

    CourseRun.objects.update(held_from=None, held_until=None)
    fill = __import__(
        "trainings.migrations.0005_run_held_days", fromlist=["fill_held_days"]
    ).fill_held_days
    fill(apps, None)
    _assert_exact(*runs)


def _listed(client, query=""):
    order = client.get(reverse("trainings:run_list") + query).context["run_ids"]
    titles = CourseRun.objects.in_bulk(order)
    return [titles[pk].title for pk in order]


def test_the_period_filter_finds_runs_with_a_held_session_in_it(coordinator_client, org):
    around = CourseRunFactory(organization=org, title="Vorher und nachher")
    SessionFactory(run=around, date=date(2026, 3, 2))
    SessionFactory(run=around, date=date(2026, 3, 20))
    inside = CourseRunFactory(organization=org, title="Mittendrin")
    SessionFactory(run=inside, date=date(2026, 3, 10))
    SessionFactory(run=inside, date=date(2026, 4, 1))
    cancelled_inside = CourseRunFactory(organization=org, title="Abgesagt mittendrin")
    SessionFactory(run=cancelled_inside, date=date(2026, 2, 1))
    SessionFactory(run=cancelled_inside, date=date(2026, 3, 10), is_cancelled=True)
    SessionFactory(run=cancelled_inside, date=date(2026, 5, 1))
    CourseRunFactory(organization=org, title="Ohne Termine")

    assert set(_listed(coordinator_client, "?period_from=2026-03-05&period_to=2026-03-15")) == {
        "Mittendrin"
    }
    assert set(_listed(coordinator_client, "?period_from=2026-03-21")) == {
        "Mittendrin",
        "Abgesagt mittendrin",
    }
    assert set(_listed(coordinator_client, "?period_to=2026-03-01")) == {"Abgesagt mittendrin"}
    assert set(_listed(coordinator_client, "?period_to=2026-03-02")) == {
        "Abgesagt mittendrin",
        "Vorher und nachher",
    }
    CourseRun.objects.filter(title="Mittendrin").update(status=CourseRun.Status.COMPLETED)
    assert _listed(coordinator_client, "?status=completed&period_from=2026-03-01") == ["Mittendrin"]


def test_the_runs_list_follows_a_cancelled_first_session(coordinator_client, org):
    """The order comes from the stored days: cancelling a run's first session moves it."""
    today = date(2026, 6, 1)
    a = CourseRunFactory(organization=org, title="A")
    a_first = SessionFactory(run=a, date=today)
    SessionFactory(run=a, date=today + timedelta(days=20))
    b = CourseRunFactory(organization=org, title="B")
    SessionFactory(run=b, date=today + timedelta(days=10))
    assert _listed(coordinator_client) == ["B", "A"]
    services.session_set_cancelled(session=a_first, cancelled=True)
    assert _listed(coordinator_client) == ["A", "B"]
