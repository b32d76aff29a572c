"""The service worker that keeps the attendance page for use without a connection."""

from django.urls import reverse

from participants.models import Attendance
from tests.factories import run_with_sessions
from tests.participants.factories import EnrollmentFactory


def test_the_worker_is_served_from_the_root_as_javascript(anonymous_client):
    response = anonymous_client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    assert b"aktiva-attendance-pages" in response.content
    assert anonymous_client.post("/sw.js").status_code == 405


def test_the_attendance_page_loads_its_script_and_names_each_row_for_it(
    trainer_client, org, trainer
):
    run, sessions = run_with_sessions(org, count=1, trainers=[trainer])
    enrollment = EnrollmentFactory(run=run)
    Attendance.objects.create(session=sessions[0], enrollment=enrollment, status="present")
    html = trainer_client.get(
        reverse("participants:attendance", args=[sessions[0].pk])
    ).content.decode()
    assert "/static/js/attendance.js" in html
    assert f'data-service-worker="{reverse("service_worker")}"' in html
    tap_url = reverse("participants:attendance_mark", args=[sessions[0].pk, enrollment.pk])
    assert f'data-tap-url="{tap_url}"' in html
    assert 'id="attendance-waiting"' in html and "hidden" in html
