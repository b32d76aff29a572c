"""factory_boy factories shared by all test folders."""

from datetime import date, time, timedelta

import factory
from django.contrib.auth.models import User
from django.utils import timezone

from aktiva.models import Membership, Organization
from trainings.models import CourseRun, Location, Module, Session, Trainer
from trainings.services import course_run_dates_refresh


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Jobcenter {n}")
    federal_state = "SN"
    city = "Dresden"
    contact_phone = "0351 123456"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Muster{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("geheim-passwort-1")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.COORDINATOR


class TrainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainer

    organization = factory.SubFactory(OrganizationFactory)
    first_name = "Tom"
    last_name = factory.Sequence(lambda n: f"Trainer{n}")
    email = factory.Sequence(lambda n: f"trainer{n}@example.org")
    qualified_on = date(2020, 5, 1)
    certificate_reference = factory.Sequence(lambda n: f"AKT-{n:04d}")


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Raum {n}")
    street = "Budapester Straße 30"
    postal_code = "01069"
    city = "Dresden"
    capacity = 15
    step_free = True


class CourseRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseRun
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"AktivA Durchgang {n}")
    location = factory.SubFactory(
        LocationFactory, organization=factory.SelfAttribute("..organization")
    )
    capacity = 12
    min_participants = 6

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trainers.set(extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    class Params:
        cancelled = factory.Trait(is_cancelled=True)
        morning = factory.Trait(start_time=time(9), end_time=time(12))

    run = factory.SubFactory(CourseRunFactory)
    date = date(2026, 12, 1)
    start_time = time(9, 0)
    end_time = time(12, 30)

    @factory.post_generation
    def modules(self, create, extracted, **kwargs):
        if create and extracted:
            self.modules.set(extracted)

    @factory.post_generation
    def held_days(self, create, extracted, **kwargs):
        # the run's stored first and last held day, as every service that writes sessions
        if create:
            course_run_dates_refresh(run_ids=[self.run_id])


def catalogue_module(code: str) -> Module:
    return Module.objects.get(organization=None, code=code)


def run_with_sessions(
    organization,
    *,
    count: int,
    first: date | None = None,
    past: int | None = None,
    trainers=(),
    **run_fields,
) -> tuple[CourseRun, list[Session]]:
    """A run with `count` morning sessions (9–12) on consecutive days from `first`; without
    `first`, the first `past` of them lie in the past (all by default), the rest ahead."""
    if first is None:
        first = timezone.localdate() - timedelta(days=count if past is None else past)
    run = CourseRunFactory(organization=organization, trainers=list(trainers), **run_fields)
    sessions = [
        SessionFactory(run=run, date=first + timedelta(days=i), morning=True) for i in range(count)
    ]
    return run, sessions
