"""Journey 2, a trainer on a phone (390×844): today's session from the dashboard,
attendance by tapping, the marks kept after a reload, the run completed, the certificates
requested and downloaded when a worker has rendered them. Every page passes axe and no page
scrolls sideways on a phone."""

import re

import pytest

from participants.models import Attendance, Certificate
from tests.e2e.browser.conftest import PHONE, check_page, enrol_anna_bert_and_cem, log_in
from tests.factories import run_with_sessions
from tests.participants.factories import mark
from trainings.models import CourseRun

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def last_day(org, trainer):
    """A running run whose last session is today; everyone came to the two before."""
    run, sessions = run_with_sessions(
        org,
        count=3,
        past=2,
        trainers=[trainer],
        status=CourseRun.Status.RUNNING,
        title="AktivA Herbst",
    )
    people = enrol_anna_bert_and_cem(run)
    for person in people:
        mark(person, sessions[:2])
    return run, sessions[2], people


def test_trainer_records_today_completes_the_run_and_downloads_the_certificates(
    open_page, documents_rendered, last_day, trainer_user
):
    run, today, (anna, bert, cem) = last_day
    page = open_page(PHONE)
    log_in(page, trainer_user)
    check_page(page)
    page.shot("dashboard")

    page.get_by_role("link", name=re.compile("Anwesenheit erfassen")).first.click()
    page.get_by_role("heading", name=re.compile("Anwesenheit")).wait_for()
    check_page(page)
    page.shot("attendance")

    for person, label, saved in (
        (anna, "anwesend", "gespeichert: anwesend"),
        (bert, "verspätet", "gespeichert: verspätet"),
        (cem, "unentschuldigt", "gespeichert: unentschuldigt"),
    ):
        row = page.locator(f"#attendance-{person.pk}")
        row.get_by_text(label, exact=True).click()
        row.get_by_text(saved).wait_for()
    check_page(page)
    page.shot("attendance-tapped")

    page.reload()
    for person, status in ((anna, "present"), (bert, "late"), (cem, "absent")):
        assert page.locator(f"#st-{person.pk}-{status}").is_checked()
    assert "noch nicht erfasst" not in page.content()
    assert dict(Attendance.objects.filter(session=today).values_list("enrollment", "status")) == {
        anna.pk: "present",
        bert.pk: "late",
        cem.pk: "absent",
    }
    check_page(page)
    page.shot("attendance-after-reload")

    page.get_by_role("navigation", name="Brotkrumen").get_by_role("link", name=run.title).click()
    page.get_by_role("link", name="AktivA Herbst").last.click()  # the run's page
    page.get_by_role("button", name="Durchgang abschließen").wait_for()
    check_page(page)
    page.shot("run-before-completing")
    page.get_by_role("button", name="Durchgang abschließen").click()
    page.get_by_text("Der Durchgang ist jetzt „abgeschlossen“.").wait_for()
    check_page(page)
    page.shot("run-completed")
    # 80 %: Cem missed today (2 of 3), the others came to all three
    assert set(Certificate.objects.values_list("participant", flat=True)) == {
        anna.participant_id,
        bert.participant_id,
    }

    page.get_by_role("link", name="Teilnahmebescheinigungen").click()
    page.get_by_role("button", name="Alle Bescheinigungen drucken (ein PDF)").click()
    download_link = page.get_by_role("link", name="Herunterladen")
    download_link.wait_for(timeout=60_000)
    check_page(page)
    page.shot("certificates-ready")
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
