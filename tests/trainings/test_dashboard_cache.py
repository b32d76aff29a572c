"""The dashboard's overview (today's sessions, the week's, the runs per status, the runs
without trainers or with too few people) kept rendered, and its attendance warnings kept
(the names read every time), under the organization's RunsRevision and AttendanceRevision,
today and whose runs the member sees: every change shows at once, a trainer never gets a
coordinator's version, another organization's changes keep ours, and without Redis the page
still works."""

import re
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aktiva.models import Membership
from participants import services as participant_services
from participants.models import Attendance, AttendanceRevision, Enrollment, Participant
from trainings import attendance_warnings, selectors
from trainings.models import CourseRun, Location, Module, RunsRevision, Trainer
from trainings.services import course_run_transition

from ..caching import revision_of
from ..factories import (
    CourseRunFactory,
    MembershipFactory,
    SessionFactory,
    TrainerFactory,
    UserFactory,
    catalogue_module,
    run_with_sessions,
)
from ..participants.factories import EnrollmentFactory, ParticipantFactory, mark

URL = reverse("dashboard")
P, A = Attendance.Status.PRESENT, Attendance.Status.ABSENT
IN_ROW = "hat die letzten 2 Termine nacheinander verpasst"


def _revision(model, org) -> int:
    return revision_of(model, org)


def _revisions(org) -> tuple[int, int]:
    return _revision(RunsRevision, org), _revision(AttendanceRevision, org)


@pytest.fixture
def rendered(monkeypatch):
    """How often the overview was worked out and rendered, and the warnings worked out
    (cache misses), rather than read from the cache."""
    calls = {"overview": 0, "warnings": 0}
    dashboard, for_runs = selectors.dashboard, attendance_warnings.for_runs

    def counting_dashboard(*args, **kwargs):
        calls["overview"] += 1
        return dashboard(*args, **kwargs)

    def counting_for_runs(*args, **kwargs):
        calls["warnings"] += 1
        return for_runs(*args, **kwargs)

    monkeypatch.setattr(selectors, "dashboard", counting_dashboard)
    monkeypatch.setattr(attendance_warnings, "for_runs", counting_for_runs)
    return calls


@pytest.fixture
def led_run(org, trainer):
    """The trainer's running run: ten morning sessions, three held, the fourth today. Greta
    was there, then missed one (the third is not marked yet); Pia came every time. Nobody
    is warned about yet; two places of a minimum of two."""
    run, sessions = run_with_sessions(
        org,
        count=10,
        past=3,
        trainers=[trainer],
        title="Frühjahrskurs",
        status=CourseRun.Status.RUNNING,
        min_participants=2,
    )
    greta = EnrollmentFactory(
        run=run, participant__first_name="Greta", participant__last_name="Gefehlt"
    )
    mark(greta, sessions[:1], P)
    mark(greta, sessions[1:2], A)
    pia = EnrollmentFactory(run=run, participant__first_name="Pia")
    mark(pia, sessions[:3], P)
    run.greta, run.held = greta, sessions[:3]
    return run


def _page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str, heading_id: str) -> str:
    marker = f'id="{heading_id}"'
    if marker not in page:
        return ""
    start = page.index(marker)
    return page[start : page.index("</section>", start)]


def _today(page):
    return _section(page, "today-heading")


def _week(page):
    return _section(page, "week-heading")


def _warnings(page):
    return _section(page, "attendance-warnings-heading")


def _lacking_trainers(page):
    status = _section(page, "status-heading")
    if "Ohne Trainer/innen" not in status:
        return ""
    return status[status.index("Ohne Trainer/innen") : status.index("Zu wenige Teilnehmende")]


def _below_minimum(page):
    status = _section(page, "status-heading")
    return status[status.index("Zu wenige Teilnehmende") :]


def _status_counts(page) -> dict[str, int]:
    found = re.findall(
        r'\?status=(\w+)">[^<]*</a><span class="fw-semibold">(\d+)</span>',
        _section(page, "status-heading"),
    )
    return {status: int(n) for status, n in found}


def _tap(client, session, enrollment, status):
    """A tap on the attendance page (its htmx request, through the service it calls)."""
    url = reverse("participants:attendance_mark", args=[session.pk, enrollment.pk])
    response = client.post(url, {"status": status}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "gespeichert" in response.content.decode()


# --- the revisions -----------------------------------------------------------------------------


def test_every_change_to_places_and_marks_raises_only_its_organizations_attendance_revision(
    org, other_org, led_run, coordinator, trainer_client
):
    """Whichever way a place or a mark changes (the services, save(), update(), delete());
    the runs' revision stays: a mark changes no plan, no runs list."""
    theirs, their_sessions = run_with_sessions(other_org, count=3, past=2)
    mark(EnrollmentFactory(run=theirs), their_sessions[:1], A)
    theirs_before = _revisions(other_org)
    greta, held = led_run.greta, led_run.held
    changes = [
        lambda: _tap(trainer_client, held[2], greta, A),
        lambda: _tap(trainer_client, held[2], greta, P),
        lambda: Attendance.objects.filter(enrollment=greta, session=held[2]).update(status=A),
        lambda: Attendance.objects.filter(enrollment=greta, session=held[2]).delete(),
        lambda: mark(greta, held[2:3], P),
        lambda: EnrollmentFactory(run=led_run),
        lambda: Enrollment.objects.filter(pk=greta.pk).update(status=Enrollment.Status.COMPLETED),
        lambda: participant_services.enrollment_withdraw(
            enrollment=EnrollmentFactory(run=led_run), reason="Umzug", user=coordinator
        ),
        lambda: participant_services.enrollment_create(
            run=led_run, participant=ParticipantFactory(organization=org), user=coordinator
        ),
        lambda: Enrollment.objects.filter(run=led_run).exclude(pk=greta.pk).delete(),
    ]
    for change in changes:
        runs_before, attendance_before = _revisions(org)
        change()
        assert _revision(AttendanceRevision, org) > attendance_before
        assert _revision(RunsRevision, org) == runs_before
    assert _revisions(other_org) == theirs_before


# --- read from the cache --------------------------------------------------------------------


def test_the_dashboard_is_read_from_the_cache_until_something_changes(
    coordinator_client, led_run, rendered
):
    mark(led_run.greta, led_run.held[2:3], A)
    first = _page(coordinator_client)
    assert "Frühjahrskurs" in _today(first) and "Frühjahrskurs" in _week(first)
    assert "Greta Gefehlt" in _warnings(first) and IN_ROW in _warnings(first)
    assert rendered == {"overview": 1, "warnings": 1}
    again = _page(coordinator_client)
    assert rendered == {"overview": 1, "warnings": 1}  # read, not worked out
    for part in (_today, _week, _warnings, _lacking_trainers, _below_minimum):
        assert part(again) == part(first)


# --- each change shows at once ----------------------------------------------------------------


def _week_end():
    today = timezone.localdate()
    return today + timedelta(days=6 - today.weekday())


def _evening_session(run, day):
    SessionFactory(run=run, date=day, start_time=time(18), end_time=time(20))


@pytest.mark.parametrize(
    "change, part, shown, gone",
    [
        (
            lambda run: _evening_session(run, timezone.localdate()),
            _today,
            "18:00–20:00",
            None,
        ),
        (lambda run: _evening_session(run, _week_end()), _week, "18:00–20:00", None),
        (
            lambda run: CourseRun.objects.filter(pk=run.pk).update(title="Herbstkurs"),
            _week,
            "Herbstkurs",
            "Frühjahrskurs",
        ),
        (
            lambda run: Location.objects.filter(pk=run.location_id).update(name="Saal Neiße"),
            _today,
            "Saal Neiße",
            None,
        ),
        (
            lambda run: Trainer.objects.filter(organization=run.organization).update(
                last_name="Tanner"
            ),
            _week,
            "Tina Tanner",
            "Tina Trainerin",
        ),
        (
            lambda run: run.sessions.get(date=timezone.localdate()).modules.set(
                [catalogue_module("entspannung")]
            ),
            _week,
            "Entspannung",
            None,
        ),
        (
            lambda run: run.sessions.update(is_cancelled=True),
            _today,
            "",
            "Frühjahrskurs",
        ),
    ],
    ids=[
        "session added today",
        "session added this week",
        "run renamed",
        "room renamed",
        "trainer renamed",
        "session modules",
        "sessions cancelled",
    ],
)
def test_each_change_to_the_week_shows_at_once(
    coordinator_client, led_run, rendered, change, part, shown, gone
):
    before = part(_page(coordinator_client))
    if shown:
        assert shown not in before
    if gone:
        assert gone in before
    change(led_run)
    after = part(_page(coordinator_client))
    assert shown in after
    if gone:
        assert gone not in after
    assert rendered["overview"] == 2


def test_a_renamed_shipped_module_shows_at_once(coordinator_client, led_run):
    led_run.sessions.get(date=timezone.localdate()).modules.set([catalogue_module("bewegung")])
    assert "Bewegung" in _week(_page(coordinator_client))
    Module.objects.filter(organization=None, code="bewegung").update(name="Sport im Park")
    week = _week(_page(coordinator_client))
    assert "Sport im Park" in week and "Bewegung" not in week


def test_a_status_change_moves_the_counts_at_once(coordinator, coordinator_client, org):
    run, _sessions = run_with_sessions(org, count=2, past=0)
    CourseRunFactory(organization=org, status=CourseRun.Status.PLANNED)
    counts = _status_counts(_page(coordinator_client))
    assert counts == {"draft": 1, "planned": 1, "running": 0, "completed": 0, "cancelled": 0}
    course_run_transition(run=run, to="planned", membership=coordinator.membership)
    counts = _status_counts(_page(coordinator_client))
    assert (counts["draft"], counts["planned"]) == (0, 2)
    CourseRun.objects.filter(pk=run.pk).update(status=CourseRun.Status.CANCELLED)
    counts = _status_counts(_page(coordinator_client))
    assert (counts["planned"], counts["cancelled"]) == (1, 1)


def test_a_trainer_assigned_takes_the_run_off_the_list_without_trainers(
    coordinator_client, org, trainer
):
    run = CourseRunFactory(organization=org, title="Verwaister Kurs", status="planned")
    assert "Verwaister Kurs" in _lacking_trainers(_page(coordinator_client))
    run.trainers.add(trainer)
    lacking = _lacking_trainers(_page(coordinator_client))
    assert "Verwaister Kurs" not in lacking
    assert "Alle laufenden und geplanten Durchgänge haben Trainer/innen." in lacking
    run.trainers.remove(trainer)
    assert "Verwaister Kurs" in _lacking_trainers(_page(coordinator_client))


def test_a_place_taken_takes_the_run_off_the_list_with_too_few(
    coordinator, coordinator_client, org, trainer
):
    run = CourseRunFactory(organization=org, title="Kleinkurs", min_participants=1)
    run.trainers.add(trainer)
    below = _below_minimum(_page(coordinator_client))
    assert "Kleinkurs" in below and "0 von mindestens 1" in below
    participant = ParticipantFactory(organization=org)
    enrollment = participant_services.enrollment_create(
        run=run, participant=participant, user=coordinator
    )
    below = _below_minimum(_page(coordinator_client))
    assert "Kleinkurs" not in below and "genug Anmeldungen" in below
    participant_services.enrollment_withdraw(
        enrollment=enrollment, reason="Umzug", user=coordinator
    )
    assert "Kleinkurs" in _below_minimum(_page(coordinator_client))


def test_a_tap_on_the_attendance_page_warns_and_unwarns_at_once(
    coordinator_client, trainer_client, led_run, rendered
):
    greta, held = led_run.greta, led_run.held
    assert _warnings(_page(coordinator_client)) == ""
    _tap(trainer_client, held[2], greta, A)
    warned = _warnings(_page(coordinator_client))
    assert "Greta Gefehlt" in warned and IN_ROW in warned and "Pia" not in warned
    assert "Greta Gefehlt" in _warnings(_page(trainer_client))
    _tap(trainer_client, held[2], greta, P)
    assert _warnings(_page(coordinator_client)) == ""
    assert _warnings(_page(trainer_client)) == ""


def test_a_mark_changed_in_the_database_warns_and_unwarns_at_once(coordinator_client, led_run):
    greta, held = led_run.greta, led_run.held
    mark(greta, held[2:3], P)
    assert _warnings(_page(coordinator_client)) == ""
    Attendance.objects.filter(enrollment=greta, session=held[2]).update(status=A)
    assert "Greta Gefehlt" in _warnings(_page(coordinator_client))
    Attendance.objects.filter(enrollment=greta, session=held[2]).update(status=P)
    assert _warnings(_page(coordinator_client)) == ""


def test_a_renamed_participant_is_named_anew_from_the_cached_warnings(
    coordinator_client, led_run, rendered
):
    mark(led_run.greta, led_run.held[2:3], A)
    assert "Greta Gefehlt" in _warnings(_page(coordinator_client))
    Participant.objects.filter(pk=led_run.greta.participant_id).update(first_name="Gisela")
    warned = _warnings(_page(coordinator_client))
    assert "Gisela Gefehlt" in warned and "Greta" not in warned
    assert rendered == {"overview": 1, "warnings": 1}  # a name is read every time


def test_a_withdrawn_place_drops_its_warning_at_once(coordinator, coordinator_client, led_run):
    mark(led_run.greta, led_run.held[2:3], A)
    assert "Greta Gefehlt" in _warnings(_page(coordinator_client))
    participant_services.enrollment_withdraw(
        enrollment=led_run.greta, reason="Umzug", user=coordinator
    )
    assert _warnings(_page(coordinator_client)) == ""


def test_the_next_day_brings_its_sessions_and_its_warnings(
    coordinator_client, org, trainer, monkeypatch
):
    """Today is part of the key: tomorrow, tomorrow's session is today's, and a mark made
    ahead of time for it counts."""
    run, sessions = run_with_sessions(org, count=10, past=3, trainers=[trainer])
    SessionFactory(run=run, date=sessions[4].date, start_time=time(18), end_time=time(20))
    hanna = EnrollmentFactory(
        run=run, participant__first_name="Hanna", participant__last_name="Heute"
    )
    mark(hanna, sessions[:3], P)
    mark(hanna, sessions[3:5], A)  # today's and, told ahead, tomorrow's
    page = _page(coordinator_client)
    assert "18:00–20:00" not in _today(page) and _warnings(page) == ""
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    page = _page(coordinator_client)
    assert "18:00–20:00" in _today(page)
    assert "Hanna Heute" in _warnings(page) and IN_ROW in _warnings(page)


# --- who sees what ------------------------------------------------------------------------


@pytest.fixture
def foreign_run(org):
    """A run of our organization that the trainer does not lead, with a session today and
    a person to warn about."""
    run, sessions = run_with_sessions(
        org, count=10, past=3, title="Fremder Kurs", status=CourseRun.Status.RUNNING
    )
    olga = EnrollmentFactory(
        run=run, participant__first_name="Olga", participant__last_name="Ohnegleichen"
    )
    mark(olga, sessions[:3], A)
    return run


def test_a_trainers_dashboard_shows_only_the_runs_they_lead_after_a_coordinators(
    coordinator_client, trainer_client, led_run, foreign_run, trainer, rendered
):
    mark(led_run.greta, led_run.held[2:3], A)
    coordinators = _page(coordinator_client)
    assert "Fremder Kurs" in _today(coordinators) and "Olga" in _warnings(coordinators)
    assert _status_counts(coordinators)["running"] == 2
    trainers = _page(trainer_client)
    assert "Frühjahrskurs" in _today(trainers) and "Greta Gefehlt" in _warnings(trainers)
    assert "Fremder Kurs" not in trainers and "Olga" not in trainers
    assert _status_counts(trainers)["running"] == 1
    assert "Ohne Trainer/innen" not in trainers  # the coordinator's part of the overview
    assert rendered == {"overview": 2, "warnings": 2}  # a version of their own
    led_run.trainers.remove(trainer)
    trainers = _page(trainer_client)
    assert "Frühjahrskurs" not in trainers and "Greta" not in trainers
    assert _status_counts(trainers)["running"] == 0


def test_a_coordinator_made_trainer_gets_a_trainers_dashboard_at_once(
    coordinator, coordinator_client, led_run, foreign_run
):
    assert "Fremder Kurs" in _page(coordinator_client)
    Membership.objects.filter(user=coordinator).update(role=Membership.Role.TRAINER)
    page = _page(coordinator_client)  # no trainer profile: no runs of theirs
    assert "Fremder Kurs" not in page and "Frühjahrskurs" not in page and "Olga" not in page


def test_another_trainer_and_an_outsider_get_nothing_of_ours(
    coordinator_client, outsider_client, client, org, led_run, foreign_run
):
    _page(coordinator_client)
    user = UserFactory(username="andere")
    MembershipFactory(user=user, organization=org, role=Membership.Role.TRAINER)
    TrainerFactory(organization=org, user=user)
    client.force_login(user)
    for page in (_page(client), _page(outsider_client)):
        assert "Frühjahrskurs" not in page and "Fremder Kurs" not in page
        assert "Olga" not in page and "Greta" not in page


def test_another_organizations_changes_leave_our_revisions_and_cached_parts(
    coordinator_client, org, other_org, led_run, rendered
):
    mark(led_run.greta, led_run.held[2:3], A)
    first = _page(coordinator_client)
    ours = _revisions(org)
    theirs, sessions = run_with_sessions(
        other_org, count=6, past=3, title="Leipziger Kurs", status=CourseRun.Status.RUNNING
    )
    _evening_session(theirs, timezone.localdate())
    enrollment = EnrollmentFactory(run=theirs, participant__first_name="Lotte")
    mark(enrollment, sessions[:3], A)
    Attendance.objects.filter(enrollment=enrollment).update(status=P)
    Trainer.objects.filter(organization=other_org).update(last_name="X")
    Location.objects.filter(organization=other_org).update(name="Anderswo")
    CourseRun.objects.filter(pk=theirs.pk).update(status=CourseRun.Status.PLANNED)
    assert _revisions(org) == ours
    page = _page(coordinator_client)
    assert rendered == {"overview": 1, "warnings": 1}
    assert "Leipziger Kurs" not in page and "Lotte" not in page and "Anderswo" not in page
    for part in (_today, _week, _warnings):
        assert part(page) == part(first)


# --- the cache gone, the language ---------------------------------------------------------


def test_the_dashboard_works_without_the_cache(coordinator_client, led_run, cache_gone):
    mark(led_run.greta, led_run.held[2:3], A)
    page = _page(coordinator_client)
    assert "Frühjahrskurs" in _today(page) and "Greta Gefehlt" in _warnings(page)
    Attendance.objects.filter(enrollment=led_run.greta).update(status=P)
    assert _warnings(_page(coordinator_client)) == ""


def test_the_parts_are_kept_per_language(coordinator_client, org, led_run, monkeypatch):
    """The overview and the rendered list of the other runs' warnings."""
    monkeypatch.setattr(selectors, "DASHBOARD_WARNINGS", 1)
    mark(led_run.greta, led_run.held[2:3], A)
    other, sessions = run_with_sessions(org, count=10, past=3, title="Zweiter Kurs")
    mark(EnrollmentFactory(run=other), sessions[:3], A)
    german = _page(coordinator_client)
    assert "Termine dieser Woche ab heute" in german
    assert "Weitere Hinweise in diesen Durchgängen" in _warnings(german)
    coordinator_client.cookies["django_language"] = "en"
    english = coordinator_client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Termine dieser Woche" not in english and "Sessions this week from today" in english
    assert "Durchgänge nach Status" not in english and "Course runs by status" in english
    assert "Weitere Hinweise" not in english
    assert "More notes in these course runs" in _warnings(english)


# --- queries --------------------------------------------------------------------------------


def _count(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx)


def _grow(org, trainer, runs: int):
    """Runs with sessions this week, people warned about, runs without trainers and with
    too few people."""
    for _ in range(runs):
        run, sessions = run_with_sessions(
            org, count=8, past=3, trainers=[trainer], status=CourseRun.Status.RUNNING
        )
        for _ in range(3):
            mark(EnrollmentFactory(run=run), sessions[:3], A)
        CourseRunFactory(organization=org, status=CourseRun.Status.PLANNED)


@pytest.mark.parametrize("who", ["coordinator_client", "trainer_client"])
def test_a_repeat_view_costs_fewer_queries_and_stays_constant_as_data_grows(
    request, who, org, trainer
):
    client = request.getfixturevalue(who)
    _grow(org, trainer, 1)
    first, repeat = _count(client), _count(client)
    assert repeat < first
    _grow(org, trainer, 6)  # 21 people warned about in 7 runs: some named, the rest linked
    assert _count(client) == first
    assert _count(client) == repeat
