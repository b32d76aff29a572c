"""Journey 1, a coordinator at 1280 px: a run with the schedule generator and two trainers,
people enrolled until the waiting list starts, one withdrawn and who moved up, the
calendar, sign-in sheets rendered by a real worker. Every page passes axe and no page
scrolls sideways on a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.e2e.browser.conftest import DESKTOP, check_page, login_as
from tests.factories import LocationFactory, TrainerFactory
from tests.participants.factories import ParticipantFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_coordinator_plans_a_run_fills_it_and_prints_sign_in_sheets(
    open_page, worker, org, coordinator
):
    LocationFactory(organization=org, name="Raum 2.14", capacity=12)
    TrainerFactory(organization=org, first_name="Tina", last_name="Trainerin")
    TrainerFactory(organization=org, first_name="Ben", last_name="Zweiter")
    for last in ("Alpha", "Beta", "Gamma"):
        ParticipantFactory(organization=org, first_name="Wer", last_name=last)
    page = open_page(DESKTOP)
    login_as(page, coordinator)
    check_page(page)
    page.shot("dashboard")

    page.get_by_role("link", name="Neuer Durchgang").first.click()
    page.get_by_label("Titel").fill("AktivA Browser-Probe")
    page.get_by_label("Ort / Raum").select_option(label="Raum 2.14")
    page.get_by_label("Plätze").fill("2")
    page.get_by_label("Mindestteilnehmerzahl").fill("1")
    page.get_by_label("Tina Trainerin").check()
    page.get_by_label("Ben Zweiter").check()
    page.get_by_role("button", name="Speichern").click()
    check_page(page)
    page.shot("schedule-form")

    start = timezone.localdate() + timedelta(days=14)
    page.get_by_label("Erster möglicher Tag").fill(start.isoformat())
    page.get_by_label("Anzahl der Termine").fill("4")
    page.get_by_label("Montag").check()
    page.get_by_label("Mittwoch").check()
    page.get_by_role("button", name="Termine anlegen").click()
    assert "4 Termine angelegt." in page.content()
    check_page(page)
    page.shot("run-with-sessions")

    page.get_by_role("link", name="Teilnehmende anmelden und verwalten").click()
    for last in ("Alpha", "Beta", "Gamma"):
        page.locator("input[name=q]").fill(last)
        page.get_by_role("button", name="Suchen").click()
        page.get_by_role("button", name=f"Anmelden Wer {last}").click()
    assert "steht jetzt auf der Warteliste" in page.content()  # the third one waits
    check_page(page)
    page.shot("waiting-list")

    page.get_by_role("link", name="Abmelden Wer Alpha").click()
    page.get_by_label("Grund der Abmeldung").fill("Arbeitsaufnahme")
    page.get_by_role("button", name="Abmelden").click()
    assert "Wer Gamma ist von der Warteliste nachgerückt" in page.content()
    check_page(page)
    page.shot("moved-up")

    page.get_by_role("link", name="Kalender").first.click()
    page.goto(f"/kalender/?datum={start.isoformat()}")
    assert "AktivA Browser-Probe" in page.content()
    check_page(page)
    page.shot("calendar")

    page.go_back()
    page.goto("/durchgaenge/")
    page.get_by_role("link", name="AktivA Browser-Probe").click()
    page.get_by_role("button", name="PDF").first.click()
    page.get_by_role("link", name="Herunterladen").wait_for(timeout=60_000)
    check_page(page)
    page.shot("sign-in-sheet-ready")
