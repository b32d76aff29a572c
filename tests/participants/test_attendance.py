import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from participants.models import Attendance, AttendanceChange
from participants.selectors import attendance_summaries, required_sessions
from participants.services import attendance_record
from tests.factories import TrainerFactory

from .factories import EnrollmentFactory, mark, run_with_sessions


@pytest.mark.parametrize("total,required", [(8, 7), (10, 8), (5, 4), (6, 5), (0, 0)])
def test_required_sessions(total, required):
    assert required_sessions(total) == required


def test_record_keeps_history(org, coordinator):
    run, sessions = run_with_sessions(org, count=2)
    enrollment = EnrollmentFactory(run=run)
    attendance_record(session=sessions[0], enrollment=enrollment, status="absent", user=coordinator)
    attendance_record(session=sessions[0], enrollment=enrollment, status="late", user=coordinator)
    attendance_record(session=sessions[0], enrollment=enrollment, status="late", user=coordinator)
    attendance = Attendance.objects.get()
    assert attendance.status == "late"
    history = list(AttendanceChange.objects.values_list("previous_status", "status", "changed_by"))
    assert history == [("absent", "late", coordinator.pk), ("", "absent", coordinator.pk)]


def test_run_trainer_may_record_other_trainer_may_not(org, trainer_user, trainer):
    run, sessions = run_with_sessions(org, count=1, trainers=[trainer])
    enrollment = EnrollmentFactory(run=run)
    attendance_record(
        session=sessions[0], enrollment=enrollment, status="present", user=trainer_user
    )
    other_run, other_sessions = run_with_sessions(
        org, count=1, trainers=[TrainerFactory(organization=org)]
    )
    other = EnrollmentFactory(run=other_run)
    with pytest.raises(PermissionDenied):
        attendance_record(
            session=other_sessions[0], enrollment=other, status="present", user=trainer_user
        )
    assert Attendance.objects.count() == 1


def test_outsider_may_not_record(org, outsider):
    run, sessions = run_with_sessions(org, count=1)
    with pytest.raises(PermissionDenied):
        attendance_record(
            session=sessions[0],
            enrollment=EnrollmentFactory(run=run),
            status="present",
            user=outsider,
        )


def test_future_and_cancelled_sessions_cannot_be_marked(org, coordinator):
    run, sessions = run_with_sessions(org, count=3, past=1)
    enrollment = EnrollmentFactory(run=run)
    with pytest.raises(ValidationError, match="erst am Tag"):
        attendance_record(
            session=sessions[2], enrollment=enrollment, status="present", user=coordinator
        )
    sessions[0].is_cancelled = True
    sessions[0].save()
    with pytest.raises(ValidationError, match="abgesagt"):
        attendance_record(
            session=sessions[0], enrollment=enrollment, status="present", user=coordinator
        )
    assert not Attendance.objects.exists()


def test_waiting_person_cannot_be_marked(org, coordinator):
    run, sessions = run_with_sessions(org, count=1)
    waiting = EnrollmentFactory(run=run, status="waiting", waiting_since="2026-01-01T00:00Z")
    with pytest.raises(ValidationError):
        attendance_record(
            session=sessions[0], enrollment=waiting, status="present", user=coordinator
        )


@pytest.mark.parametrize(
    "attended,eligible,misses_left", [(8, True, 1), (7, True, 0), (6, False, -1)]
)
def test_eighty_percent_boundary(org, attended, eligible, misses_left):
    run, sessions = run_with_sessions(org, count=8)
    enrollment = EnrollmentFactory(run=run)
    mark(enrollment, sessions[:attended], "present")
    mark(enrollment, sessions[attended:], "excused")
    (summary,) = attendance_summaries(run)
    assert (summary.attended, summary.held, summary.required) == (attended, 8, 7)
    assert summary.eligible is eligible
    assert summary.misses_left == misses_left


def test_late_counts_as_attended(org):
    run, sessions = run_with_sessions(org, count=8)
    enrollment = EnrollmentFactory(run=run)
    mark(enrollment, sessions[:4], "present")
    mark(enrollment, sessions[4:7], "late")
    (summary,) = attendance_summaries(run)
    assert summary.attended == 7 and summary.eligible
    assert summary.units_attended == 7 * 4


def test_cancelled_sessions_do_not_count(org):
    run, sessions = run_with_sessions(org, count=9)
    sessions[8].is_cancelled = True
    sessions[8].save()
    enrollment = EnrollmentFactory(run=run)
    mark(enrollment, sessions[:7])
    (summary,) = attendance_summaries(run)
    assert (summary.attended, summary.held, summary.total) == (7, 8, 8)
    assert summary.eligible


def test_moved_up_late_sees_missed_sessions(org):
    """Promoted after two held sessions of eight: one more miss and 80 % is out of reach."""
    run, sessions = run_with_sessions(org, count=8, past=2)
    early = EnrollmentFactory(run=run)
    mark(early, sessions[:2])
    late_comer = EnrollmentFactory(run=run)
    summaries = {s.enrollment: s for s in attendance_summaries(run)}
    late = summaries[late_comer]
    assert (late.attended, late.held, late.rate) == (0, 2, 0.0)
    assert late.misses_left == -1 and not late.reachable
    assert summaries[early].misses_left == 1 and summaries[early].rate_percent == 100


def test_today_counts_once_marked(org, coordinator):
    run, sessions = run_with_sessions(org, count=3, past=0)  # first session is today
    a, b = EnrollmentFactory.create_batch(2, run=run)
    assert attendance_summaries(run)[0].held == 0
    attendance_record(session=sessions[0], enrollment=a, status="present", user=coordinator)
    summaries = {s.enrollment: s for s in attendance_summaries(run)}
    assert summaries[a].held == summaries[b].held == 1
    assert summaries[b].attended == 0


def test_sessions_of_cancelled_run_cannot_be_marked(org, coordinator):
    run, sessions = run_with_sessions(org, count=1)
    enrollment = EnrollmentFactory(run=run)
    run.status = "cancelled"
    run.save()
    with pytest.raises(ValidationError, match="abgesagt"):
        attendance_record(
            session=sessions[0], enrollment=enrollment, status="present", user=coordinator
        )
