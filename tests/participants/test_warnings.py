"""Early warnings: who missed the last sessions one after the other, who can no longer
reach the certificate; who sees them (dashboard, run page) and the daily mail."""

import logging
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aktiva.models import AuditLogEntry, Membership
from participants.models import Attendance, Enrollment, WarningDigest
from participants.tasks import warning_digest_task, warning_digests_task
from participants.warnings import attendance_warnings, warning_digest_send
from tests.factories import MembershipFactory, TrainerFactory, UserFactory
from tests.participants.factories import EnrollmentFactory, mark, run_with_sessions
from trainings.models import CourseRun

P, L, E, A = (
    Attendance.Status.PRESENT,
    Attendance.Status.LATE,
    Attendance.Status.EXCUSED,
    Attendance.Status.ABSENT,
)


def _marks(enrollment, sessions, statuses):
    for session, status in zip(sessions, statuses, strict=False):
        if status:
            mark(enrollment, [session], status)


def _warned(org):
    return {
        w.participant.pk: w for w in attendance_warnings(CourseRun.objects.filter(organization=org))
    }


# --- the rules ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_warns_after_two_missed_sessions_in_a_row_excused_or_not(org):
    run, sessions = run_with_sessions(org, count=10, past=4)
    both = EnrollmentFactory(run=run)
    _marks(both, sessions, [P, P, E, A])
    excused = EnrollmentFactory(run=run)
    _marks(excused, sessions, [P, P, E, E])
    once = EnrollmentFactory(run=run)
    _marks(once, sessions, [P, A, P, A])
    back = EnrollmentFactory(run=run)
    _marks(back, sessions, [A, A, P, L])
    warned = _warned(org)
    assert set(warned) == {both.participant_id, excused.participant_id}
    assert warned[both.participant_id].missed_in_row == 2
    # 2 of 10 missed: 8 of 10 can still be reached
    assert not warned[both.participant_id].out_of_reach


@pytest.mark.django_db
def test_it_skips_cancelled_sessions_and_ignores_future_ones(org):
    run, sessions = run_with_sessions(org, count=10, past=3)
    sessions[1].is_cancelled = True
    sessions[1].save()
    enrollment = EnrollmentFactory(run=run)
    _marks(enrollment, sessions, [A, None, A])
    future_only = EnrollmentFactory(run=run)
    # marks made ahead of time for future sessions do not count as missed
    _marks(future_only, sessions, [P, None, P, None, A, A])
    warned = _warned(org)
    assert set(warned) == {enrollment.participant_id}
    assert warned[enrollment.participant_id].missed_in_row == 2


@pytest.mark.django_db
def test_a_held_session_without_a_mark_ends_the_count(org):
    # 20 sessions: 4 may be missed, so the certificate stays in reach
    run, sessions = run_with_sessions(org, count=20, past=3)
    enrollment = EnrollmentFactory(run=run)
    _marks(enrollment, sessions, [A, A, None])
    mark(EnrollmentFactory(run=run), sessions[:3], P)
    assert _warned(org) == {}


@pytest.mark.django_db
def test_todays_session_counts_only_once_marked(org):
    run, sessions = run_with_sessions(org, count=10, past=2)  # sessions[2] is today
    assert sessions[2].date == timezone.localdate()
    enrollment = EnrollmentFactory(run=run)
    _marks(enrollment, sessions, [P, A])
    assert _warned(org) == {}
    mark(enrollment, [sessions[2]], E)
    assert _warned(org)[enrollment.participant_id].missed_in_row == 2


@pytest.mark.django_db
def test_it_warns_when_the_certificate_is_out_of_reach_with_the_certificate_rule(org):
    run, sessions = run_with_sessions(org, count=8, past=3)
    # 8 sessions need 7 (80 %): two missed apart put it out of reach
    enrollment = EnrollmentFactory(run=run)
    _marks(enrollment, sessions, [A, P, E])
    still = EnrollmentFactory(run=run)
    _marks(still, sessions, [A, P, P])
    warned = _warned(org)
    assert set(warned) == {enrollment.participant_id}
    warning = warned[enrollment.participant_id]
    assert warning.out_of_reach and not warning.misses_in_row
    assert (warning.best_possible, warning.summary.total, warning.summary.required) == (6, 8, 7)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status",
    [Enrollment.Status.WITHDRAWN, Enrollment.Status.DROPPED_OUT, Enrollment.Status.WAITING],
)
def test_only_people_with_a_place_are_warned_about(org, status):
    run, sessions = run_with_sessions(org, count=8, past=3)
    enrollment = EnrollmentFactory(run=run, status=status, waiting_since=timezone.now())
    _marks(enrollment, sessions, [A, A, A])
    assert _warned(org) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("status", [CourseRun.Status.COMPLETED, CourseRun.Status.CANCELLED])
def test_closed_runs_warn_no_more(org, status):
    run, sessions = run_with_sessions(org, count=8, past=3, status=status)
    _marks(EnrollmentFactory(run=run), sessions, [A, A, A])
    assert _warned(org) == {}


@pytest.mark.django_db
def test_the_selector_runs_five_queries_however_many_runs(org):
    def make_runs(n):
        for _ in range(n):
            run, sessions = run_with_sessions(org, count=8, past=3)
            for _ in range(3):
                _marks(EnrollmentFactory(run=run), sessions, [P, A, E])

    make_runs(1)
    with CaptureQueriesContext(connection) as small:
        assert len(attendance_warnings(CourseRun.objects.filter(organization=org))) == 3
    make_runs(4)
    with CaptureQueriesContext(connection) as large:
        assert len(attendance_warnings(CourseRun.objects.filter(organization=org))) == 15
    # runs, their sessions, enrollments, marks, and the people only of those warned about
    assert len(small) == len(large) == 5


@pytest.mark.django_db
def test_a_page_that_has_the_sessions_passes_them_and_gets_the_same_warnings(org):
    """The run page has read its run and sessions: two queries (places with the people's
    names, marks), the same warnings."""
    run, sessions = run_with_sessions(org, count=8, past=3)
    for _ in range(3):
        _marks(EnrollmentFactory(run=run), sessions, [P, A, E])
    expected = attendance_warnings(CourseRun.objects.filter(pk=run.pk))
    page_sessions = list(run.sessions.all())
    for session in page_sessions:
        session.run = run
    with CaptureQueriesContext(connection) as queries:
        warnings = attendance_warnings(sessions=page_sessions)
        names = [str(w.participant) for w in warnings]  # read with the places
    assert len(queries) == 2 and len(names) == 3
    assert [(w.run.pk, w.participant.pk, w.missed_in_row) for w in warnings] == [
        (w.run.pk, w.participant.pk, w.missed_in_row) for w in expected
    ]
    assert len(warnings) == 3


@pytest.mark.django_db
@pytest.mark.parametrize("status", [CourseRun.Status.COMPLETED, CourseRun.Status.CANCELLED])
def test_passed_sessions_of_a_closed_run_warn_no_more(org, status):
    run, sessions = run_with_sessions(org, count=8, past=3, status=status)
    _marks(EnrollmentFactory(run=run), sessions, [A, A, A])
    for session in sessions:
        session.run = run
    assert attendance_warnings(sessions=sessions) == []


@pytest.mark.django_db
def test_passed_sessions_of_a_run_not_begun_warn_nobody(org):
    run, sessions = run_with_sessions(org, count=8, first=timezone.localdate() + timedelta(days=1))
    EnrollmentFactory(run=run)
    for session in sessions:
        session.run = run
    with CaptureQueriesContext(connection) as queries:
        assert attendance_warnings(sessions=sessions) == []
    assert len(queries) == 0


# --- who sees them ------------------------------------------------------------------------------


@pytest.fixture
def warned_run(org, trainer):
    run, sessions = run_with_sessions(org, count=10, past=3, trainers=[trainer])
    enrollment = EnrollmentFactory(
        run=run, participant__first_name="Greta", participant__last_name="Gefehlt"
    )
    _marks(enrollment, sessions, [P, E, A])
    _marks(EnrollmentFactory(run=run, participant__first_name="Pia"), sessions, [P, P, P])
    return run


@pytest.fixture
def other_trainer_client(org, client):
    user = UserFactory(username="andere")
    MembershipFactory(user=user, organization=org, role=Membership.Role.TRAINER)
    TrainerFactory(organization=org, user=user)
    client.force_login(user)
    return client


WARNING_TEXT = "hat die letzten 2 Termine nacheinander verpasst (entschuldigt oder unentschuldigt)"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator_client", "trainer_client"])
def test_the_runs_staff_see_the_warning_on_dashboard_and_run_page(request, warned_run, who):
    client = request.getfixturevalue(who)
    for url in (reverse("dashboard"), reverse("trainings:run_detail", args=[warned_run.pk])):
        page = client.get(url).content.decode()
        assert "Greta" in page and WARNING_TEXT in page
        assert "Pia" not in page
        assert reverse("participants:matrix", args=[warned_run.pk]) in page
    entries = AuditLogEntry.objects.filter(
        object_type="participants.Participant", details__page="attendance_warnings"
    )
    assert entries.count() == 2  # dashboard and run page, each naming Greta once
    assert {e.object_repr for e in entries} == {"Greta Gefehlt"}


@pytest.mark.django_db
def test_another_trainer_and_another_organization_see_nothing(
    warned_run, other_trainer_client, outsider_client
):
    for client in (other_trainer_client, outsider_client):
        assert "Greta" not in client.get(reverse("dashboard")).content.decode()
        url = reverse("trainings:run_detail", args=[warned_run.pk])
        assert client.get(url).status_code == 404
    assert not AuditLogEntry.objects.filter(object_type="participants.Participant").exists()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(warned_run, anonymous_client):
    response = anonymous_client.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.django_db
def test_no_warning_box_without_warnings(org, coordinator_client):
    run, sessions = run_with_sessions(org, count=8, past=2)
    _marks(EnrollmentFactory(run=run), sessions, [P, P])
    page = coordinator_client.get(reverse("dashboard")).content.decode()
    assert "Bitte ansprechen" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["dashboard", "run"])
def test_pages_with_warnings_keep_their_query_count(org, trainer, coordinator_client, page):
    def add_run():
        run, sessions = run_with_sessions(org, count=8, past=3, trainers=[trainer])
        for _ in range(3):
            _marks(EnrollmentFactory(run=run), sessions, [P, A, E])
        return run

    first = add_run()
    url = reverse("dashboard") if page == "dashboard" else first.get_absolute_url()
    with CaptureQueriesContext(connection) as small:
        assert coordinator_client.get(url).status_code == 200
    for _ in range(3):
        add_run()
    for _ in range(4):
        _marks(EnrollmentFactory(run=first), first.sessions.all(), [P, A, E])
    with CaptureQueriesContext(connection) as large:
        assert coordinator_client.get(url).status_code == 200
    assert len(large) == len(small)


# --- the daily mail -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_digest_goes_to_the_runs_staff_once_a_day(
    warned_run, coordinator, trainer_user, other_trainer_client, outsider, caplog
):
    with caplog.at_level(logging.INFO):
        queued = warning_digests_task.delay().get()
    assert queued == 4  # every member who wants it; each task decides on its own
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, trainer_user.email])
    message = mail.outbox[0]
    assert message.subject == "AktivA: 1 Hinweis zur Anwesenheit"
    assert "Greta Gefehlt: " + WARNING_TEXT in message.body
    assert "Pia" not in message.body
    assert "http://127.0.0.1:8000" + warned_run.get_absolute_url() in message.body
    assert "http://127.0.0.1:8000" + reverse("account_settings") in message.body
    assert not message.alternatives  # plain text
    assert "Greta" not in caplog.text and "Gefehlt" not in caplog.text
    assert WarningDigest.objects.count() == 2
    assert AuditLogEntry.objects.filter(details__page="warning_mail").count() == 2

    warning_digests_task.delay()
    assert len(mail.outbox) == 2  # nothing more the same day


@pytest.mark.django_db
def test_the_digest_respects_the_switch_and_sends_nothing_without_warnings(
    org, warned_run, coordinator, trainer_user
):
    Membership.objects.filter(user=trainer_user).update(warning_mail=False)
    today = timezone.localdate()
    assert not warning_digest_send(membership_id=trainer_user.membership.pk, today=today)
    assert warning_digest_send(membership_id=coordinator.membership.pk, today=today)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]

    # the next day the participant came back: nothing to warn about, no mail
    tomorrow = today + timedelta(days=1)
    enrollment = Enrollment.objects.get(participant__first_name="Greta")
    mark(enrollment, [warned_run.sessions.all()[3]], P)
    assert not warning_digest_send(membership_id=coordinator.membership.pk, today=tomorrow)
    assert len(mail.outbox) == 1
    assert not WarningDigest.objects.filter(sent_on=tomorrow).exists()


@pytest.mark.django_db
def test_a_failed_send_is_not_recorded_so_a_retry_sends(warned_run, coordinator, monkeypatch):
    def fail(*args, **kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr("participants.warnings.send_mail", fail)
    with pytest.raises(ConnectionError):
        warning_digest_send(membership_id=coordinator.membership.pk, today=timezone.localdate())
    assert not WarningDigest.objects.exists()
    monkeypatch.undo()
    warning_digest_task.delay(coordinator.membership.pk)
    assert len(mail.outbox) == 1


# --- the setting --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator_client", "trainer_client", "outsider_client"])
def test_each_staff_member_switches_their_own_mail_off(request, who):
    client = request.getfixturevalue(who)
    url = reverse("account_settings")
    page = client.get(url)
    assert page.status_code == 200 and "Tägliche E-Mail mit Warnungen" in page.content.decode()
    user = page.wsgi_request.user
    assert user.membership.warning_mail  # on by default
    response = client.post(url, {})
    assert response.status_code == 302
    user.membership.refresh_from_db()
    assert not user.membership.warning_mail
    assert Membership.objects.filter(warning_mail=True).count() == (Membership.objects.count() - 1)
    client.post(url, {"warning_mail": "on"})
    user.membership.refresh_from_db()
    assert user.membership.warning_mail


@pytest.mark.django_db
def test_the_setting_needs_a_login(anonymous_client):
    response = anonymous_client.get(reverse("account_settings"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_send_one_mail(org, trainer):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    run, sessions = run_with_sessions(org, count=10, past=3, trainers=[trainer])
    _marks(EnrollmentFactory(run=run), sessions, [P, A, A])
    membership_id = trainer.user.membership.pk
    barrier = threading.Barrier(2)
    outcomes: list[bool] = []

    def send():
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)  # both are inside a transaction before either inserts
                outcomes.append(
                    warning_digest_send(membership_id=membership_id, today=timezone.localdate())
                )
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes) == [False, True]
    assert len(mail.outbox) == 1
    assert WarningDigest.objects.count() == 1


def test_beat_sends_the_mail_every_morning(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["participants-warning-digests"]
    assert entry["task"] == warning_digests_task.name
    assert entry["schedule"].hour == {7}


@pytest.mark.django_db
def test_the_settings_page_runs_few_queries(trainer_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert trainer_client.get(reverse("account_settings")).status_code == 200


# --- the dashboard names a few and links the rest ----------------------------------------------


def _warned_runs(org, runs, people):
    for i in range(runs):
        run, sessions = run_with_sessions(org, count=8, past=3, title=f"Gewarnt {i:02}")
        for _ in range(people):
            _marks(EnrollmentFactory(run=run), sessions, [P, A, E])


def _dashboard(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))
    return response, len(queries)


@pytest.mark.django_db
def test_the_dashboard_names_the_first_runs_people_and_links_the_other_runs(
    org, coordinator_client
):
    from trainings.selectors import DASHBOARD_WARNINGS

    _warned_runs(org, runs=2, people=4)
    response, small = _dashboard(coordinator_client)
    assert len(response.context["attendance_warnings"]) == 8
    assert response.context["attendance_warnings_more"] == []

    _warned_runs(org, runs=10, people=4)  # 48 people in 12 runs
    audited = AuditLogEntry.objects.filter(details__page="attendance_warnings")
    before = set(audited.values_list("pk", flat=True))
    response, large = _dashboard(coordinator_client)
    shown = response.context["attendance_warnings"]
    more = response.context["attendance_warnings_more"]
    assert len(shown) == 8 <= DASHBOARD_WARNINGS  # whole runs: a third would make 12
    assert [n for _run, n in more] == [4] * 10
    assert large == small  # however many runs warn
    page = response.content.decode()
    for run, _n in more:
        assert reverse("trainings:run_detail", args=[run.pk]) in page
    assert "Weitere Hinweise in diesen Durchgängen" in page and "(4 Personen)" in page
    # only the people named are in the audit trail
    named = audited.exclude(pk__in=before).values_list("object_id", flat=True)
    assert sorted(int(pk) for pk in named) == sorted(w.participant.pk for w in shown)
    # the run page of a run only linked names its people
    run_page = coordinator_client.get(reverse("trainings:run_detail", args=[more[0][0].pk]))
    assert len(run_page.context["attendance_warnings"]) == 4


@pytest.mark.django_db
def test_the_first_run_is_shown_whole_however_many_it_warns_about(org, coordinator_client):
    from trainings.selectors import DASHBOARD_WARNINGS

    _warned_runs(org, runs=1, people=DASHBOARD_WARNINGS + 2)
    _warned_runs(org, runs=1, people=1)
    response, _ = _dashboard(coordinator_client)
    assert len(response.context["attendance_warnings"]) == DASHBOARD_WARNINGS + 2
    assert [n for _run, n in response.context["attendance_warnings_more"]] == [1]
