"""The planner's views in a real browser at 1280 and 390 px: a schedule that collides with
another run (messages at the fields, the next step), and the calendar with a holiday, a
draft, a cancelled run and its filters. Every page passes axe and none scrolls sideways."""

from datetime import date, time

import pytest

from tests.e2e.browser.conftest import DESKTOP, PHONE, check_page, log_in
from tests.factories import CourseRunFactory, LocationFactory, SessionFactory, TrainerFactory
from trainings.models import CourseRun

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def busy_november(org):
    """Saxony, November 2026: 'Herbstkurs' holds room 1.12 and Anna Berger Mon–Thu of two
    weeks (Buß- und Bettag on Wednesday 18 November is a holiday); a draft and a cancelled
    run elsewhere."""
    anna = TrainerFactory(organization=org, first_name="Anna", last_name="Berger")
    TrainerFactory(organization=org, first_name="Ben", last_name="Frei")
    room = LocationFactory(organization=org, name="Raum 1.12")
    LocationFactory(organization=org, name="Raum 2.14")
    busy = CourseRunFactory(organization=org, title="Herbstkurs", location=room)
    busy.trainers.set([anna])
    CourseRun.objects.filter(pk=busy.pk).update(status=CourseRun.Status.PLANNED)
    for day in (16, 17, 19, 23, 24, 25, 26):
        SessionFactory(run=busy, date=date(2026, 11, day), start_time=time(9), end_time=time(12))
    draft = CourseRunFactory(organization=org, title="Winterkurs (Entwurf)", location=room)
    SessionFactory(run=draft, date=date(2026, 11, 30), start_time=time(13), end_time=time(16))
    gone = CourseRunFactory(organization=org, title="Abgesagter Kurs", location=room)
    SessionFactory(run=gone, date=date(2026, 11, 20), start_time=time(9), end_time=time(12))
    CourseRun.objects.filter(pk=gone.pk).update(status=CourseRun.Status.CANCELLED)
    new = CourseRunFactory(organization=org, title="Neuer Kurs", location=room)
    new.trainers.set([anna])
    return new


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_colliding_schedule_says_where_and_offers_the_next_step(
    open_page, coordinator, busy_november, viewport
):
    page = open_page(viewport)
    log_in(page, coordinator)
    page.goto(f"/durchgaenge/{busy_november.pk}/terminplan/")
    page.get_by_label("Erster möglicher Tag").fill("2026-11-16")
    page.get_by_label("Anzahl der Termine").fill("8")
    page.get_by_role("button", name="Termine anlegen").click()
    content = page.content()
    assert "7 Termine kollidieren mit „Herbstkurs“" in content
    assert "Frei zu allen diesen Zeiten: Raum 2.14." in content
    assert page.get_by_label("Erster möglicher Tag").input_value() == "2026-11-16"
    check_page(page)
    page.shot("conflict")
    page.get_by_role("button", name="Belegte Tage überspringen und anlegen").click()
    assert "8 Termine angelegt." in page.content()
    assert "7 belegte Tage übersprungen" in page.content()
    check_page(page)
    page.shot("skipped")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_the_calendar_shows_holidays_drafts_and_filters(
    open_page, coordinator, busy_november, viewport
):
    page = open_page(viewport)
    log_in(page, coordinator)
    page.goto("/kalender/")
    page.get_by_label("Zu Monat springen").fill("2026-11")
    page.get_by_role("button", name="Springen").click()
    content = page.content()
    assert "November 2026" in content and "Feiertag: Buß- und Bettag" in content
    assert "Entwurf" in content and "abgesagt" in content
    check_page(page)
    page.shot("calendar")
    page.get_by_label("Ort / Raum").select_option(label="Raum 1.12")
    page.get_by_label("Trainer/in").select_option(label="Anna Berger")
    page.get_by_role("button", name="Anzeigen").click()
    assert "Herbstkurs" in page.content() and "Winterkurs" not in page.content()
    check_page(page)
    page.shot("calendar-filtered")
    page.get_by_role("link", name="nächster Monat").click()
    assert "Dezember 2026" in page.content() and "raum=" in page.url


def test_the_minimum_follows_the_places_until_it_is_edited(open_page, coordinator):
    page = open_page(DESKTOP)
    log_in(page, coordinator)
    page.goto("/durchgaenge/neu/")
    minimum = page.get_by_label("Mindestteilnehmerzahl")
    assert minimum.input_value() == "8"
    page.get_by_label("Plätze").fill("5")
    assert minimum.input_value() == "5"
    page.get_by_label("Plätze").fill("12")
    assert minimum.input_value() == "8"
    minimum.fill("10")
    page.get_by_label("Plätze").fill("14")
    assert minimum.input_value() == "10"  # typed by the planner: it stays
