"""Factories for participants, enrollments and attendance."""

from datetime import date

import factory

from participants.models import Attendance, Enrollment, Participant
from tests.factories import CourseRunFactory, OrganizationFactory, run_with_sessions  # noqa: F401


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


def mark(enrollment, sessions, status=Attendance.Status.PRESENT, reason=""):
    if status == Attendance.Status.EXCUSED and not reason:
        reason = Attendance.ExcuseReason.IMPORTANT
    for session in sessions:
        Attendance.objects.create(
            enrollment=enrollment, session=session, status=status, excuse_reason=reason
        )
