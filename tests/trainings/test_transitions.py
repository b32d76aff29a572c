import pytest
from django.core.exceptions import ValidationError

from trainings import services
from trainings.models import CourseRun

from ..factories import CourseRunFactory, SessionFactory

S = CourseRun.Status


@pytest.fixture
def run(db):
    run = CourseRunFactory()
    SessionFactory(run=run)
    return run


def test_workflow_draft_planned_running_completed(run):
    for status in (S.PLANNED, S.RUNNING, S.COMPLETED):
        run = services.course_run_transition(run=run, to=status)
    run.refresh_from_db()
    assert run.status == S.COMPLETED
    assert run.allowed_transitions == []


@pytest.mark.parametrize("start", [S.DRAFT, S.PLANNED, S.RUNNING])
def test_cancel_from_every_state_before_completed(run, start):
    CourseRun.objects.filter(pk=run.pk).update(status=start)
    run = services.course_run_transition(run=run, to=S.CANCELLED, reason="Zu wenige Anmeldungen")
    run.refresh_from_db()
    assert run.status == S.CANCELLED and run.cancellation_reason == "Zu wenige Anmeldungen"


def test_cancel_needs_a_reason(run):
    with pytest.raises(ValidationError) as error:
        services.course_run_transition(run=run, to=S.CANCELLED, reason="  ")
    assert "reason" in error.value.message_dict
    run.refresh_from_db()
    assert run.status == S.DRAFT


@pytest.mark.parametrize(
    "start, to",
    [
        (S.DRAFT, S.RUNNING),
        (S.DRAFT, S.COMPLETED),
        (S.COMPLETED, S.CANCELLED),
        (S.CANCELLED, S.PLANNED),
        (S.COMPLETED, S.RUNNING),
        (S.RUNNING, S.DRAFT),
    ],
)
def test_forbidden_transitions_are_refused(run, start, to):
    CourseRun.objects.filter(pk=run.pk).update(status=start)
    with pytest.raises(ValidationError):
        services.course_run_transition(run=run, to=to, reason="x")
    run.refresh_from_db()
    assert run.status == start


def test_planning_needs_sessions(db):
    run = CourseRunFactory()
    with pytest.raises(ValidationError):
        services.course_run_transition(run=run, to=S.PLANNED)
