"""Demo participants: enrollments with a waiting list, attendance and certificates."""

import random
from datetime import date

from django.utils import timezone

from aktiva.models import Organization
from participants.models import Attendance, Enrollment, Participant
from participants.services import certificates_issue, enrollment_create, enrollment_withdraw
from trainings.models import CourseRun

FIRST = [
    "Anna",
    "Bernd",
    "Cem",
    "Dana",
    "Emil",
    "Fatma",
    "Gregor",
    "Hanna",
    "Igor",
    "Jana",
    "Kai",
    "Lena",
    "Mehmet",
    "Nina",
    "Olaf",
    "Petra",
    "Rüdiger",
    "Sabine",
    "Tobias",
    "Ute",
    "Viktor",
    "Wiebke",
    "Yusuf",
    "Zoe",
    "Sven",
    "Marta",
    "Ole",
    "Greta",
    "Halil",
    "Ines",
]
LAST = [
    "Schulz",
    "Meier",
    "Yılmaz",
    "Krause",
    "Becker",
    "Hoffmann",
    "Lange",
    "Wolf",
    "Nowak",
    "Richter",
    "Klein",
    "Schröder",
    "Neumann",
    "Braun",
    "Zimmermann",
    "Hartmann",
    "Krüger",
    "Werner",
    "Lehmann",
    "Köhler",
    "Peters",
    "Fuchs",
    "Vogel",
    "Friedrich",
    "Scholz",
    "Möller",
    "Günther",
    "Busch",
    "Keller",
    "Seidel",
]


def _people(org: Organization, count: int, prefix: str) -> list[Participant]:
    people = []
    for i in range(count):
        person = Participant(
            organization=org,
            first_name=FIRST[i % len(FIRST)],
            last_name=LAST[(i * 7) % len(LAST)],
            customer_number=f"{prefix}{i + 1:05d}",
            consent_on=date(2026, 1, 5),
            # every fifth has not (yet) agreed to reports to the jobcenter
            report_consent_on=None if i % 5 == 4 else date(2026, 1, 5),
        )
        person.full_clean()
        people.append(person)
    return Participant.objects.bulk_create(people)


def _attendance(run: CourseRun, rng: random.Random) -> None:
    today = timezone.localdate()
    sessions = [s for s in run.sessions.all() if not s.is_cancelled and s.date <= today]
    rows = []
    for enrollment in run.enrollments.in_attendance():
        reliability = rng.choice([1.0, 1.0, 1.0, 1.0, 0.95, 0.9, 0.6])
        for session in sessions:
            roll = rng.random()
            if roll < reliability:
                status = (
                    Attendance.Status.LATE
                    if roll > reliability - 0.05
                    else Attendance.Status.PRESENT
                )
            else:
                status = rng.choice([Attendance.Status.EXCUSED, Attendance.Status.ABSENT])
            reason = ""
            if status == Attendance.Status.EXCUSED:
                sick = (enrollment.pk + session.pk) % 2
                reason = Attendance.ExcuseReason.SICK_NOTE if sick else "important"
            rows.append(
                Attendance(
                    enrollment=enrollment, session=session, status=status, excuse_reason=reason
                )
            )
    Attendance.objects.bulk_create(rows)


def load(organizations: list) -> list[str]:
    rng = random.Random(3)
    main, *others = organizations
    people = _people(main, 40, "DD")
    runs = list(
        CourseRun.objects.for_organization(main)
        .exclude(status=CourseRun.Status.CANCELLED)
        .order_by("pk")
    )
    pool = iter(people)
    for run in runs:
        # the running course is full with two on the waiting list; the others fill up partly
        wanted = (
            run.capacity + 2 if run.status == CourseRun.Status.RUNNING else min(run.capacity, 9)
        )
        for _ in range(wanted):
            person = next(pool, None)
            if person is None:
                break
            _enroll(run, person)
        _attendance(run, rng)
        if run.status == CourseRun.Status.COMPLETED:
            certificates_issue(run=run)
        _leave(run)
    for org in others:
        run = CourseRun.objects.for_organization(org).active().first()
        for person in _people(org, 6, "L"):
            if run:
                _enroll(run, person)
    return [
        f"Teilnehmende: {len(people)} im ersten Jobcenter, angemeldet in {len(runs)} Durchgängen"
    ]


def _leave(run: CourseRun) -> None:
    """Someone leaves each open run, so the reports page has notices for the jobcenter: in
    the running course one drops out (Abbruch; the first on the waiting list moves up),
    in a planned one someone never starts (Nichtantritt)."""
    first = run.enrollments.filter(status=Enrollment.Status.ENROLLED).order_by("pk").first()
    if first is None or run.status not in (CourseRun.Status.RUNNING, CourseRun.Status.PLANNED):
        return
    running = run.status == CourseRun.Status.RUNNING
    enrollment_withdraw(
        enrollment=first,
        reason="Arbeitsaufnahme" if running else "Umzug in einen anderen Landkreis",
        dropped_out=running,
    )


def _enroll(run: CourseRun, person: Participant) -> None:
    if run.is_closed:  # history: a completed run takes no new enrollments
        Enrollment.objects.create(run=run, participant=person, status=Enrollment.Status.COMPLETED)
    else:
        enrollment_create(run=run, participant=person)
