"""Taps that arrive late (a phone without reception keeps them and sends them later): the
newest decision per person and session wins, whenever it arrives."""

from datetime import UTC, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from participants.models import Attendance, AttendanceChange
from participants.services import attendance_record_many

from .factories import EnrollmentFactory, run_with_sessions

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def tapped(org, trainer, trainer_user):
    run, sessions = run_with_sessions(org, count=1, trainers=[trainer])
    return sessions[0], EnrollmentFactory(run=run), trainer_user


def test_an_older_tap_does_not_overwrite_a_newer_change(tapped, coordinator):
    session, enrollment, trainer_user = tapped
    offline_tap = timezone.now() - timedelta(minutes=20)
    attendance_record_many(session=session, marks={enrollment.pk: "excused"}, user=coordinator)
    result = attendance_record_many(
        session=session, marks={enrollment.pk: "present"}, user=trainer_user, tapped_at=offline_tap
    )
    assert result.outdated == {enrollment.pk}
    assert result.marks[enrollment.pk].status == "excused"
    assert Attendance.objects.get().status == "excused"
    assert AttendanceChange.objects.count() == 1  # only the coordinator's change


def test_a_newer_tap_is_applied_with_its_time_and_recorded(tapped, coordinator):
    session, enrollment, trainer_user = tapped
    attendance_record_many(
        session=session,
        marks={enrollment.pk: "absent"},
        user=coordinator,
        tapped_at=timezone.now() - timedelta(hours=1),
    )
    offline_tap = timezone.now() - timedelta(minutes=5)
    result = attendance_record_many(
        session=session, marks={enrollment.pk: "late"}, user=trainer_user, tapped_at=offline_tap
    )
    assert not result.outdated
    mark = Attendance.objects.get()
    assert (mark.status, mark.marked_at) == ("late", offline_tap)
    change = AttendanceChange.objects.first()  # newest first
    assert (change.previous_status, change.status, change.changed_by) == (
        "absent",
        "late",
        trainer_user,
    )


def test_two_kept_taps_arriving_out_of_order_keep_the_later_one(tapped):
    session, enrollment, trainer_user = tapped
    now = timezone.now()
    for minutes, status in ((2, "present"), (9, "absent")):  # the newer tap arrives first
        attendance_record_many(
            session=session,
            marks={enrollment.pk: status},
            user=trainer_user,
            tapped_at=now - timedelta(minutes=minutes),
        )
    assert Attendance.objects.get().status == "present"


def test_a_tap_from_the_future_counts_as_now(tapped):
    session, enrollment, trainer_user = tapped
    before = timezone.now()
    attendance_record_many(
        session=session,
        marks={enrollment.pk: "present"},
        user=trainer_user,
        tapped_at=before + timedelta(days=2),
    )
    mark = Attendance.objects.get()
    assert before <= mark.marked_at <= timezone.now()
    # A clock running ahead does not lock the mark: a correction made now still applies.
    attendance_record_many(session=session, marks={enrollment.pk: "late"}, user=trainer_user)
    assert Attendance.objects.get().status == "late"


def test_a_time_without_zone_is_refused_by_the_service(tapped):
    session, enrollment, trainer_user = tapped
    with pytest.raises(ValidationError, match="Zeitzone"):
        attendance_record_many(
            session=session,
            marks={enrollment.pk: "present"},
            user=trainer_user,
            tapped_at=timezone.now().replace(tzinfo=None),
        )
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("value", ["gestern", "2026-13-45T99:00:00Z", "\x00"])
def test_a_bad_time_from_the_phone_gets_a_clear_message_at_the_row(tapped, trainer_client, value):
    session, enrollment, _user = tapped
    url = reverse("participants:attendance_mark", args=[session.pk, enrollment.pk])
    response = trainer_client.post(url, {"status": "present", "tapped_at": value}, **HTMX)
    assert response.status_code == 400
    assert "Die Uhrzeit der Auswahl ist ungültig" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_tap_view_answers_an_outdated_tap_with_the_current_mark(
    tapped, trainer_client, coordinator
):
    session, enrollment, _user = tapped
    attendance_record_many(session=session, marks={enrollment.pk: "excused"}, user=coordinator)
    url = reverse("participants:attendance_mark", args=[session.pk, enrollment.pk])
    earlier = (timezone.now() - timedelta(minutes=10)).isoformat()
    response = trainer_client.post(url, {"status": "present", "tapped_at": earlier}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nicht übernommen" in html and "entschuldigt" in html
    assert f'id="st-{enrollment.pk}-excused" value="excused" autocomplete="off" checked' in html
    assert Attendance.objects.get().status == "excused"


def test_a_tap_with_its_time_in_utc_is_saved(tapped, trainer_client):
    session, enrollment, _user = tapped
    url = reverse("participants:attendance_mark", args=[session.pk, enrollment.pk])
    at = timezone.now() - timedelta(minutes=3)
    iso = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"
    response = trainer_client.post(url, {"status": "late", "tapped_at": iso}, **HTMX)
    assert response.status_code == 200 and "gespeichert" in response.content.decode()
    mark = Attendance.objects.get()
    assert mark.status == "late" and abs((mark.marked_at - at).total_seconds()) < 0.01


def test_a_logged_out_tap_is_answered_401_so_the_phone_keeps_it(tapped, anonymous_client):
    session, enrollment, _user = tapped
    url = reverse("participants:attendance_mark", args=[session.pk, enrollment.pk])
    response = anonymous_client.post(url, {"status": "present"}, **HTMX)
    assert response.status_code == 401
    assert "neu an" in response.content.decode()
    assert not Attendance.objects.exists()
    # without htmx (no script): the login page as before
    assert anonymous_client.post(url, {"status": "present"}).status_code == 302


@pytest.mark.parametrize(
    "clock_off, tap_age, change_age, wins",
    [
        # ten minutes slow, tapped a second ago, after the change of two minutes ago: wins
        (timedelta(minutes=-10), timedelta(seconds=1), timedelta(minutes=2), True),
        # an hour fast, kept offline for 20 minutes, before the change of 5 minutes ago: loses
        (timedelta(hours=1), timedelta(minutes=20), timedelta(minutes=5), False),
    ],
)
def test_a_phones_wrong_clock_neither_wins_nor_loses_a_tap(
    tapped, trainer_client, coordinator, clock_off, tap_age, change_age, wins
):
    """The server counts a tap's age by the phone's clock (time of tap and of sending)
    back from its own now: the phone's offset does not matter."""
    session, enrollment, _user = tapped
    attendance_record_many(
        session=session,
        marks={enrollment.pk: "excused"},
        user=coordinator,
        tapped_at=timezone.now() - change_age,
    )
    phone_now = timezone.now() + clock_off
    url = reverse("participants:attendance_mark", args=[session.pk, enrollment.pk])
    data = {
        "status": "present",
        "tapped_at": (phone_now - tap_age).isoformat(),
        "sent_at": phone_now.isoformat(),
    }
    html = trainer_client.post(url, data, **HTMX).content.decode()
    assert Attendance.objects.get().status == ("present" if wins else "excused")
    assert ("Nicht übernommen" in html) is not wins


def test_a_bad_sending_time_gets_the_same_clear_message(tapped, trainer_client):
    session, enrollment, _user = tapped
    url = reverse("participants:attendance_mark", args=[session.pk, enrollment.pk])
    data = {"status": "present", "tapped_at": timezone.now().isoformat(), "sent_at": "bald"}
    response = trainer_client.post(url, data, **HTMX)
    assert response.status_code == 400 and "ungültig" in response.content.decode()
