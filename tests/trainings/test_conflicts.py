from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from trainings import services
from trainings.models import CourseRun, Session

from ..factories import (
    CourseRunFactory,
    LocationFactory,
    OrganizationFactory,
    SessionFactory,
    TrainerFactory,
)

DAY = date(2026, 12, 1)


@pytest.fixture
def booked(db):
    """A run with trainer `anna` in room `room` on DAY 09:00–12:30."""
    org = OrganizationFactory()
    anna = TrainerFactory(organization=org, first_name="Anna", last_name="Berger")
    room = LocationFactory(organization=org, name="Raum 1.12")
    run = CourseRunFactory(organization=org, title="Herbstkurs", location=room, trainers=[anna])
    SessionFactory(run=run, date=DAY, start_time=time(9), end_time=time(12, 30))
    return org, anna, room, run


def test_trainer_in_two_overlapping_sessions_is_refused_naming_the_other_run(booked):
    org, anna, room, run = booked
    other = CourseRunFactory(
        organization=org, location=LocationFactory(organization=org), trainers=[anna]
    )
    with pytest.raises(ValidationError) as error:
        services.session_save(
            session=Session(run=other, date=DAY, start_time=time(12), end_time=time(14)), modules=[]
        )
    message = " ".join(error.value.messages)
    assert "Anna Berger" in message and "Herbstkurs" in message
    assert other.sessions.count() == 0


def test_room_in_two_overlapping_sessions_is_refused(booked):
    org, anna, room, run = booked
    other = CourseRunFactory(organization=org, location=room)
    with pytest.raises(ValidationError) as error:
        services.session_save(
            session=Session(run=other, date=DAY, start_time=time(10), end_time=time(11)), modules=[]
        )
    assert "Raum 1.12" in " ".join(error.value.messages)


def test_back_to_back_sessions_and_cancelled_ones_do_not_conflict(booked):
    org, anna, room, run = booked
    other = CourseRunFactory(organization=org, location=room, trainers=[anna])
    services.session_save(
        session=Session(run=other, date=DAY, start_time=time(12, 30), end_time=time(15)), modules=[]
    )
    run.sessions.update(is_cancelled=True)
    services.session_save(
        session=Session(run=other, date=DAY, start_time=time(9), end_time=time(11)), modules=[]
    )
    assert other.sessions.count() == 2


def test_sessions_of_a_cancelled_run_do_not_block(booked):
    org, anna, room, run = booked
    CourseRun.objects.filter(pk=run.pk).update(status=CourseRun.Status.CANCELLED)
    other = CourseRunFactory(organization=org, location=room, trainers=[anna])
    services.session_save(
        session=Session(run=other, date=DAY, start_time=time(9), end_time=time(11)), modules=[]
    )


def test_assigning_a_busy_trainer_to_a_run_is_refused(booked):
    org, anna, room, run = booked
    other = CourseRunFactory(organization=org, location=LocationFactory(organization=org))
    SessionFactory(run=other, date=DAY, start_time=time(11), end_time=time(13))
    with pytest.raises(ValidationError) as error:
        services.course_run_save(run=other, trainers=[anna], modules=[])
    assert "trainers" in error.value.message_dict
    assert "Herbstkurs" in " ".join(error.value.message_dict["trainers"])
    assert list(other.trainers.all()) == []


def test_generator_refuses_whole_schedule_on_a_conflict(booked):
    org, anna, room, run = booked
    other = CourseRunFactory(
        organization=org, location=LocationFactory(organization=org), trainers=[anna]
    )
    with pytest.raises(ValidationError) as error:
        services.schedule_generate(
            run=other,
            start=date(2026, 11, 30),
            weekdays=[0, 1],
            start_time=time(9),
            end_time=time(12),
            count=4,
            modules=[],
        )
    assert "Herbstkurs" in " ".join(error.value.messages)
    assert other.sessions.count() == 0


def test_other_organizations_bookings_are_not_conflicts(booked):
    org, anna, room, run = booked
    stranger = CourseRunFactory()  # another organization, its own room and trainer
    services.session_save(
        session=Session(run=stranger, date=DAY, start_time=time(9), end_time=time(12)), modules=[]
    )


def test_only_qualified_active_trainers_can_be_assigned(db):
    org = OrganizationFactory()
    unqualified = TrainerFactory(
        organization=org, qualified_on=None, first_name="Lena", last_name="Fischer"
    )
    inactive = TrainerFactory(organization=org, is_active=False)
    run = CourseRunFactory(organization=org)
    for trainer in (unqualified, inactive):
        with pytest.raises(ValidationError) as error:
            services.course_run_save(run=run, trainers=[trainer], modules=[])
        assert "Qualifizierung" in error.value.message_dict["trainers"][0]
    assert run.trainers.count() == 0


def test_warnings_for_room_capacity_and_missing_core_modules(db):
    run = CourseRunFactory(capacity=14, location=LocationFactory(capacity=10))
    SessionFactory(run=run)
    sessions = list(run.sessions.prefetch_related("modules"))
    warnings = services.run_warnings(run, sessions=sessions)
    assert any("14 Plätze" in w and "nur 10" in w for w in warnings)
    assert any("Aktivitätenplanung" in w for w in warnings)


def test_a_run_cannot_meet_twice_at_the_same_time(booked):
    org, anna, room, run = booked
    with pytest.raises(ValidationError) as error:
        services.session_save(
            session=Session(run=run, date=DAY, start_time=time(11), end_time=time(13)), modules=[]
        )
    assert "Dieser Durchgang hat am" in " ".join(error.value.messages)
    # moving its own session within its own slot is fine
    own = run.sessions.get()
    own.start_time = time(9, 30)
    services.session_save(session=own, modules=[])


def test_generating_a_schedule_twice_is_refused(db):
    run = CourseRunFactory(organization=OrganizationFactory(federal_state="BE"))
    args = dict(
        run=run,
        start=date(2026, 3, 2),
        weekdays=[0, 1],
        start_time=time(9),
        end_time=time(12),
        count=4,
        modules=[],
    )
    services.schedule_generate(**args)
    with pytest.raises(ValidationError) as error:
        services.schedule_generate(**args)
    assert "schon einen Termin" in " ".join(error.value.messages)
    assert run.sessions.count() == 4


@pytest.mark.parametrize("status", [CourseRun.Status.COMPLETED, CourseRun.Status.CANCELLED])
def test_sessions_of_closed_runs_stay_as_they_are(booked, status):
    org, anna, room, run = booked
    CourseRun.objects.filter(pk=run.pk).update(status=status)
    run.refresh_from_db()
    session = run.sessions.get()
    with pytest.raises(ValidationError):
        services.session_save(
            session=Session(run=run, date=date(2026, 12, 9), start_time=time(9), end_time=time(12)),
            modules=[],
        )
    with pytest.raises(ValidationError):
        services.session_set_cancelled(session=session, cancelled=True)
    with pytest.raises(ValidationError):
        services.schedule_generate(
            run=run,
            start=date(2027, 1, 4),
            weekdays=[0],
            start_time=time(9),
            end_time=time(12),
            count=1,
            modules=[],
        )
    assert run.sessions.count() == 1 and not run.sessions.get().is_cancelled
