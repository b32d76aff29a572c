"""The run page's plan (the run with its room, trainers and modules, its sessions, the
planner's warnings), kept in the cache under the organization's RunsRevision: every change
to what the plan shows is on the page at once, the cached run is shown to nobody who may not
open it, another organization's changes keep ours, and without Redis the page still works.
The attendance warnings (names read every time) change with every mark at once."""

import re
from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aktiva.models import Membership
from participants import services as participant_services
from participants.models import Attendance, AttendanceRevision, Participant
from trainings import attendance_warnings, selectors, services
from trainings.models import CourseRun, Location, Module, RunsRevision, Session, Trainer

from ..caching import revision_of
from ..factories import (
    CourseRunFactory,
    LocationFactory,
    MembershipFactory,
    SessionFactory,
    TrainerFactory,
    UserFactory,
    catalogue_module,
    run_with_sessions,
)
from ..participants.factories import EnrollmentFactory, mark

P, E, A = Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.ABSENT
CORE_MISSING = "Diese Kernmodule kommen in keinem Termin vor"
NO_TRAINER = "Dem Durchgang ist noch keine Trainerin und kein Trainer zugeordnet."
IN_ROW = "hat die letzten 2 Termine nacheinander verpasst"


def _revision(model, org) -> int:
    return revision_of(model, org)


@pytest.fixture
def plan_reads(monkeypatch):
    """How often the plan was read from the database (a cache miss), by run id."""
    calls = []
    read = selectors.run_sessions

    def counting(run):
        calls.append(run.pk)
        return read(run)

    monkeypatch.setattr(selectors, "run_sessions", counting)
    return calls


@pytest.fixture
def planned_run(org, trainer):
    """A run without planner's warnings: the room is big enough, a trainer leads it, its
    two sessions cover the four core modules."""
    run = CourseRunFactory(
        organization=org,
        title="Frühjahrskurs",
        capacity=12,
        trainers=[trainer],
        location=LocationFactory(organization=org, name="Saal Elbe", capacity=15),
    )
    run.modules.set([catalogue_module("bewegung")])
    SessionFactory(
        run=run,
        date=date(2026, 3, 2),
        modules=[catalogue_module("aktivitaetenplanung"), catalogue_module("konstruktives-denken")],
    )
    SessionFactory(
        run=run,
        date=date(2026, 3, 9),
        modules=[catalogue_module("soziale-kompetenz"), catalogue_module("problemloesen")],
    )
    return run


def _url(run) -> str:
    return reverse("trainings:run_detail", args=[run.pk])


def _page(client, run) -> str:
    response = client.get(_url(run))
    assert response.status_code == 200
    return response.content.decode()


def _plan(page: str) -> str:
    """The planning part of the page: title, warnings, facts and the sessions' table
    (without the forms' CSRF tokens, masked anew on every response)."""
    plan = page[page.index("<h1") : page.index('aria-labelledby="participants-heading"')]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", plan)


# --- the revision -----------------------------------------------------------------------------


def test_every_change_to_the_plan_raises_only_its_organizations_revision(
    org, other_org, planned_run, trainer
):
    """Besides what the runs list shows (tests/trainings/test_runs_list_cache.py): the
    modules of the run and of its sessions, the organization's own modules, a session's
    note, the room's capacity; whichever way they change (save(), update(), the links)."""
    theirs = CourseRunFactory(organization=other_org)
    SessionFactory(run=theirs, modules=[catalogue_module("bewegung")])
    theirs_before = _revision(RunsRevision, other_org)
    session = planned_run.sessions.get(date=date(2026, 3, 9))
    own = Module.objects.create(
        organization=org, code="stadtteil", name="Stadtteilrundgang", position=20
    )
    changes = [
        lambda: planned_run.modules.add(own),
        lambda: planned_run.modules.remove(own),
        lambda: planned_run.modules.set([catalogue_module("ernaehrung")]),
        lambda: session.modules.add(own),
        lambda: session.modules.remove(catalogue_module("problemloesen")),
        lambda: session.modules.clear(),
        lambda: Module.objects.filter(pk=own.pk).update(name="Rundgang"),
        lambda: Module.objects.filter(pk=own.pk).delete(),
        lambda: Session.objects.filter(pk=session.pk).update(note="Matten mitbringen"),
        lambda: Location.objects.filter(pk=planned_run.location_id).update(capacity=8),
        lambda: CourseRun.objects.filter(pk=planned_run.pk).update(capacity=20),
    ]
    for change in changes:
        before = _revision(RunsRevision, org)
        change()
        assert _revision(RunsRevision, org) > before
    assert _revision(RunsRevision, other_org) == theirs_before


def test_a_shipped_module_raises_every_organizations_revision(org, other_org, planned_run):
    """The catalogue (organization NULL) is shown by every organization's pages; an
    organization's own module raises only that organization's revision."""
    CourseRunFactory(organization=other_org)
    ours, theirs = _revision(RunsRevision, org), _revision(RunsRevision, other_org)
    Module.objects.filter(organization=None, code="bewegung").update(name="Sport")
    assert _revision(RunsRevision, org) > ours and _revision(RunsRevision, other_org) > theirs
    module = catalogue_module("entspannung")
    ours, theirs = _revision(RunsRevision, org), _revision(RunsRevision, other_org)
    module.position = 30
    module.save()
    assert _revision(RunsRevision, org) > ours and _revision(RunsRevision, other_org) > theirs
    ours, theirs = _revision(RunsRevision, org), _revision(RunsRevision, other_org)
    Module.objects.create(organization=other_org, code="eigen", name="Eigenes", position=9)
    assert _revision(RunsRevision, org) == ours and _revision(RunsRevision, other_org) > theirs


# --- each change shows at once ----------------------------------------------------------------


def test_the_plan_is_read_from_the_cache_until_something_changes(
    coordinator_client, trainer_client, planned_run, plan_reads
):
    first = _page(coordinator_client, planned_run)
    plan = _plan(first)
    assert "Frühjahrskurs" in plan and "Saal Elbe" in plan and "Tina Trainerin" in plan
    assert "Bewegung" in plan and "Mo 02.03.2026" in plan and "Bitte prüfen" not in plan
    assert plan_reads == [planned_run.pk]
    assert _plan(_page(coordinator_client, planned_run)) == plan
    assert plan_reads == [planned_run.pk]  # read from the cache, not from the database
    _page(trainer_client, planned_run)  # another member who may see it: the same plan
    assert plan_reads == [planned_run.pk]


def _rename_run(run, trainer):
    run.title = "Herbstkurs"
    run.save()


def _add_session(run, trainer):
    session = Session(run=run, date=date(2026, 3, 16), start_time=time(9), end_time=time(12, 30))
    services.session_save(session=session, modules=[catalogue_module("entspannung")])


def _cancel_second_session(run, trainer):
    session = run.sessions.get(date=date(2026, 3, 9))
    services.session_set_cancelled(session=session, cancelled=True)


@pytest.mark.parametrize(
    "change, shown, gone",
    [
        (_rename_run, "Herbstkurs", "Frühjahrskurs"),
        (
            lambda run, trainer: Location.objects.filter(pk=run.location_id).update(
                name="Saal Neiße"
            ),
            "Saal Neiße",
            "Saal Elbe",
        ),
        (
            lambda run, trainer: Location.objects.filter(pk=run.location_id).update(capacity=10),
            "Der Durchgang hat 12 Plätze, der Raum Saal Elbe aber nur 10.",
            "15 Plätze",
        ),
        (
            lambda run, trainer: CourseRun.objects.filter(pk=run.pk).update(capacity=16),
            "Der Durchgang hat 16 Plätze, der Raum Saal Elbe aber nur 15.",
            None,
        ),
        (
            lambda run, trainer: run.trainers.add(
                TrainerFactory(organization=run.organization, first_name="Udo", last_name="Ulm")
            ),
            "Udo Ulm",
            None,
        ),
        (lambda run, trainer: run.trainers.remove(trainer), NO_TRAINER, "Tina Trainerin"),
        (
            lambda run, trainer: Trainer.objects.filter(pk=trainer.pk).update(last_name="Tanner"),
            "Tina Tanner",
            "Tina Trainerin",
        ),
        (
            lambda run, trainer: run.modules.set([catalogue_module("ernaehrung")]),
            "Ernährung",
            "Bewegung",
        ),
        (_add_session, "Mo 16.03.2026", None),
        (
            lambda run, trainer: Session.objects.filter(run=run, date=date(2026, 3, 9)).update(
                date=date(2026, 3, 10)
            ),
            "Di 10.03.2026",
            "09.03.2026",
        ),
        (_cancel_second_session, CORE_MISSING, None),
        (
            lambda run, trainer: run.sessions.get(date=date(2026, 3, 9)).modules.set(
                [catalogue_module("bewegung")]
            ),
            CORE_MISSING + ": Soziale Kompetenz und soziale Unterstützung, Systematisches",
            None,
        ),
        (
            lambda run, trainer: Module.objects.filter(
                organization=None, code="aktivitaetenplanung"
            ).update(name="Tagesplanung"),
            "Tagesplanung",
            "Aktivitätenplanung",
        ),
        (
            lambda run, trainer: Session.objects.filter(run=run, date=date(2026, 3, 2)).update(
                note="Bitte Matten mitbringen"
            ),
            "Bitte Matten mitbringen",
            None,
        ),
    ],
    ids=[
        "rename run",
        "rename room",
        "room too small",
        "run bigger than room",
        "add trainer",
        "remove trainer",
        "rename trainer",
        "change run modules",
        "add session",
        "move session",
        "cancel session",
        "change session modules",
        "rename shipped module",
        "edit session note",
    ],
)
def test_each_kind_of_change_shows_on_the_cached_page_at_once(
    coordinator_client, planned_run, trainer, plan_reads, change, shown, gone
):
    before = _plan(_page(coordinator_client, planned_run))
    assert "Bitte prüfen" not in before and shown not in before
    if gone:
        assert gone in before
    change(planned_run, trainer)
    after = _plan(_page(coordinator_client, planned_run))
    assert shown in after
    if gone:
        assert gone not in after
    assert plan_reads == [planned_run.pk] * 2


def test_the_rooms_warning_goes_as_soon_as_the_room_is_big_enough(coordinator_client, planned_run):
    Location.objects.filter(pk=planned_run.location_id).update(capacity=10)
    assert "aber nur 10" in _plan(_page(coordinator_client, planned_run))
    Location.objects.filter(pk=planned_run.location_id).update(capacity=12)
    assert "Bitte prüfen" not in _plan(_page(coordinator_client, planned_run))


def test_a_session_taken_back_from_the_cancelled_brings_its_modules_back(
    coordinator_client, planned_run
):
    _cancel_second_session(planned_run, None)
    assert CORE_MISSING in _page(coordinator_client, planned_run)
    session = planned_run.sessions.get(date=date(2026, 3, 9))
    services.session_set_cancelled(session=session, cancelled=False)
    page = _plan(_page(coordinator_client, planned_run))
    assert CORE_MISSING not in page and "abgesagt" not in page


# --- who sees the cached plan -------------------------------------------------------------


@pytest.fixture
def other_trainer_client(org, client):
    """A trainer of our organization who does not lead the run."""
    user = UserFactory(username="andere")
    MembershipFactory(user=user, organization=org, role=Membership.Role.TRAINER)
    TrainerFactory(organization=org, user=user)
    client.force_login(user)
    return client


def test_a_trainer_never_gets_a_cached_run_they_do_not_lead(
    coordinator_client, trainer_client, other_trainer_client, outsider_client, planned_run,
    trainer, plan_reads,
):  # fmt: skip
    assert "Frühjahrskurs" in _page(coordinator_client, planned_run)  # now in the cache
    assert other_trainer_client.get(_url(planned_run)).status_code == 404
    assert outsider_client.get(_url(planned_run)).status_code == 404  # our id, their org
    assert "Frühjahrskurs" in _page(trainer_client, planned_run)
    assert plan_reads == [planned_run.pk]  # one plan; the outsider's read found no run
    planned_run.trainers.remove(trainer)
    assert trainer_client.get(_url(planned_run)).status_code == 404  # at once
    assert other_trainer_client.get(_url(planned_run)).status_code == 404
    planned_run.trainers.add(trainer)
    assert trainer_client.get(_url(planned_run)).status_code == 200


def test_a_coordinator_made_trainer_loses_the_cached_run_at_once(
    coordinator, coordinator_client, planned_run
):
    _page(coordinator_client, planned_run)
    Membership.objects.filter(user=coordinator).update(role=Membership.Role.TRAINER)
    assert coordinator_client.get(_url(planned_run)).status_code == 404


def test_the_trainers_profile_given_to_another_user_moves_the_run_with_it(
    trainer_client, other_trainer_client, planned_run, trainer
):
    """Who leads a run is read from the trainers kept with it: the profile's user is part
    of the revision."""
    _page(trainer_client, planned_run)
    other = Membership.objects.get(user__username="andere").user
    Trainer.objects.filter(user=other).update(user=None)
    Trainer.objects.filter(pk=trainer.pk).update(user=other)
    assert trainer_client.get(_url(planned_run)).status_code == 404
    assert "Frühjahrskurs" in _page(other_trainer_client, planned_run)


def test_an_address_without_a_run_stays_404_and_a_new_run_is_found(
    coordinator_client, org, plan_reads
):
    missing = (CourseRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
    url = reverse("trainings:run_detail", args=[missing])
    assert coordinator_client.get(url).status_code == 404
    assert coordinator_client.get(url).status_code == 404
    assert plan_reads == []  # no sessions to read; the empty answer is kept
    run = CourseRunFactory(organization=org, id=missing, title="Neuer Kurs")
    assert "Neuer Kurs" in _page(coordinator_client, run)


# --- other organizations, the cache gone, the language -------------------------------------


def test_another_organizations_changes_leave_our_cached_plan(
    coordinator_client, planned_run, other_org, plan_reads
):
    first = _plan(_page(coordinator_client, planned_run))
    ours = _revision(RunsRevision, planned_run.organization)
    theirs = CourseRunFactory(organization=other_org, title="Leipziger Kurs")
    theirs.trainers.add(TrainerFactory(organization=other_org))
    theirs.modules.add(catalogue_module("bewegung"))
    session = SessionFactory(run=theirs, modules=[catalogue_module("entspannung")])
    session.modules.add(catalogue_module("ernaehrung"))
    Session.objects.filter(pk=session.pk).update(note="Anderswo")
    Trainer.objects.filter(organization=other_org).update(last_name="X")
    Location.objects.filter(organization=other_org).update(name="Anderswo", capacity=1)
    Module.objects.create(organization=other_org, code="eigen", name="Eigenes", position=9)
    assert _revision(RunsRevision, planned_run.organization) == ours
    assert _plan(_page(coordinator_client, planned_run)) == first
    assert plan_reads == [planned_run.pk]


def test_the_page_works_without_the_cache(coordinator_client, planned_run, cache_gone):
    plan = _plan(_page(coordinator_client, planned_run))
    assert "Frühjahrskurs" in plan and "Saal Elbe" in plan and "Mo 02.03.2026" in plan
    Location.objects.filter(pk=planned_run.location_id).update(name="Saal Neiße")
    assert "Saal Neiße" in _plan(_page(coordinator_client, planned_run))


def test_the_plan_is_kept_per_language(coordinator_client, planned_run, trainer):
    planned_run.trainers.remove(trainer)
    german = _plan(_page(coordinator_client, planned_run))
    assert NO_TRAINER in german and "Mo 02.03.2026" in german
    coordinator_client.cookies["django_language"] = "en"
    english = coordinator_client.get(_url(planned_run), HTTP_ACCEPT_LANGUAGE="en")
    english = _plan(english.content.decode())
    assert NO_TRAINER not in english and "No trainer has been assigned" in english
    assert "Mo 02.03.2026" not in english and "Mon" in english


# --- the attendance warnings ----------------------------------------------------------------


@pytest.fixture
def attended_run(org, trainer):
    """Ten sessions, three of them held (the fourth is today): Greta was there, then missed
    one; Pia came every time. Nobody is warned about yet."""
    run, sessions = run_with_sessions(
        org, count=10, past=3, trainers=[trainer], title="Herbstkurs", status="running"
    )
    greta = EnrollmentFactory(
        run=run, participant__first_name="Greta", participant__last_name="Gefehlt"
    )
    mark(greta, sessions[:1], P)
    mark(greta, sessions[1:2], A)
    mark(EnrollmentFactory(run=run, participant__first_name="Pia"), sessions[:3], P)
    return run, sessions, greta


def _warnings(page: str) -> str:
    if 'id="attendance-warnings-heading"' not in page:
        return ""
    start = page.index('id="attendance-warnings-heading"')
    return page[start : page.index("</section>", start)]


def _tap(client, session, enrollment, status):
    url = reverse("participants:attendance_mark", args=[session.pk, enrollment.pk])
    response = client.post(url, {"status": status}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200


def test_a_tap_on_the_attendance_page_warns_on_the_run_page_at_once(
    trainer_client, attended_run, plan_reads
):
    run, sessions, greta = attended_run
    assert _warnings(_page(trainer_client, run)) == ""
    _tap(trainer_client, sessions[2], greta, A)
    warned = _warnings(_page(trainer_client, run))
    assert "Greta Gefehlt" in warned and IN_ROW in warned and "Pia" not in warned
    _tap(trainer_client, sessions[2], greta, P)
    assert _warnings(_page(trainer_client, run)) == ""
    assert plan_reads == [run.pk]  # a mark is no change to the plan


def test_a_mark_changed_in_the_database_warns_at_once(coordinator_client, attended_run):
    run, sessions, greta = attended_run
    mark(greta, sessions[2:3], P)
    assert _warnings(_page(coordinator_client, run)) == ""
    Attendance.objects.filter(enrollment=greta, session=sessions[2]).update(
        status=E, excuse_reason=Attendance.ExcuseReason.IMPORTANT
    )
    assert "Greta Gefehlt" in _warnings(_page(coordinator_client, run))
    Attendance.objects.filter(enrollment=greta, session=sessions[2]).delete()
    assert _warnings(_page(coordinator_client, run)) == ""  # an unmarked held session


def test_a_renamed_participant_is_named_anew_and_a_withdrawn_one_is_not_warned_about(
    coordinator, coordinator_client, attended_run
):
    run, sessions, greta = attended_run
    mark(greta, sessions[2:3], A)
    assert "Greta Gefehlt" in _warnings(_page(coordinator_client, run))
    Participant.objects.filter(pk=greta.participant_id).update(first_name="Gisela")
    assert "Gisela Gefehlt" in _warnings(_page(coordinator_client, run))
    participant_services.enrollment_withdraw(enrollment=greta, reason="Umzug", user=coordinator)
    assert _warnings(_page(coordinator_client, run)) == ""


def test_a_pre_marked_session_warns_on_the_day_it_is_held(
    coordinator_client, org, trainer, monkeypatch
):
    """Today is part of what the warnings are worked out from: a mark made ahead of time
    counts from the session's day on."""
    run, sessions = run_with_sessions(org, count=10, past=3, trainers=[trainer])
    hanna = EnrollmentFactory(
        run=run, participant__first_name="Hanna", participant__last_name="Heute"
    )
    mark(hanna, sessions[:3], P)
    mark(hanna, sessions[3:5], A)  # today's and, told ahead, tomorrow's
    assert _warnings(_page(coordinator_client, run)) == ""  # one missed so far
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    warned = _warnings(_page(coordinator_client, run))
    assert "Hanna Heute" in warned and IN_ROW in warned


def test_the_attendance_warnings_leave_other_organizations_alone(org, other_org, attended_run):
    run, sessions, greta = attended_run
    ours = _revision(AttendanceRevision, org)
    theirs, their_sessions = run_with_sessions(other_org, count=4, past=2)
    mark(EnrollmentFactory(run=theirs), their_sessions[:2], A)
    assert _revision(AttendanceRevision, org) == ours


def test_the_participants_panel_counts_a_new_place_at_once(coordinator_client, attended_run):
    run, sessions, greta = attended_run
    assert "2 von 12 Plätzen belegt" in _page(coordinator_client, run)
    EnrollmentFactory(run=run)
    assert "3 von 12 Plätzen belegt" in _page(coordinator_client, run)
    EnrollmentFactory(run=run, status="waiting", waiting_since=timezone.now())
    assert "1 auf der Warteliste" in _page(coordinator_client, run)


# --- queries --------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_a_repeat_view_costs_fewer_queries_and_stays_constant_as_data_grows(
    coordinator_client, org, trainer, attended_run
):
    run, sessions, greta = attended_run
    mark(greta, sessions[2:3], A)
    mark(EnrollmentFactory(run=run), sessions[1:3], A)  # two warned about: names in bulk
    url = _url(run)
    first, repeat = _count(coordinator_client, url), _count(coordinator_client, url)
    assert repeat < first
    for k in range(20):  # more sessions, each with modules
        SessionFactory(
            run=run,
            date=timezone.localdate() + timedelta(days=20 + k),
            modules=[catalogue_module("bewegung"), catalogue_module("entspannung")],
        )
    run.trainers.add(TrainerFactory(organization=org), TrainerFactory(organization=org))
    run.modules.add(catalogue_module("ernaehrung"), catalogue_module("entspannung"))
    for _ in range(6):  # more people, more of them warned about
        mark(EnrollmentFactory(run=run), sessions[:3], A)
    for _ in range(5):  # more runs
        run_with_sessions(org, count=3, past=1, trainers=[trainer])
    assert _count(coordinator_client, url) == first
    assert _count(coordinator_client, url) == repeat


def test_the_cached_parts_are_what_a_repeat_view_spares(
    coordinator_client, attended_run, plan_reads, monkeypatch
):
    """The plan is read once; the attendance warnings are worked out once per revision of
    places and marks (and today) and named every time."""
    run, sessions, greta = attended_run
    mark(greta, sessions[2:3], A)
    worked_out, named = [], []
    for_sessions, name = attendance_warnings.for_sessions, attendance_warnings.name

    def counting_for_sessions(*args, **kwargs):
        worked_out.append(1)
        return for_sessions(*args, **kwargs)

    def counting_name(warnings):
        named.append(len(warnings))
        return name(warnings)

    monkeypatch.setattr(attendance_warnings, "for_sessions", counting_for_sessions)
    monkeypatch.setattr(attendance_warnings, "name", counting_name)
    for _ in range(3):
        assert "Greta Gefehlt" in _warnings(_page(coordinator_client, run))
    assert plan_reads == [run.pk] and len(worked_out) == 1 and named == [1, 1, 1]
    Attendance.objects.filter(enrollment=greta, session=sessions[2]).update(status=P)
    assert _warnings(_page(coordinator_client, run)) == ""
    assert plan_reads == [run.pk] and len(worked_out) == 2


def test_a_run_moved_to_another_organization_leaves_the_old_ones_pages_at_once(
    coordinator_client, planned_run, org, other_org, outsider_client
):
    runs_before = _revision(RunsRevision, org)
    assert "Frühjahrskurs" in _page(coordinator_client, planned_run)
    CourseRun.objects.filter(pk=planned_run.pk).update(organization=other_org)
    assert "Frühjahrskurs" in _page(outsider_client, planned_run)  # theirs now
    assert coordinator_client.get(_url(planned_run)).status_code == 404
    assert _revision(RunsRevision, org) > runs_before
