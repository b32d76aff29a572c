"""Double bookings as planners meet them: at the field that causes them, one line per other
run, and a next step (skip the busy days, another room or trainer, who is free)."""

from datetime import date, time

import pytest
from django.urls import reverse

from trainings import services
from trainings.models import Session

from ..factories import CourseRunFactory, LocationFactory, SessionFactory, TrainerFactory

MONDAY = date(2027, 3, 1)  # no holidays in Saxony in the weeks that follow


@pytest.fixture
def busy(org):
    """'Frühjahrskurs' holds room 'Raum A' and trainer Anna Berger Mon–Thu of two weeks."""
    anna = TrainerFactory(organization=org, first_name="Anna", last_name="Berger")
    room = LocationFactory(organization=org, name="Raum A")
    other = CourseRunFactory(organization=org, title="Frühjahrskurs", location=room)
    other.trainers.set([anna])
    for day in (1, 2, 3, 4, 8, 9, 10, 11):
        SessionFactory(run=other, date=date(2027, 3, day), start_time=time(9), end_time=time(12))
    return anna, room


def _schedule(**changes):
    data = {
        "start": MONDAY.isoformat(),
        "weekdays": ["0", "1", "2", "3"],
        "start_time": "09:00",
        "end_time": "12:30",
        "count": "8",
    }
    data.update(changes)
    return data


def test_compact_dates_join_consecutive_days_and_name_the_year_once():
    days = [date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 7)]
    assert services.compact_dates(days) == "30.11.–02.12., 07.12.2026"
    assert services.compact_dates([date(2026, 12, 31), date(2027, 1, 4)]) == (
        "31.12.2026, 04.01.2027"
    )


def test_eight_colliding_sessions_make_one_line_per_other_run_and_field(org, busy):
    anna, room = busy
    run = CourseRunFactory(organization=org, location=room)
    with pytest.raises(services.ConflictError) as error:
        services.schedule_generate(
            run=run,
            start=MONDAY,
            weekdays=[0, 1, 2, 3],
            start_time=time(9),
            end_time=time(12),
            count=8,
            modules=[],
            trainers=[anna],
        )
    errors = error.value.message_dict
    assert errors["location"] == [
        "8 Termine kollidieren mit „Frühjahrskurs“ (01.03.–04.03., 08.03.–11.03.2027): "
        "Raum A ist dann belegt."
    ]
    assert errors["trainers"] == [
        "8 Termine kollidieren mit „Frühjahrskurs“ (01.03.–04.03., 08.03.–11.03.2027): "
        "Anna Berger leitet dann dort."
    ]
    assert run.sessions.count() == 0


def test_one_colliding_session_is_singular(org, busy):
    anna, room = busy
    run = CourseRunFactory(organization=org, location=room)
    with pytest.raises(services.ConflictError) as error:
        services.session_save(
            session=Session(run=run, date=MONDAY, start_time=time(11), end_time=time(13)),
            modules=[],
        )
    assert error.value.message_dict["location"] == [
        "1 Termin kollidiert mit „Frühjahrskurs“ (01.03.2027): Raum A ist dann belegt."
    ]


def test_finding_conflicts_takes_the_same_queries_for_few_and_many_dates(
    org, busy, django_assert_max_num_queries
):
    anna, room = busy
    run = CourseRunFactory(organization=org, location=room)
    LocationFactory(organization=org, name="Raum B")

    def slots(n):
        return [services.Slot(date(2027, 3, d), time(9), time(12)) for d in range(1, n + 1)]

    for n in (2, 14):
        with django_assert_max_num_queries(4):
            conflicts = services.find_conflicts(
                run=run, slots=slots(n), location=room, trainers=[anna]
            )
        assert [str(r) for r in conflicts.free_rooms] == ["Raum B"]


def test_generator_reports_room_and_trainer_at_their_fields_and_keeps_the_input(
    coordinator_client, org, busy
):
    anna, room = busy
    free = LocationFactory(organization=org, name="Raum B")
    TrainerFactory(organization=org, first_name="Ben", last_name="Frei")
    run = CourseRunFactory(organization=org, location=room, title="Neuer Kurs")
    run.trainers.set([anna])
    response = coordinator_client.post(
        reverse("trainings:schedule_generate", args=[run.pk]),
        _schedule(location=room.pk, trainers=[anna.pk]),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "Raum A ist dann belegt" in form.errors["location"][0]
    assert "Anna Berger leitet dann dort" in form.errors["trainers"][0]
    assert "__all__" not in form.errors
    html = response.content.decode()
    assert "Frei zu allen diesen Zeiten: Raum B." in html
    assert "Frei zu allen diesen Zeiten: Ben Frei." in html
    assert 'name="skip_conflicts" value="1"' in html
    assert 'value="2027-03-01"' in html and 'value="12:30"' in html
    assert run.sessions.count() == 0
    assert free.pk  # offered, not chosen


def test_generator_skips_the_busy_days_and_fills_up_with_free_ones(coordinator_client, org, busy):
    anna, room = busy
    run = CourseRunFactory(organization=org, location=room)
    response = coordinator_client.post(
        reverse("trainings:schedule_generate", args=[run.pk]),
        _schedule(location=room.pk, skip_conflicts="1"),
        follow=True,
    )
    html = response.content.decode()
    assert "8 Termine angelegt." in html
    assert "8 belegte Tage übersprungen: 01.03.–04.03., 08.03.–11.03.2027." in html
    assert [s.date for s in run.sessions.all()] == [
        date(2027, 3, d) for d in (15, 16, 17, 18, 22, 23, 24, 25)
    ]


def test_generator_books_another_room_and_other_trainers_when_chosen(coordinator_client, org, busy):
    anna, room = busy
    free = LocationFactory(organization=org, name="Raum B")
    ben = TrainerFactory(organization=org, first_name="Ben", last_name="Frei")
    run = CourseRunFactory(organization=org, location=room)
    run.trainers.set([anna])
    response = coordinator_client.post(
        reverse("trainings:schedule_generate", args=[run.pk]),
        _schedule(location=free.pk, trainers=[ben.pk]),
    )
    assert response.status_code == 302
    assert {s.location_id for s in run.sessions.all()} == {free.pk}
    assert list(run.trainers.all()) == [ben]


def test_moving_a_run_into_a_booked_room_is_refused_under_the_room(coordinator_client, org, busy):
    anna, room = busy
    run = CourseRunFactory(organization=org, title="Zweiter Kurs", capacity=12, min_participants=6)
    for day in (1, 2):
        SessionFactory(run=run, date=date(2027, 3, day), start_time=time(10), end_time=time(11))
    response = coordinator_client.post(
        reverse("trainings:run_update", args=[run.pk]),
        {"title": "Zweiter Kurs", "location": room.pk, "capacity": 12, "min_participants": 6},
    )
    form = response.context["form"]
    assert form.errors["location"] == [
        "2 Termine kollidieren mit „Frühjahrskurs“ (01.03.–02.03.2027): Raum A ist dann belegt."
    ]
    assert "trainers" not in form.errors
    run.refresh_from_db()
    assert run.location != room


def test_moving_a_session_onto_a_busy_trainer_is_refused_at_the_date(coordinator_client, org, busy):
    anna, room = busy
    run = CourseRunFactory(organization=org)
    run.trainers.set([anna])
    session = SessionFactory(run=run, date=date(2027, 3, 5), start_time=time(9), end_time=time(12))
    response = coordinator_client.post(
        reverse("trainings:session_update", args=[run.pk, session.pk]),
        {"date": "2027-03-04", "start_time": "09:00", "end_time": "12:00", "note": "getauscht"},
    )
    form = response.context["form"]
    assert "Anna Berger leitet dann dort" in form.errors["date"][0]
    assert "getauscht" in response.content.decode()
    session.refresh_from_db()
    assert session.date == date(2027, 3, 5)


@pytest.mark.parametrize(
    ("client_name", "status"),
    [("anonymous_client", 302), ("trainer_client", 403), ("outsider_client", 404)],
)
def test_only_the_coordinator_may_skip_busy_days(request, org, busy, run, client_name, status):
    client = request.getfixturevalue(client_name)
    before = run.sessions.count()
    response = client.post(
        reverse("trainings:schedule_generate", args=[run.pk]), _schedule(skip_conflicts="1")
    )
    assert response.status_code == status
    assert run.sessions.count() == before


def test_conflicts_read_in_english_with_english_dates(org, busy):
    from django.utils import translation

    anna, room = busy
    run = CourseRunFactory(organization=org, location=room)
    with translation.override("en"), pytest.raises(services.ConflictError) as error:
        services.session_save(
            session=Session(run=run, date=MONDAY, start_time=time(11), end_time=time(13)),
            modules=[],
        )
    assert error.value.message_dict["location"] == [
        "1 session clashes with “Frühjahrskurs” (01/03/2027): Raum A is booked then."
    ]
    with translation.override("en"):
        assert services.compact_dates([date(2027, 3, 1), date(2027, 3, 2)]) == "01/03–02/03/2027"


def test_a_run_whose_trainer_left_still_gets_its_schedule(org):
    """The generator checks trainers only when the planner changes them."""
    gone = TrainerFactory(organization=org, is_active=False)
    run = CourseRunFactory(organization=org)
    run.trainers.set([gone])
    result = services.schedule_generate(
        run=run,
        start=MONDAY,
        weekdays=[0],
        start_time=time(9),
        end_time=time(12),
        count=2,
        modules=[],
    )
    assert len(result.sessions) == 2 and list(run.trainers.all()) == [gone]
