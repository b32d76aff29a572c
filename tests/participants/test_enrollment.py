import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from aktiva.models import AuditLogEntry
from participants import services
from participants.models import Enrollment
from participants.services import enrollment_create, enrollment_withdraw
from tests.factories import CourseRunFactory

from .factories import EnrollmentFactory, ParticipantFactory, run_with_sessions


def test_enrollment_fills_capacity_then_waiting_list_in_order(org):
    run = CourseRunFactory(organization=org, capacity=2, min_participants=1)
    people = ParticipantFactory.create_batch(4, organization=org)
    statuses = [enrollment_create(run=run, participant=p).status for p in people]
    assert statuses == ["enrolled", "enrolled", "waiting", "waiting"]
    waiting = list(
        Enrollment.objects.filter(run=run).waiting().values_list("participant", flat=True)
    )
    assert waiting == [people[2].pk, people[3].pk]


def test_same_person_cannot_enroll_twice(org):
    run = CourseRunFactory(organization=org)
    person = ParticipantFactory(organization=org)
    enrollment_create(run=run, participant=person)
    with pytest.raises(ValidationError, match="schon eingetragen"):
        enrollment_create(run=run, participant=person)
    assert Enrollment.objects.filter(run=run).count() == 1


def test_participant_of_other_organization_refused(org, other_org):
    run = CourseRunFactory(organization=org)
    with pytest.raises(ValidationError):
        enrollment_create(run=run, participant=ParticipantFactory(organization=other_org))
    assert not Enrollment.objects.exists()


def test_closed_run_refuses_enrollment(org):
    run = CourseRunFactory(organization=org, status="completed")
    with pytest.raises(ValidationError):
        enrollment_create(run=run, participant=ParticipantFactory(organization=org))


def test_withdraw_promotes_first_on_waiting_list(org, coordinator):
    run = CourseRunFactory(organization=org, capacity=1, min_participants=1)
    first, second, third = ParticipantFactory.create_batch(3, organization=org)
    placed = enrollment_create(run=run, participant=first)
    enrollment_create(run=run, participant=second)
    enrollment_create(run=run, participant=third)

    result = enrollment_withdraw(enrollment=placed, reason="Arbeitsaufnahme", user=coordinator)

    assert result.promoted.participant == second
    placed.refresh_from_db()
    assert placed.status == "withdrawn" and placed.withdrawal_reason == "Arbeitsaufnahme"
    statuses = dict(Enrollment.objects.filter(run=run).values_list("participant", "status"))
    assert statuses == {first.pk: "withdrawn", second.pk: "enrolled", third.pk: "waiting"}
    assert Enrollment.objects.get(participant=second).promoted_at is not None
    assert AuditLogEntry.objects.filter(
        object_id=str(second.pk), details__enrollment="promoted"
    ).exists()


def test_withdraw_from_waiting_list_promotes_nobody(org):
    run = CourseRunFactory(organization=org, capacity=1, min_participants=1)
    a, b = ParticipantFactory.create_batch(2, organization=org)
    enrollment_create(run=run, participant=a)
    waiting = enrollment_create(run=run, participant=b)
    assert enrollment_withdraw(enrollment=waiting, reason="krank").promoted is None
    assert Enrollment.objects.get(participant=a).status == "enrolled"


def test_withdraw_needs_reason(org):
    enrollment = EnrollmentFactory(run=CourseRunFactory(organization=org))
    with pytest.raises(ValidationError):
        enrollment_withdraw(enrollment=enrollment, reason="  ")
    enrollment.refresh_from_db()
    assert enrollment.status == "enrolled"


def test_withdrawn_person_can_enroll_again(org):
    run = CourseRunFactory(organization=org, capacity=3, min_participants=1)
    enrollment = EnrollmentFactory(run=run)
    enrollment_withdraw(enrollment=enrollment, reason="Termin verwechselt")
    again = enrollment_create(run=run, participant=enrollment.participant)
    assert (
        again.pk == enrollment.pk and again.status == "enrolled" and again.withdrawal_reason == ""
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_coordinators_take_the_last_place_at_once(monkeypatch):
    """Two transactions on two connections: exactly one gets the place.

    `timezone.now()` runs between counting the places and saving; making it slow widens
    the window in which an unlocked read would let both take the place."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    from tests.factories import OrganizationFactory

    org = OrganizationFactory()
    run = CourseRunFactory(organization=org, capacity=3, min_participants=1)
    for _ in range(2):
        EnrollmentFactory(run=run)
    contenders = ParticipantFactory.create_batch(2, organization=org)
    real_now = services.timezone.now

    def slow_now():
        time.sleep(0.5)
        return real_now()

    monkeypatch.setattr(services.timezone, "now", slow_now)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def take_place(participant):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            results.append(enrollment_create(run=run, participant=participant).status)
        except Exception as exc:  # surfaced by the assert below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take_place, args=(p,)) for p in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert sorted(results) == ["enrolled", "waiting"]
    assert Enrollment.objects.filter(run=run).holding_place().count() == 3


def test_raised_capacity_is_filled_from_waiting_list_in_order(
    org, coordinator_client, trainer_client
):
    from django.urls import reverse

    run = CourseRunFactory(organization=org, capacity=1, min_participants=1)
    people = ParticipantFactory.create_batch(4, organization=org)
    for person in people:
        enrollment_create(run=run, participant=person)
    run.capacity = 3
    run.save()
    url = reverse("participants:promote", args=[run.pk])
    assert trainer_client.post(url).status_code == 403
    response = coordinator_client.post(url, follow=True)
    assert f"{people[1]}, {people[2]}" in response.content.decode()
    statuses = [Enrollment.objects.get(participant=p).status for p in people]
    assert statuses == ["enrolled", "enrolled", "enrolled", "waiting"]


def test_dropout_keeps_attendance_and_frees_the_place(org, coordinator_client):
    run = CourseRunFactory(organization=org, capacity=1, min_participants=1)
    placed = enrollment_create(run=run, participant=ParticipantFactory(organization=org))
    waiting = enrollment_create(run=run, participant=ParticipantFactory(organization=org))
    response = coordinator_client.post(
        reverse("participants:withdraw", args=[placed.pk]),
        {"outcome": "dropped_out", "reason": "kommt nicht mehr"},
        follow=True,
    )
    placed.refresh_from_db()
    waiting.refresh_from_db()
    assert placed.status == "dropped_out" and placed.withdrawal_reason == "kommt nicht mehr"
    assert waiting.status == "enrolled"
    assert "abgebrochen" in response.content.decode()


def test_someone_waiting_cannot_drop_out(org):
    run = CourseRunFactory(organization=org, capacity=1, min_participants=1)
    enrollment_create(run=run, participant=ParticipantFactory(organization=org))
    waiting = enrollment_create(run=run, participant=ParticipantFactory(organization=org))
    with pytest.raises(ValidationError) as error:
        enrollment_withdraw(enrollment=waiting, reason="x", dropped_out=True)
    assert "outcome" in error.value.message_dict
    waiting.refresh_from_db()
    assert waiting.status == "waiting"


def test_completing_the_run_completes_enrollments_and_ends_the_waiting_list(org):
    from trainings.models import CourseRun
    from trainings.services import course_run_transition

    run = CourseRunFactory(organization=org, capacity=1, min_participants=1)
    placed = enrollment_create(run=run, participant=ParticipantFactory(organization=org))
    waiting = enrollment_create(run=run, participant=ParticipantFactory(organization=org))
    CourseRun.objects.filter(pk=run.pk).update(status=CourseRun.Status.RUNNING)
    course_run_transition(run=run, to=CourseRun.Status.COMPLETED)
    placed.refresh_from_db()
    waiting.refresh_from_db()
    assert placed.status == "completed"
    assert waiting.status == "withdrawn" and "abgeschlossen" in waiting.withdrawal_reason


def test_new_enrollment_queues_behind_those_waiting(
    org, coordinator_client, trainer_client, trainer
):
    run = CourseRunFactory(organization=org, capacity=1, min_participants=1, trainers=[trainer])
    first, waiting = ParticipantFactory.create_batch(2, organization=org)
    enrollment_create(run=run, participant=first)
    enrollment_create(run=run, participant=waiting)
    run.capacity = 2
    run.save()
    newcomer = enrollment_create(run=run, participant=ParticipantFactory(organization=org))
    assert newcomer.status == "waiting"
    assert list(Enrollment.objects.filter(run=run).waiting()) == [
        Enrollment.objects.get(participant=waiting),
        newcomer,
    ]
    url = reverse("participants:run", args=[run.pk])
    page = coordinator_client.get(url).content.decode()
    assert 'id="promote-hint"' in page and "Freien Platz von der Warteliste besetzen" in page
    assert "Neue Anmeldungen kommen ans Ende der Warteliste" in page
    trainer_page = trainer_client.get(url)
    assert trainer_page.status_code == 200
    assert 'id="promote-hint"' not in trainer_page.content.decode()


@pytest.mark.parametrize("held,warned", [(1, False), (3, True)])
def test_moving_up_late_warns_when_80_percent_is_out_of_reach(
    org, coordinator_client, held, warned
):
    run, _ = run_with_sessions(org, count=10, past=held, capacity=1, min_participants=1)
    leaving = enrollment_create(run=run, participant=ParticipantFactory(organization=org))
    late = enrollment_create(run=run, participant=ParticipantFactory(organization=org))
    response = coordinator_client.post(
        reverse("participants:withdraw", args=[leaving.pk]),
        {"outcome": "withdrawn", "reason": "Arbeitsaufnahme"},
        follow=True,
    )
    page = response.content.decode()
    assert "ist von der Warteliste nachgerückt" in page
    warning = f"{late.participant} kann die 80 % für eine Teilnahmebescheinigung nicht mehr"
    assert (warning in page) is warned
    # the same through "fill free places"
    extra = enrollment_create(run=run, participant=ParticipantFactory(organization=org))
    run.capacity = 2
    run.save()
    page = coordinator_client.post(
        reverse("participants:promote", args=[run.pk]), follow=True
    ).content.decode()
    assert Enrollment.objects.get(pk=extra.pk).status == "enrolled"
    warning = f"{extra.participant} kann die 80 % für eine Teilnahmebescheinigung nicht mehr"
    assert (warning in page) is warned
