"""Attendance that never loses a tap, in Chromium with the network cut (Playwright's
offline mode): taps made offline are kept on the phone and say so, survive a reload while
offline, and arrive after reconnecting; a later change by a coordinator is not overwritten
by an older offline tap."""

import pytest
from django.urls import reverse

from participants.models import Attendance, AttendanceChange
from participants.services import attendance_record_many
from tests.e2e.browser.conftest import PHONE, check_page, enrol_anna_bert_and_cem, log_in
from tests.factories import run_with_sessions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def room(org, trainer):
    """Today's session of a running run with three people."""
    run, sessions = run_with_sessions(org, count=2, past=1, trainers=[trainer], status="running")
    people = enrol_anna_bert_and_cem(run)
    return sessions[1], people


def _row(page, enrollment):
    return page.locator(f"#attendance-{enrollment.pk}")


def _tap(page, enrollment, status: str):
    _row(page, enrollment).get_by_text(status, exact=True).click()


def test_offline_taps_are_kept_survive_a_reload_and_arrive_without_overwriting_newer_changes(
    open_page, room, trainer_user, coordinator
):
    session, (anna, bert, cem) = room
    page = open_page(PHONE)
    dialogs = []

    def leave_anyway(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", leave_anyway)
    log_in(page, trainer_user)
    page.goto(reverse("participants:attendance", args=[session.pk]))
    page.locator("#attendance-list[data-offline-ready=true]").wait_for(state="attached")

    _tap(page, anna, "anwesend")  # online: saved at once
    _row(page, anna).get_by_text("gespeichert: anwesend").wait_for()
    page.locator("#attendance-list[data-offline-ready=true]").wait_for(state="attached")

    page.context.set_offline(True)
    _tap(page, bert, "anwesend")
    _tap(page, cem, "unentschuldigt")
    for person in (bert, cem):
        _row(page, person).get_by_text("noch nicht gespeichert").wait_for()
    waiting = page.locator("#attendance-waiting")
    assert waiting.inner_text().startswith("2 Eingaben sind noch nicht gespeichert")
    check_page(page)
    page.shot("offline-two-taps-waiting")
    assert not Attendance.objects.filter(enrollment__in=[bert, cem]).exists()

    # Meanwhile the coordinator learns that Cem is excused: a change after the offline tap.
    attendance_record_many(session=session, marks={cem.pk: "excused"}, user=coordinator)

    kept = page.reload()  # still offline: the kept copy of the page, with the kept taps on it
    assert kept.from_service_worker
    assert "beforeunload" in dialogs  # the page warned before it was left with unsaved taps
    for person, status in ((bert, "present"), (cem, "absent")):
        _row(page, person).get_by_text("noch nicht gespeichert").wait_for()
        assert page.locator(f"#st-{person.pk}-{status}").is_checked()
    assert waiting.inner_text().startswith("2 Eingaben")
    assert page.locator(f"#st-{anna.pk}-present").is_checked()  # the copy was renewed
    page.shot("offline-after-reload")

    page.context.set_offline(False)
    _row(page, bert).get_by_text("gespeichert: anwesend").wait_for(timeout=30_000)
    _row(page, cem).get_by_text("Nicht übernommen").wait_for(timeout=30_000)
    assert page.locator(f"#st-{cem.pk}-excused").is_checked()
    assert waiting.is_hidden()
    key = f"aktiva.attendance.taps.{trainer_user.pk}"
    assert page.evaluate(f"localStorage.getItem('{key}')") == "[]"
    check_page(page)
    page.shot("back-online")

    marks = dict(Attendance.objects.values_list("enrollment_id", "status"))
    assert marks == {anna.pk: "present", bert.pk: "present", cem.pk: "excused"}
    # the history has each applied change once, and nothing of the outdated tap
    assert AttendanceChange.objects.filter(attendance__enrollment=cem).count() == 1
    assert AttendanceChange.objects.filter(attendance__enrollment=bert).get().changed_by == (
        trainer_user
    )


def test_taps_wait_through_a_logout_and_are_sent_after_logging_in_again(
    open_page, room, trainer_user
):
    session, (anna, _bert, _cem) = room
    page = open_page(PHONE)
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.type) or dialog.accept())
    log_in(page, trainer_user)
    url = reverse("participants:attendance", args=[session.pk])
    page.goto(url)
    page.context.clear_cookies()  # the session ended (idle, or logged out elsewhere)
    _tap(page, anna, "verspätet")
    page.get_by_role("alert").get_by_text("Sie sind abgemeldet").wait_for()
    _row(page, anna).get_by_text("noch nicht gespeichert").wait_for()
    check_page(page)
    page.shot("logged-out-tap-kept")
    assert not Attendance.objects.exists()

    page.get_by_role("link", name="Neu anmelden").click()
    page.get_by_label("Benutzername").fill(trainer_user.username)
    page.get_by_label("Passwort").fill("geheim-passwort-1")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"**{url}")
    assert not dialogs  # going to log in again is not warned about: the taps wait
    _row(page, anna).get_by_text("gespeichert: verspätet").wait_for()
    assert Attendance.objects.get().status == "late"


def test_all_present_without_a_connection_keeps_a_tap_for_everyone_without_a_mark(
    open_page, room, trainer_user
):
    session, (anna, bert, cem) = room
    page = open_page(PHONE)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, trainer_user)
    page.goto(reverse("participants:attendance", args=[session.pk]))
    _tap(page, anna, "entschuldigt")
    _row(page, anna).get_by_text("gespeichert: entschuldigt").wait_for()

    page.context.set_offline(True)
    page.get_by_role("button", name="Alle anwesend").click()
    for person in (bert, cem):
        _row(page, person).get_by_text("noch nicht gespeichert").wait_for()
        assert page.locator(f"#st-{person.pk}-present").is_checked()
    assert page.locator(f"#st-{anna.pk}-excused").is_checked()  # her mark stays
    page.shot("offline-all-present")

    page.context.set_offline(False)
    _row(page, cem).get_by_text("gespeichert: anwesend").wait_for(timeout=30_000)
    _row(page, bert).get_by_text("gespeichert: anwesend").wait_for(timeout=30_000)
    marks = dict(Attendance.objects.values_list("enrollment_id", "status"))
    assert marks == {anna.pk: "excused", bert.pk: "present", cem.pk: "present"}


def test_taps_waiting_for_one_trainer_are_not_sent_in_a_colleagues_name(
    open_page, room, trainer_user, coordinator
):
    """A phone passed on: the taps kept for the trainer wait for the trainer's own login."""
    session, (anna, _bert, _cem) = room
    page = open_page(PHONE)
    log_in(page, coordinator)
    url = reverse("participants:attendance", args=[session.pk])
    page.goto(url)
    kept = f"aktiva.attendance.taps.{trainer_user.pk}"
    tap = {
        "url": reverse("participants:attendance_mark", args=[session.pk, anna.pk]),
        "session": str(session.pk),
        "enrollment": str(anna.pk),
        "fields": {f"status-{anna.pk}": "absent"},
        "at": "2026-01-01T08:00:00Z",
    }
    page.evaluate("([key, tap]) => localStorage.setItem(key, JSON.stringify([tap]))", [kept, tap])
    page.reload()
    page.locator("#attendance-list[data-offline-ready=true]").wait_for(state="attached")
    page.wait_for_timeout(1500)
    assert not Attendance.objects.filter(enrollment=anna).exists()
    assert page.locator("#attendance-waiting").is_hidden()
    assert "absent" in page.evaluate(f"localStorage.getItem('{kept}')")

    page.context.clear_cookies()  # the trainer takes the phone back
    log_in(page, trainer_user)
    page.goto(url)
    _row(page, anna).get_by_text("gespeichert: unentschuldigt").wait_for(timeout=30_000)
    assert Attendance.objects.get(enrollment=anna).status == "absent"
