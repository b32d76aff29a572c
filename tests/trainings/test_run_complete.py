"""A run's trainers complete their own run once all its sessions are over (that issues the
certificates); every other status change stays with the coordination."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from aktiva.models import Membership
from participants.models import Certificate
from tests.factories import (
    MembershipFactory,
    SessionFactory,
    TrainerFactory,
    UserFactory,
    run_with_sessions,
)
from tests.participants.factories import EnrollmentFactory, mark
from trainings.models import CourseRun
from trainings.services import course_run_transition

COMPLETE = {"to": CourseRun.Status.COMPLETED}


@pytest.fixture
def over(org, trainer):
    """A running run led by the trainer whose sessions are all over (the last one today),
    with one participant who attended them all."""
    run, sessions = run_with_sessions(
        org, count=3, past=2, trainers=[trainer], status=CourseRun.Status.RUNNING
    )
    mark(EnrollmentFactory(run=run), sessions)
    return run


def _url(run):
    return reverse("trainings:run_transition", args=[run.pk])


def test_the_leading_trainer_completes_the_run_and_certificates_are_issued(trainer_client, over):
    page = trainer_client.get(over.get_absolute_url()).content.decode()
    assert "Durchgang abschließen" in page
    response = trainer_client.post(_url(over), COMPLETE, follow=True)
    assert "Der Durchgang ist jetzt „abgeschlossen“." in response.content.decode()
    over.refresh_from_db()
    assert over.status == CourseRun.Status.COMPLETED
    assert Certificate.objects.filter(run=over).count() == 1


def test_a_trainer_cannot_complete_while_a_session_lies_ahead(trainer_client, org, trainer):
    run, _sessions = run_with_sessions(
        org, count=4, past=2, trainers=[trainer], status=CourseRun.Status.RUNNING
    )
    page = trainer_client.get(run.get_absolute_url()).content.decode()
    assert "Durchgang abschließen" not in page and "wenn alle Termine stattgefunden" in page
    response = trainer_client.post(_url(run), COMPLETE, follow=True)
    assert "wenn alle Termine stattgefunden haben oder abgesagt sind" in response.content.decode()
    run.refresh_from_db()
    assert run.status == CourseRun.Status.RUNNING


def test_a_cancelled_session_ahead_does_not_hold_the_run_open(trainer_client, org, trainer):
    run, sessions = run_with_sessions(
        org, count=4, past=2, trainers=[trainer], status=CourseRun.Status.RUNNING
    )
    sessions[-1].is_cancelled = True
    sessions[-1].save()
    trainer_client.post(_url(run), COMPLETE)
    run.refresh_from_db()
    assert run.status == CourseRun.Status.COMPLETED


@pytest.mark.parametrize("to", ["planned", "draft", "running"])
def test_a_trainer_makes_no_other_status_change(trainer_client, over, to):
    assert trainer_client.post(_url(over), {"to": to}).status_code == 403
    over.refresh_from_db()
    assert over.status == CourseRun.Status.RUNNING


def test_a_trainer_who_does_not_lead_the_run_gets_404(org, over, client):
    user = UserFactory(username="andere")
    MembershipFactory(user=user, organization=org, role=Membership.Role.TRAINER)
    TrainerFactory(organization=org, user=user)
    client.force_login(user)
    assert client.post(_url(over), COMPLETE).status_code == 404
    with pytest.raises(PermissionDenied):
        course_run_transition(run=over, to="completed", membership=user.membership)
    over.refresh_from_db()
    assert over.status == CourseRun.Status.RUNNING


def test_another_organization_gets_404(outsider_client, over):
    assert outsider_client.post(_url(over), COMPLETE).status_code == 404
    over.refresh_from_db()
    assert over.status == CourseRun.Status.RUNNING


def test_anonymous_is_sent_to_login(anonymous_client, over):
    response = anonymous_client.post(_url(over), COMPLETE)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_coordinator_still_completes_a_run_with_sessions_ahead(coordinator_client, org):
    run, _sessions = run_with_sessions(org, count=3, past=1, status=CourseRun.Status.RUNNING)
    coordinator_client.post(_url(run), COMPLETE)
    run.refresh_from_db()
    assert run.status == CourseRun.Status.COMPLETED


def test_the_service_refuses_a_trainer_with_sessions_ahead(org, trainer, trainer_user):
    run, _sessions = run_with_sessions(
        org,
        first=timezone.localdate() + timedelta(days=1),
        count=1,
        trainers=[trainer],
        status=CourseRun.Status.RUNNING,
    )
    with pytest.raises(ValidationError, match="alle Termine"):
        course_run_transition(run=run, to="completed", membership=trainer_user.membership)


def test_the_run_page_for_a_trainer_runs_constant_queries(
    trainer_client, org, trainer, django_assert_max_num_queries
):
    run, _sessions = run_with_sessions(
        org, count=3, past=3, trainers=[trainer], status=CourseRun.Status.RUNNING
    )
    EnrollmentFactory(run=run)  # with a warning on both sizes (its read is logged: 1 query)
    with django_assert_max_num_queries(30) as small:
        assert trainer_client.get(run.get_absolute_url()).status_code == 200
    run_with_sessions(org, count=20, past=20, trainers=[trainer])
    for _ in range(20):
        EnrollmentFactory(run=run)
    for k in range(20):
        SessionFactory(run=run, date=timezone.localdate() - timedelta(days=30 + k), morning=True)
    with django_assert_max_num_queries(len(small)):
        page = trainer_client.get(run.get_absolute_url()).content.decode()
    assert "Durchgang abschließen" in page
