"""A trainer on a phone sees who to follow up (dashboard, run page) and switches the daily
mail off; a participant in a room where many typed wrong codes is asked to wait, at the
field, and still gets in with the right code. Every page passes axe."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from aktiva.models import Membership
from feedback import throttle
from participants.models import Attendance
from tests.e2e.browser.conftest import PHONE, check_page
from tests.feedback.factories import FeedbackCodeFactory
from tests.participants.factories import EnrollmentFactory, mark, run_with_sessions

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_trainer_sees_the_warnings_and_switches_the_mail_off(
    open_page, org, trainer, trainer_user
):
    run, sessions = run_with_sessions(org, count=10, past=3, trainers=[trainer])
    enrollment = EnrollmentFactory(
        run=run, participant__first_name="Greta", participant__last_name="Gefehlt"
    )
    mark(enrollment, sessions[:1])
    mark(enrollment, sessions[1:3], Attendance.Status.ABSENT)
    page = open_page(PHONE)
    page.goto("/konto/anmelden/")
    page.get_by_label("Benutzername").fill(trainer_user.username)
    page.get_by_label("Passwort").fill("geheim-passwort-1")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/")
    warnings = page.get_by_role("region", name="Bitte ansprechen: Anwesenheit")
    assert "Greta Gefehlt" in warnings.inner_text()
    assert "hat die letzten 2 Termine nacheinander verpasst" in warnings.inner_text()
    check_page(page)
    page.shot("dashboard")

    warnings.get_by_role("link", name=run.title, exact=True).click()
    assert "Greta Gefehlt" in page.get_by_role("region", name="Bitte ansprechen").inner_text()
    check_page(page)
    page.shot("run")

    page.goto("/konto/einstellungen/")
    page.get_by_label("Tägliche E-Mail mit Warnungen zur Anwesenheit").uncheck()
    page.get_by_role("button", name="Speichern").click()
    assert "Ihre Einstellungen sind gespeichert." in page.content()
    check_page(page)
    page.shot("settings")
    assert not Membership.objects.get(user=trainer_user).warning_mail


def test_a_participant_is_asked_to_wait_and_the_right_code_still_works(open_page, org):
    cache.clear()  # the live server counts in the shared cache
    run = run_with_sessions(org, first=timezone.localdate(), count=8)[0]
    code = FeedbackCodeFactory(run=run)
    page = open_page(PHONE)
    page.goto("/f/")
    for _ in range(throttle.WRONG_CODES_ALLOWED + 1):
        page.get_by_label("Ihr Code").fill("CCC-CCC-CCC")
        page.get_by_role("button", name="Weiter").click()
    field = page.get_by_label("Ihr Code")
    assert field.get_attribute("aria-invalid") == "true"
    error = page.locator("#code-error").inner_text()
    assert "Bitte warten Sie 2 Sekunden und versuchen Sie es erneut." in error
    check_page(page)
    page.shot("wait")

    field.fill(code.code)
    page.get_by_role("button", name="Weiter").click()
    page.wait_for_url(f"**/f/{code.code}/")
    check_page(page)
