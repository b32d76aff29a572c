"""Runs, sessions, schedule and dashboard pages: access per role, bad input, query counts."""

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from trainings import selectors
from trainings.models import CourseRun

from ..caching import queries
from ..factories import (
    CourseRunFactory,
    LocationFactory,
    SessionFactory,
    TrainerFactory,
    catalogue_module,
)

COORDINATOR_PAGES = [
    ("trainings:run_create", lambda run, s: []),
    ("trainings:run_update", lambda run, s: [run.pk]),
    ("trainings:run_cancel", lambda run, s: [run.pk]),
    ("trainings:schedule_generate", lambda run, s: [run.pk]),
    ("trainings:session_create", lambda run, s: [run.pk]),
    ("trainings:session_update", lambda run, s: [run.pk, s.pk]),
]
MEMBER_PAGES = [
    ("dashboard", lambda run, s: []),
    ("trainings:run_list", lambda run, s: []),
    ("trainings:run_detail", lambda run, s: [run.pk]),
]
POST_ACTIONS = [
    ("trainings:run_transition", lambda run, s: [run.pk], {"to": "planned"}),
    ("trainings:session_cancel", lambda run, s: [run.pk, s.pk], {"cancelled": "1"}),
]


@pytest.mark.parametrize("name, args", COORDINATOR_PAGES + MEMBER_PAGES)
def test_anonymous_is_sent_to_login(anonymous_client, run, session, name, args):
    response = anonymous_client.get(reverse(name, args=args(run, session)))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name, args", COORDINATOR_PAGES)
def test_trainer_cannot_reach_planning_pages(trainer_client, run, session, name, args):
    assert trainer_client.get(reverse(name, args=args(run, session))).status_code == 403


@pytest.mark.parametrize("name, args, data", POST_ACTIONS)
def test_trainer_cannot_change_runs(trainer_client, run, session, name, args, data):
    assert trainer_client.post(reverse(name, args=args(run, session)), data).status_code == 403
    run.refresh_from_db()
    session.refresh_from_db()
    assert run.status == CourseRun.Status.DRAFT and not session.is_cancelled


@pytest.mark.parametrize(
    "name, args",
    [
        p
        for p in COORDINATOR_PAGES + MEMBER_PAGES
        if p[0] not in ("trainings:run_create", "dashboard", "trainings:run_list")
    ],
)
def test_other_organization_gets_404(outsider_client, run, session, name, args):
    assert outsider_client.get(reverse(name, args=args(run, session))).status_code == 404


@pytest.mark.parametrize("name, args, data", POST_ACTIONS)
def test_other_organization_cannot_post(outsider_client, run, session, name, args, data):
    assert outsider_client.post(reverse(name, args=args(run, session)), data).status_code == 404
    run.refresh_from_db()
    assert run.status == CourseRun.Status.DRAFT


def test_lists_do_not_show_other_organizations_runs(outsider_client, run):
    assert (
        "AktivA Winter" not in outsider_client.get(reverse("trainings:run_list")).content.decode()
    )
    assert "AktivA Winter" not in outsider_client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize("name, args", COORDINATOR_PAGES + MEMBER_PAGES)
def test_coordinator_opens_every_page(coordinator_client, run, session, name, args):
    assert coordinator_client.get(reverse(name, args=args(run, session))).status_code == 200


def test_trainer_sees_own_runs_only(trainer_client, run, org):
    foreign = CourseRunFactory(organization=org, title="Fremder Kurs")
    listing = trainer_client.get(reverse("trainings:run_list")).content.decode()
    assert "AktivA Winter" in listing and "Fremder Kurs" not in listing
    assert trainer_client.get(reverse("trainings:run_detail", args=[run.pk])).status_code == 200
    assert trainer_client.get(reverse("trainings:run_detail", args=[foreign.pk])).status_code == 404


def test_user_without_organization_gets_403(client, django_user_model):
    user = django_user_model.objects.create_user("ohne", password="x")
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 403


# --- creating and editing runs -------------------------------------------------------------------


def test_create_run_with_trainers_and_modules(coordinator_client, org, trainer):
    room = LocationFactory(organization=org)
    core = catalogue_module("aktivitaetenplanung")
    response = coordinator_client.post(
        reverse("trainings:run_create"),
        {
            "title": "AktivA Frühling",
            "location": room.pk,
            "capacity": 12,
            "min_participants": 8,
            "trainers": [trainer.pk],
            "modules": [core.pk],
            "notes": "",
        },
    )
    run = CourseRun.objects.get(title="AktivA Frühling")
    assert response.status_code == 302 and response.url == reverse(
        "trainings:schedule_generate", args=[run.pk]
    )
    assert run.organization == org and run.status == CourseRun.Status.DRAFT
    assert list(run.trainers.all()) == [trainer] and list(run.modules.all()) == [core]


def test_create_run_rejects_bad_input_and_keeps_it(coordinator_client, org):
    response = coordinator_client.post(
        reverse("trainings:run_create"),
        {
            "title": "",
            "capacity": 10,
            "min_participants": 11,
            "notes": "Bitte nicht verlieren",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert "Die Mindestzahl darf nicht größer sein als die Zahl der Plätze." in html
    assert "Bitte nicht verlieren" in html and 'value="11"' in html
    assert not CourseRun.objects.exists()


def test_unqualified_trainer_is_refused_with_a_message(coordinator_client, org):
    lena = TrainerFactory(
        organization=org, qualified_on=None, first_name="Lena", last_name="Fischer"
    )
    response = coordinator_client.post(
        reverse("trainings:run_create"),
        {
            "title": "AktivA Sommer",
            "capacity": 12,
            "min_participants": 8,
            "trainers": [lena.pk],
        },
    )
    assert response.status_code == 200
    assert "Lena Fischer erfüllt das nicht" in response.content.decode()
    assert not CourseRun.objects.exists()


def test_other_organizations_trainer_cannot_be_chosen(coordinator_client, other_org):
    stranger = TrainerFactory(organization=other_org)
    response = coordinator_client.post(
        reverse("trainings:run_create"),
        {
            "title": "AktivA",
            "capacity": 12,
            "min_participants": 8,
            "trainers": [stranger.pk],
        },
    )
    assert response.status_code == 200 and not CourseRun.objects.exists()
    assert "keine gültige Auswahl" in response.content.decode()


def test_edit_keeps_existing_sessions(coordinator_client, run, trainer):
    response = coordinator_client.post(
        reverse("trainings:run_update", args=[run.pk]),
        {
            "title": "AktivA Winter (neu)",
            "capacity": 12,
            "min_participants": 8,
            "trainers": [trainer.pk],
        },
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.title == "AktivA Winter (neu)" and run.sessions.count() == 1


# --- status and cancellation ---------------------------------------------------------------------


def test_transition_offers_only_allowed_steps(coordinator_client, run):
    html = coordinator_client.get(reverse("trainings:run_detail", args=[run.pk])).content.decode()
    assert 'value="planned"' in html and 'value="completed"' not in html
    coordinator_client.post(reverse("trainings:run_transition", args=[run.pk]), {"to": "planned"})
    run.refresh_from_db()
    assert run.status == CourseRun.Status.PLANNED


def test_forbidden_transition_is_refused_with_message(coordinator_client, run):
    response = coordinator_client.post(
        reverse("trainings:run_transition", args=[run.pk]), {"to": "completed"}, follow=True
    )
    run.refresh_from_db()
    assert run.status == CourseRun.Status.DRAFT
    assert "kann nicht auf" in response.content.decode()


def test_cancel_needs_reason_then_cancels(coordinator_client, run):
    url = reverse("trainings:run_cancel", args=[run.pk])
    response = coordinator_client.post(url, {"reason": ""})
    assert "Bitte geben Sie einen Grund für die Absage an." in response.content.decode()
    run.refresh_from_db()
    assert run.status == CourseRun.Status.DRAFT
    coordinator_client.post(url, {"reason": "Raum fällt aus"})
    run.refresh_from_db()
    assert run.status == CourseRun.Status.CANCELLED and run.cancellation_reason == "Raum fällt aus"


# --- query counts: constant as data grows --------------------------------------------------------


def _make_runs(org, trainer, n):
    today = timezone.localdate()
    for i in range(n):
        run = CourseRunFactory(
            organization=org, trainers=[trainer], location=LocationFactory(organization=org)
        )
        for k in range(3):
            SessionFactory(
                run=run,
                date=today + timedelta(days=k),
                start_time=time(8 + (i % 3)),
                end_time=time(8 + (i % 3), 30),
                modules=[catalogue_module("aktivitaetenplanung")],
            )


def _count(client, url):
    return queries(client, url)


@pytest.mark.parametrize("name", ["dashboard", "trainings:run_list"])
def test_list_pages_run_constant_queries(coordinator_client, org, trainer, name):
    _make_runs(org, trainer, 5)
    small = _count(coordinator_client, reverse(name))
    _make_runs(org, trainer, 45)
    assert _count(coordinator_client, reverse(name)) == small


def test_run_detail_runs_constant_queries(coordinator_client, org, trainer):
    run = CourseRunFactory(organization=org, trainers=[trainer])
    for k in range(5):
        SessionFactory(
            run=run,
            date=date(2026, 1, 5) + timedelta(days=k),
            modules=[catalogue_module("bewegung")],
        )
    url = reverse("trainings:run_detail", args=[run.pk])
    small = _count(coordinator_client, url)
    for k in range(45):
        SessionFactory(
            run=run,
            date=date(2026, 3, 2) + timedelta(days=k),
            modules=[catalogue_module("bewegung")],
        )
    _make_runs(org, trainer, 20)
    assert _count(coordinator_client, url) == small


@pytest.mark.parametrize(
    "name, args",
    [
        p
        for p in COORDINATOR_PAGES
        if p[0]
        in ("trainings:schedule_generate", "trainings:session_create", "trainings:session_update")
    ],
)
def test_closed_run_pages_redirect_with_a_message(coordinator_client, run, session, name, args):
    CourseRun.objects.filter(pk=run.pk).update(status=CourseRun.Status.COMPLETED)
    response = coordinator_client.post(
        reverse(name, args=args(run, session)),
        {
            "date": "2026-12-09",
            "start_time": "09:00",
            "end_time": "12:00",
            "start": "2026-12-09",
            "weekdays": ["0"],
            "count": "1",
        },
        follow=True,
    )
    assert "kann nicht mehr bearbeitet werden" in response.content.decode()
    assert run.sessions.count() == 1


def test_runs_list_pages_in_first_day_order_with_filters_in_constant_queries(
    coordinator_client, org, trainer
):
    """Paginated before the dates are added: runs without a held session first, then the
    newest first day; the page's runs carry their dates and trainers; the query count does
    not grow with the runs, filtered or not."""
    no_sessions = CourseRunFactory(organization=org, title="Ohne Termine")
    _make_runs(org, trainer, 3)
    early = CourseRunFactory(organization=org, trainers=[trainer], title="Frühjahr")
    SessionFactory(run=early, date=date(2020, 3, 2))
    SessionFactory(run=early, date=date(2020, 2, 3), is_cancelled=True)  # not its first day
    url = reverse("trainings:run_list")
    filtered = url + f"?status=draft&period_from=2020-01-01&trainer={trainer.pk}"
    small = _count(coordinator_client, url), _count(coordinator_client, filtered)

    page = coordinator_client.get(url)
    runs = selectors.runs_listed(page.context["run_ids"])
    assert runs[0] == no_sessions and runs[-1] == early
    assert runs[-1].first_date == date(2020, 3, 2) and runs[-1].session_count == 1
    assert runs[-1].trainer_names == [str(trainer)]
    assert len(runs) == 5 and not page.context["page"].has_next  # no COUNT of all runs

    _make_runs(org, trainer, 30)
    assert (_count(coordinator_client, url), _count(coordinator_client, filtered)) == small
    second = coordinator_client.get(url + "?page=2").context["run_ids"]
    assert second[-1] == early.pk and len(second) == 35 - 25


def test_dashboard_lists_the_weeks_first_sessions_and_links_the_rest(coordinator_client, org):
    from trainings.selectors import DASHBOARD_WEEK_SESSIONS

    today = timezone.localdate()
    run = CourseRunFactory(organization=org, title="Voller Kurs")
    for hour in range(DASHBOARD_WEEK_SESSIONS + 2):  # all today: the week has at least today
        SessionFactory(run=run, date=today, start_time=time(6 + hour), end_time=time(6 + hour, 30))
    SessionFactory(run=run, date=today - timedelta(days=7))  # last week
    html = coordinator_client.get(reverse("dashboard")).content.decode()
    week = html[html.index('id="week-heading"') : html.index('id="status-heading"')]
    assert week.count("Voller Kurs</a>") == DASHBOARD_WEEK_SESSIONS
    assert "2 weitere Termine diese Woche" in week
    assert f"?ansicht=woche&amp;datum={today.isoformat()}" in week
    # today's list shows as many and links the rest: "Anwesenheit heute" lists them all
    today_part = html[html.index('id="today-heading"') : html.index('id="week-heading"')]
    assert today_part.count("Anwesenheit erfassen<span") == DASHBOARD_WEEK_SESSIONS
    assert "2 weitere Termine heute" in today_part
    assert f'href="{reverse("participants:today")}"' in today_part


def test_dashboard_counts_only_todays_held_sessions_as_more(coordinator_client, org):
    from trainings.selectors import DASHBOARD_WEEK_SESSIONS

    today = timezone.localdate()
    run = CourseRunFactory(organization=org, title="Voller Kurs")
    for hour in range(DASHBOARD_WEEK_SESSIONS + 3):
        SessionFactory(
            run=run,
            date=today,
            start_time=time(6 + hour),
            end_time=time(6 + hour, 30),
            is_cancelled=hour == DASHBOARD_WEEK_SESSIONS + 2,  # the last one: not held
        )
    response = coordinator_client.get(reverse("dashboard"))
    assert len(response.context["today_sessions"]) == DASHBOARD_WEEK_SESSIONS
    assert response.context["today_more"] == 2
    assert response.context["week_more"] == 3


def test_dashboard_reads_the_weeks_sessions_and_their_counts_in_one_plain_query(
    coordinator_client, org
):
    """The counts are window functions before the LIMIT: no nested query (a row number
    filtered on is one, and costs twice the compile time)."""
    from trainings.selectors import DASHBOARD_WEEK_SESSIONS

    today = timezone.localdate()
    run = CourseRunFactory(organization=org)
    for hour in range(DASHBOARD_WEEK_SESSIONS + 1):
        SessionFactory(run=run, date=today, start_time=time(6 + hour), end_time=time(6 + hour, 30))
    with CaptureQueriesContext(connection) as queries:
        response = coordinator_client.get(reverse("dashboard"))
    week = [q["sql"] for q in queries if "OVER ()" in q["sql"]]
    assert len(week) == 1 and not week[0].startswith("SELECT * FROM (")
    assert len(response.context["week_sessions"]) == DASHBOARD_WEEK_SESSIONS
    assert response.context["week_more"] == response.context["today_more"] == 1


def test_run_detail_rows_come_formatted_and_actions_only_while_editable(
    coordinator_client, trainer_client, org, trainer
):
    run = CourseRunFactory(organization=org, trainers=[trainer], status=CourseRun.Status.RUNNING)
    SessionFactory(
        run=run,
        date=date(2026, 11, 23),
        start_time=time(9),
        end_time=time(12, 30),
        modules=[catalogue_module("aktivitaetenplanung"), catalogue_module("bewegung")],
    )
    SessionFactory(run=run, date=date(2026, 11, 24), is_cancelled=True)
    url = reverse("trainings:run_detail", args=[run.pk])
    response = coordinator_client.get(url)
    first, cancelled = response.context["session_rows"]
    assert (first.day, first.short_date, first.times) == (
        "Mo 23.11.2026",
        "23.11.2026",
        "09:00–12:30",
    )
    assert first.modules.startswith("Aktivitätenplanung, ")
    html = response.content.decode()
    assert "<del>Di 24.11.2026</del>" in html and "Wieder ansetzen" in html
    assert reverse("trainings:session_cancel", args=[run.pk, first.session.pk]) in html
    trainer_html = trainer_client.get(url).content.decode()
    assert "Wieder ansetzen" not in trainer_html and "Mo 23.11.2026" in trainer_html
    CourseRun.objects.filter(pk=run.pk).update(status=CourseRun.Status.COMPLETED)
    assert "Wieder ansetzen" not in coordinator_client.get(url).content.decode()


def test_runs_list_reads_the_trainer_filter_without_a_server_side_cursor(
    coordinator_client, org, trainer
):
    """The filter's trainers come with one plain query (Django's default is DECLARE, FETCH
    and CLOSE on PostgreSQL), and choosing one still filters."""
    led = CourseRunFactory(organization=org, title="Geleitet", trainers=[trainer])
    CourseRunFactory(organization=org, title="Ohne")
    with CaptureQueriesContext(connection) as ctx:
        response = coordinator_client.get(reverse("trainings:run_list") + f"?trainer={trainer.pk}")
    assert not [q for q in ctx.captured_queries if "DECLARE" in q["sql"]]
    assert list(response.context["run_ids"]) == [led.pk]
    assert f'<option value="{trainer.pk}" selected>{trainer}</option>' in response.content.decode()
