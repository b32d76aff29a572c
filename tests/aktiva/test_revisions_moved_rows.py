"""A row moved to another organization raises the revisions of both (migrations feedback
0005, trainings 0007/0008, participants 0009): the old organization's cached pages must not
keep showing what is no longer theirs."""

import pytest

from feedback.models import FiguresRevision
from participants.models import AttendanceRevision, Enrollment
from trainings.models import CourseRun, RunsRevision, Session

from ..caching import revision_of
from ..factories import CourseRunFactory, SessionFactory
from ..participants.factories import EnrollmentFactory


def _revision(model, org) -> int:
    return revision_of(model, org)


@pytest.mark.parametrize("model", [RunsRevision, FiguresRevision])
def test_a_run_moved_raises_both_organizations(org, other_org, model):
    run = CourseRunFactory(organization=org)
    before = (_revision(model, org), _revision(model, other_org))
    CourseRun.objects.filter(pk=run.pk).update(organization=other_org)
    assert _revision(model, org) > before[0] and _revision(model, other_org) > before[1]


@pytest.mark.parametrize("model", [RunsRevision, FiguresRevision])
def test_a_session_moved_to_another_organizations_run_raises_both(org, other_org, model):
    session = SessionFactory(run=CourseRunFactory(organization=org))
    theirs = CourseRunFactory(organization=other_org)
    before = (_revision(model, org), _revision(model, other_org))
    Session.objects.filter(pk=session.pk).update(run=theirs)
    assert _revision(model, org) > before[0] and _revision(model, other_org) > before[1]


def test_a_place_moved_to_another_organizations_run_raises_both(org, other_org):
    place = EnrollmentFactory(run=CourseRunFactory(organization=org))
    theirs = CourseRunFactory(organization=other_org)
    before = (_revision(AttendanceRevision, org), _revision(AttendanceRevision, other_org))
    Enrollment.objects.filter(pk=place.pk).update(run=theirs)
    assert _revision(AttendanceRevision, org) > before[0]
    assert _revision(AttendanceRevision, other_org) > before[1]


def test_an_update_in_place_raises_once(org):
    """One organization before and after: raised by one, not twice (the union of both)."""
    run = CourseRunFactory(organization=org)
    before = _revision(RunsRevision, org)
    CourseRun.objects.filter(pk=run.pk).update(title="Umbenannt")
    assert _revision(RunsRevision, org) == before + 1
