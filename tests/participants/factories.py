"""Factories for participants, enrollments and attendance."""

from datetime import date, time, timedelta

import factory
from django.utils import timezone

from participants.models import Attendance, Enrollment, Participant
from tests.factories import CourseRunFactory, OrganizationFactory, SessionFactory


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    organization = factory.SubFactory(OrganizationFactory)
    first_name = factory.Sequence(lambda n: f"Paula{n}")
    last_name = factory.Sequence(lambda n: f"Teilnehmer{n}")
    consent_on = date(2026, 1, 5)


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    run = factory.SubFactory(CourseRunFactory)
    participant = factory.SubFactory(
        ParticipantFactory, organization=factory.SelfAttribute("..run.organization")
    )
    status = Enrollment.Status.ENROLLED


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    status = Attendance.Status.PRESENT


def run_with_sessions(org, *, count: int, past: int | None = None, trainers=(), **run_fields):
    """A run with `count` sessions on consecutive days; the first `past` lie in the past
    (all of them by default), the rest in the future."""
    past = count if past is None else past
    run = CourseRunFactory(organization=org, trainers=list(trainers), **run_fields)
    start = timezone.localdate() - timedelta(days=past)
    sessions = [
        SessionFactory(
            run=run, date=start + timedelta(days=i), start_time=time(9), end_time=time(12)
        )
        for i in range(count)
    ]
    return run, sessions


def mark(enrollment, sessions, status=Attendance.Status.PRESENT):
    for session in sessions:
        Attendance.objects.create(enrollment=enrollment, session=session, status=status)
