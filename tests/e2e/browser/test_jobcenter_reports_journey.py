"""A trainer on a phone marks an excuse and switches it to a doctor's certificate; the
coordinator enters the receiving team, sees the month's absence report due and produces
it. Every page passes axe and no page scrolls sideways on a phone."""

from datetime import date

import pytest
from django.utils import timezone

from aktiva.models import Document
from participants.models import Attendance
from tests.e2e.browser.conftest import PHONE, check_page, log_in
from tests.factories import run_with_sessions
from tests.participants.factories import EnrollmentFactory, ParticipantFactory, mark

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_excuse_reason_in_the_room_and_the_monthly_report(
    open_page, org, coordinator, trainer_user, trainer
):
    last_october = date(timezone.localdate().year - 1, 10, 27)
    old_run, old_sessions = run_with_sessions(
        org, count=3, first=last_october, trainers=[trainer], title="AktivA Vorjahr"
    )
    absent = EnrollmentFactory(
        run=old_run,
        participant=ParticipantFactory(
            organization=org, first_name="Anna", last_name="Amsel", report_consent_on=last_october
        ),
    )
    mark(absent, old_sessions[:1], "absent")
    mark(absent, old_sessions[1:], "excused", Attendance.ExcuseReason.SICK_NOTE)
    run, sessions = run_with_sessions(org, count=2, past=0, trainers=[trainer], title="Heute")
    today = EnrollmentFactory(
        run=run,
        participant=ParticipantFactory(organization=org, first_name="Bernd", last_name="Bussard"),
    )

    page = open_page(PHONE)
    log_in(page, trainer_user)
    page.goto(f"/teilnehmende/termin/{sessions[0].pk}/anwesenheit/")
    row = page.locator(f"#attendance-{today.pk}")
    row.get_by_text("entschuldigt", exact=True).click()
    row.get_by_text("Grund der Entschuldigung").wait_for()
    # htmx listens on the swapped-in row once it has settled
    page.locator(f"#attendance-{today.pk}:not(.htmx-added):not(.htmx-settling)").wait_for()
    row.locator("label", has_text="arbeitsunfähig (AU-Bescheinigung)").click()
    row.get_by_text("gespeichert: entschuldigt (arbeitsunfähig (AU-Bescheinigung))").wait_for()
    mark_ = Attendance.objects.get(enrollment=today, session=sessions[0])
    assert (mark_.status, mark_.excuse_reason) == ("excused", "sick_note")
    check_page(page)
    page.shot("excuse-reason")

    page = open_page(PHONE)
    log_in(page, coordinator)
    page.goto("/organisation/")
    page.get_by_label("Empfänger der Meldungen").fill("Team 512 – Arbeitsvermittlung")
    page.get_by_role("button", name="Speichern").click()
    assert "Bitte geben Sie die Anschrift des Teams an" in page.content()
    check_page(page)
    page.shot("settings-error")
    page.get_by_label("Anschrift des Empfängers").fill("Budapester Straße 30\n01069 Dresden")
    page.get_by_role("button", name="Speichern").click()
    assert "Die Einstellungen wurden gespeichert." in page.content()

    page.goto("/teilnehmende/meldungen/")
    assert "AktivA Vorjahr" in page.content()
    check_page(page)
    page.shot("reports-due")
    page.get_by_role("link", name="Zur Meldung AktivA Vorjahr").click()
    check_page(page)
    page.get_by_role("button", name="PDF Oktober").click()
    page.locator("#run-documents").get_by_role("link", name="Herunterladen").wait_for()
    document = Document.objects.get(kind="participants.absence_report")
    assert document.status == Document.Status.DONE
    page.reload()
    assert "von Karla Koordinatorin" in page.content()
    check_page(page)
    page.shot("run-reports-produced")
