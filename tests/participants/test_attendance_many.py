"""Recording attendance: one service for the whole list and for one tap, with the same
rules, a fixed number of queries, and the closed reason from the service."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.models import Attendance, AttendanceChange
from participants.services import attendance_record_many
from trainings.models import CourseRun

from .factories import EnrollmentFactory, run_with_sessions

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_many_marks_at_once_with_errors_per_row(org, coordinator):
    run, sessions = run_with_sessions(org, count=1)
    first, second, waiting = EnrollmentFactory.create_batch(3, run=run)
    waiting.status, waiting.waiting_since = "waiting", "2026-01-01T08:00Z"
    waiting.save()
    result = attendance_record_many(
        session=sessions[0],
        marks={first.pk: "present", second.pk: "bogus", waiting.pk: "present"},
        user=coordinator,
    )
    assert set(result.marks) == {first.pk}
    assert "Unbekannter" in result.errors[second.pk] and "keinen Platz" in result.errors[waiting.pk]
    assert list(Attendance.objects.values_list("enrollment_id", "status")) == [
        (first.pk, "present")
    ]
    assert AttendanceChange.objects.count() == 1


def test_a_closed_session_refuses_the_whole_list_once(org, coordinator):
    run, sessions = run_with_sessions(org, count=1)
    run.status = CourseRun.Status.CANCELLED
    run.save()
    with pytest.raises(ValidationError, match="abgesagt"):
        attendance_record_many(
            session=sessions[0],
            marks={e.pk: "present" for e in EnrollmentFactory.create_batch(2, run=run)},
            user=coordinator,
        )
    assert not Attendance.objects.exists()


def test_a_tap_on_a_cancelled_run_keeps_the_row_disabled(trainer_client, trainer, org):
    """The htmx answer used to re-enable the row: the view worked the reason out again."""
    run, sessions = run_with_sessions(org, count=1, trainers=[trainer])
    enrollment = EnrollmentFactory(run=run)
    Attendance.objects.create(session=sessions[0], enrollment=enrollment, status="present")
    run.status = CourseRun.Status.CANCELLED
    run.save()
    url = reverse("participants:attendance_mark", args=[sessions[0].pk, enrollment.pk])
    html = trainer_client.post(url, {"status": "absent"}, **HTMX).content.decode()
    assert "Der Durchgang ist abgesagt." in html
    assert "hx-post" not in html and "disabled" in html
    assert 'value="present" autocomplete="off" checked' in html  # the saved mark stays shown
    assert Attendance.objects.get().status == "present"


@pytest.mark.parametrize("who", ["coordinator_client", "trainer_client"])
def test_one_tap_costs_at_most_six_queries(
    request, who, trainer, org, django_assert_max_num_queries
):
    client = request.getfixturevalue(who)
    run, sessions = run_with_sessions(org, count=1, trainers=[trainer])
    enrollment = EnrollmentFactory(run=run)
    url = reverse("participants:attendance_mark", args=[sessions[0].pk, enrollment.pk])
    client.post(url, {"status": "late"}, **HTMX)  # warm up (session, caches)
    with django_assert_max_num_queries(6):
        response = client.post(url, {"status": "present"}, **HTMX)
    assert response.status_code == 200 and "gespeichert" in response.content.decode()
    assert Attendance.objects.get().status == "present"


def test_the_plain_form_costs_the_same_for_5_and_15_people(coordinator_client, org):
    def save_all(count):
        run, sessions = run_with_sessions(org, count=1)
        people = EnrollmentFactory.create_batch(count, run=run)
        url = reverse("participants:attendance", args=[sessions[0].pk])
        data = {f"status-{e.pk}": "present" for e in people}
        with CaptureQueriesContext(connection) as queries:
            response = coordinator_client.post(url, data)
        assert response.status_code == 302
        assert Attendance.objects.filter(session=sessions[0]).count() == count
        return len(queries)

    assert save_all(5) == save_all(15)


def test_all_present_marks_the_unmarked_and_can_be_taken_back(trainer_client, trainer, org):
    run, sessions = run_with_sessions(org, count=1, trainers=[trainer])
    absent, *others = EnrollmentFactory.create_batch(4, run=run)
    Attendance.objects.create(session=sessions[0], enrollment=absent, status="absent")
    url = reverse("participants:attendance_all_present", args=[sessions[0].pk])
    page = trainer_client.post(url, follow=True).content.decode()
    assert "3 Personen als anwesend eingetragen." in page and "Rückgängig" in page
    marks = dict(Attendance.objects.values_list("enrollment_id", "status"))
    assert marks[absent.pk] == "absent" and all(marks[e.pk] == "present" for e in others)
    # a correction after "all present" is the newer decision: the undo keeps it
    trainer_client.post(
        reverse("participants:attendance_mark", args=[sessions[0].pk, others[0].pk]),
        {"status": "late"},
    )
    trainer_client.post(reverse("participants:attendance_undo", args=[sessions[0].pk]))
    marks = dict(Attendance.objects.values_list("enrollment_id", "status"))
    assert marks == {absent.pk: "absent", others[0].pk: "late"}


def test_all_present_follows_the_access_rule(trainer_client, outsider_client, org):
    run, sessions = run_with_sessions(org, count=1)  # the standing trainer does not lead it
    EnrollmentFactory(run=run)
    url = reverse("participants:attendance_all_present", args=[sessions[0].pk])
    assert trainer_client.post(url).status_code == 404
    assert outsider_client.post(url).status_code == 404
    assert not Attendance.objects.exists()


def test_the_trainers_dashboard_leads_straight_to_todays_attendance(trainer_client, trainer, org):
    run, sessions = run_with_sessions(org, count=1, past=0, trainers=[trainer])
    page = trainer_client.get(reverse("dashboard")).content.decode()
    assert reverse("participants:attendance", args=[sessions[0].pk]) in page
    assert "Anwesenheit erfassen" in page
