"""A run's schedule: the generator, moving, adding and cancelling sessions, bad input."""

from datetime import date, time

import pytest
from django.urls import reverse

from ..factories import (
    CourseRunFactory,
    LocationFactory,
    SessionFactory,
    catalogue_module,
)


def test_schedule_form_creates_sessions_and_reports_holidays(coordinator_client, org):
    run = CourseRunFactory(organization=org)
    core = [catalogue_module(c).pk for c in ("aktivitaetenplanung", "konstruktives-denken")]
    response = coordinator_client.post(
        reverse("trainings:schedule_generate", args=[run.pk]),
        {
            "start": "2026-11-16",
            "weekdays": ["0", "1", "2", "3"],
            "start_time": "09:00",
            "end_time": "12:30",
            "count": "4",
            "modules": core,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "4 Termine angelegt." in html
    assert "Buß- und Bettag" in html
    assert [s.date.day for s in run.sessions.all()] == [16, 17, 19, 23]


def test_schedule_form_rejects_bad_input_and_keeps_it(coordinator_client, org):
    run = CourseRunFactory(organization=org)
    response = coordinator_client.post(
        reverse("trainings:schedule_generate", args=[run.pk]),
        {
            "start": "2026-11-16",
            "start_time": "12:00",
            "end_time": "09:00",
            "count": "0",
        },
    )
    html = response.content.decode()
    assert "Bitte wählen Sie mindestens einen Wochentag." in html
    assert "Das Ende muss nach dem Beginn liegen." in html
    assert "Mindestens ein Termin." in html
    assert 'value="2026-11-16"' in html
    assert run.sessions.count() == 0


def test_moving_a_session_onto_a_busy_room_names_the_other_run(
    coordinator_client, run, session, org
):
    other = CourseRunFactory(organization=org, title="Parallelkurs", location=run.location)
    SessionFactory(run=other, date=date(2026, 12, 3), start_time=time(9), end_time=time(12))
    response = coordinator_client.post(
        reverse("trainings:session_update", args=[run.pk, session.pk]),
        {
            "date": "2026-12-03",
            "start_time": "10:00",
            "end_time": "13:00",
            "note": "verschoben",
        },
    )
    html = response.content.decode()
    assert "Parallelkurs" in html and 'value="2026-12-03"' in html and "verschoben" in html
    session.refresh_from_db()
    assert session.date == date(2026, 12, 1)


def test_add_move_and_cancel_a_session(coordinator_client, run, session):
    coordinator_client.post(
        reverse("trainings:session_create", args=[run.pk]),
        {
            "date": "2026-12-08",
            "start_time": "09:00",
            "end_time": "12:30",
        },
    )
    assert run.sessions.count() == 2
    coordinator_client.post(
        reverse("trainings:session_update", args=[run.pk, session.pk]),
        {
            "date": "2026-12-02",
            "start_time": "13:00",
            "end_time": "16:00",
        },
    )
    session.refresh_from_db()
    assert (session.date, session.start_time) == (date(2026, 12, 2), time(13))
    coordinator_client.post(
        reverse("trainings:session_cancel", args=[run.pk, session.pk]), {"cancelled": "1"}
    )
    session.refresh_from_db()
    assert session.is_cancelled


def test_session_of_another_run_answers_404(coordinator_client, run, org):
    other_session = SessionFactory(run=CourseRunFactory(organization=org))
    url = reverse("trainings:session_update", args=[run.pk, other_session.pk])
    assert coordinator_client.get(url).status_code == 404


def test_run_page_warns_about_room_capacity_and_core_modules(coordinator_client, org):
    run = CourseRunFactory(
        organization=org, capacity=14, location=LocationFactory(organization=org, capacity=10)
    )
    html = coordinator_client.get(reverse("trainings:run_detail", args=[run.pk])).content.decode()
    assert "der Raum" in html and "nur 10" in html
    assert "Diese Kernmodule kommen in keinem Termin vor" in html


@pytest.mark.parametrize("start", ["9999-12-20", "0001-01-01"])
def test_schedule_far_off_dates_get_a_message_not_an_error(coordinator_client, org, start):
    run = CourseRunFactory(organization=org)
    response = coordinator_client.post(
        reverse("trainings:schedule_generate", args=[run.pk]),
        {
            "start": start,
            "weekdays": ["0"],
            "start_time": "09:00",
            "end_time": "12:00",
            "count": "2",
        },
    )
    assert response.status_code == 200
    assert "zwischen 2000 und 2100" in response.content.decode()
    assert run.sessions.count() == 0


def test_the_session_form_shows_times_as_the_time_picker_expects(coordinator_client, run, session):
    page = coordinator_client.get(
        reverse("trainings:session_update", args=[run.pk, session.pk])
    ).content.decode()
    assert 'type="time"' in page and 'value="09:00"' in page and 'value="09:00:00"' not in page
