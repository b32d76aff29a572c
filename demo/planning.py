"""Demo data for planning: two jobcenters that do not see each other."""

from datetime import date, time, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from aktiva.models import Membership, Organization
from trainings import services
from trainings.models import CourseRun, Location, Module, Trainer

DEMO_PASSWORD = "aktiva-demo"


def _user(username: str, first: str, last: str, org: Organization, role: str) -> User:
    user = User.objects.create_user(
        username=username,
        password=DEMO_PASSWORD,
        first_name=first,
        last_name=last,
        email=f"{username}@example.org",
    )
    Membership.objects.create(user=user, organization=org, role=role)
    return user


def _run(
    org,
    title,
    *,
    location,
    trainers,
    start: date,
    count=8,
    weekdays=(0, 1, 2, 3),
    hours=(time(9, 0), time(12, 30)),
    statuses=(),
    capacity=12,
    notes="",
) -> CourseRun:
    run = services.course_run_save(
        run=CourseRun(
            organization=org,
            title=title,
            location=location,
            capacity=capacity,
            min_participants=8,
            notes=notes,
        ),
        trainers=trainers,
        modules=list(Module.objects.filter(organization=None, kind=Module.Kind.CORE)),
    )
    if count:
        services.schedule_generate(
            run=run,
            start=start,
            weekdays=list(weekdays),
            start_time=hours[0],
            end_time=hours[1],
            count=count,
            modules=list(run.modules.all()),
        )
    for status in statuses:
        run = services.course_run_transition(run=run, to=status)
    return run


def load() -> tuple[list[Organization], list[str]]:
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    S = CourseRun.Status

    dresden = Organization.objects.create(
        name="Jobcenter Dresden",
        federal_state="SN",
        street="Budapester Straße 30",
        postal_code="01069",
        city="Dresden",
        contact_phone="0351 8526-0",
        contact_email="aktiva@jobcenter-dresden.example",
        report_team_name="Jobcenter Dresden, Team 512 – Arbeitsvermittlung",
        report_team_address="Budapester Straße 30\n01069 Dresden",
    )
    _user("koordination", "Karla", "Koordinatorin", dresden, Membership.Role.COORDINATOR)
    anna_user = _user("anna", "Anna", "Berger", dresden, Membership.Role.TRAINER)
    jonas_user = _user("jonas", "Jonas", "Weber", dresden, Membership.Role.TRAINER)
    anna = Trainer.objects.create(
        organization=dresden,
        user=anna_user,
        first_name="Anna",
        last_name="Berger",
        email="anna@example.org",
        phone="0351 8526-112",
        qualified_on=date(2021, 3, 12),
        certificate_reference="TUD-AKT-2021-017",
    )
    jonas = Trainer.objects.create(
        organization=dresden,
        user=jonas_user,
        first_name="Jonas",
        last_name="Weber",
        email="jonas@example.org",
        qualified_on=date(2022, 9, 30),
        certificate_reference="TUD-AKT-2022-104",
    )
    mira = Trainer.objects.create(
        organization=dresden,
        first_name="Mira",
        last_name="Yilmaz",
        email="mira@example.org",
        qualified_on=date(2023, 5, 5),
        certificate_reference="TUD-AKT-2023-033",
    )
    Trainer.objects.create(
        organization=dresden,
        first_name="Lena",
        last_name="Fischer",
        email="lena@example.org",
        phone="0351 8526-140",
    )  # not qualified yet
    Trainer.objects.create(
        organization=dresden,
        first_name="Peter",
        last_name="Lange",
        is_active=False,
        qualified_on=date(2016, 2, 1),
        certificate_reference="TUD-AKT-2016-002",
    )
    room1 = Location.objects.create(
        organization=dresden,
        name="Schulungsraum 1.12",
        street="Budapester Straße 30",
        postal_code="01069",
        city="Dresden",
        capacity=14,
        step_free=True,
        directions="Eingang B, 1. Etage, Aufzug vorhanden.",
    )
    room2 = Location.objects.create(
        organization=dresden,
        name="Gruppenraum 3.05",
        street="Budapester Straße 30",
        postal_code="01069",
        city="Dresden",
        capacity=10,
        step_free=False,
        directions="Eingang A, 3. Etage, kein Aufzug.",
    )
    _run(
        dresden,
        "AktivA Gruppe A",
        location=room1,
        trainers=[anna, jonas],
        start=monday - timedelta(weeks=10),
        statuses=[S.PLANNED, S.RUNNING, S.COMPLETED],
    )
    _run(
        dresden,
        "AktivA Gruppe B",
        location=room1,
        trainers=[anna, jonas],
        start=monday - timedelta(weeks=1),
        statuses=[S.PLANNED, S.RUNNING],
        notes="Zwei Wochen, vier Vormittage pro Woche.",
    )
    _run(
        dresden,
        "AktivA 6 Wochen dienstags",
        location=room2,
        trainers=[jonas, mira],
        capacity=12,
        start=monday + timedelta(weeks=6),
        count=6,
        weekdays=(1,),
        hours=(time(9, 0), time(15, 0)),
        statuses=[S.PLANNED],
    )
    _run(
        dresden,
        "AktivA Gruppe C",
        location=room1,
        trainers=[],
        start=monday + timedelta(weeks=14),
        count=0,
        notes="Trainer/innen werden noch gesucht.",
    )

    leipzig = Organization.objects.create(
        name="Jobcenter Leipzig",
        federal_state="SN",
        street="Georg-Schumann-Straße 150",
        postal_code="04159",
        city="Leipzig",
        contact_phone="0341 913-0",
    )
    _user("leipzig", "Lars", "Leipziger", leipzig, Membership.Role.COORDINATOR)
    tom = Trainer.objects.create(
        organization=leipzig,
        first_name="Tom",
        last_name="Richter",
        qualified_on=date(2020, 1, 20),
        certificate_reference="TUD-AKT-2020-001",
    )
    hall = Location.objects.create(
        organization=leipzig,
        name="Seminarraum A",
        street="Georg-Schumann-Straße 150",
        postal_code="04159",
        city="Leipzig",
        capacity=15,
        step_free=True,
    )
    _run(
        leipzig,
        "AktivA Leipzig",
        location=hall,
        trainers=[tom],
        start=monday + timedelta(weeks=2),
        statuses=[S.PLANNED],
    )

    logins = [
        f"Koordination Dresden: koordination / {DEMO_PASSWORD}",
        f"Trainerin Dresden:    anna / {DEMO_PASSWORD}",
        f"Trainer Dresden:      jonas / {DEMO_PASSWORD}",
        f"Koordination Leipzig: leipzig / {DEMO_PASSWORD}",
    ]
    return [dresden, leipzig], logins
