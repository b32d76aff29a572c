"""Bad input on participants pages: a message at the field or 404, never a 500."""

from django.urls import reverse

from aktiva.models import Document
from participants.models import Attendance, Enrollment

from .factories import EnrollmentFactory, ParticipantFactory, run_with_sessions

# Bad input ------------------------------------------------------------------------------


def test_non_numeric_ids_answer_404_or_a_message_at_the_choice(coordinator_client, org):
    run, sessions = run_with_sessions(org, count=1)
    assert coordinator_client.get(reverse("participants:create"), {"run": "abc"}).status_code == 404
    enroll = reverse("participants:enroll", args=[run.pk])
    assert coordinator_client.post(enroll, {"participant": "abc"}).status_code == 404
    assert coordinator_client.post(enroll, {}).status_code == 404
    assert not Enrollment.objects.exists()
    for kind, data in [
        ("invitation", {"enrollment": "abc"}),
        ("signin_sheet", {"session": "abc"}),
        ("signin_sheet", {}),
        ("handout", {"module": "abc"}),
    ]:
        url = reverse("participants:document", args=[run.pk, kind])
        response = coordinator_client.post(url, data, follow=True)
        assert response.status_code == 200, (kind, data)
        page = response.content.decode()
        assert "gültige Auswahl" in page or "erforderlich" in page, (kind, data)
    assert not Document.objects.exists()


def test_unknown_attendance_status_is_reported_not_a_crash(coordinator_client, org):
    run, sessions = run_with_sessions(org, count=1)
    good, bad = EnrollmentFactory.create_batch(2, run=run)
    response = coordinator_client.post(
        reverse("participants:attendance", args=[sessions[0].pk]),
        {f"status-{good.pk}": "present", f"status-{bad.pk}": "zzz"},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{bad.participant}: Unbekannter Anwesenheitsstatus." in page
    assert "Anwesenheit gespeichert (1 Eintrag)." in page
    assert dict(Attendance.objects.values_list("enrollment", "status")) == {good.pk: "present"}


def test_one_tap_save_is_announced_in_a_live_region_that_stays(trainer_client, trainer, org):
    run, sessions = run_with_sessions(org, count=1, trainers=[trainer])
    enrollment = EnrollmentFactory(run=run)
    page = trainer_client.get(
        reverse("participants:attendance", args=[sessions[0].pk])
    ).content.decode()
    region = '<div id="attendance-status" class="visually-hidden" role="status" aria-live="polite">'
    assert page.count('id="attendance-status"') == 1
    form = (
        f'<form method="post" action="{reverse("participants:attendance", args=[sessions[0].pk])}"'
    )
    assert page.index(region) < page.index(form)  # outside the swapped fieldsets
    fieldset = page[page.index("<fieldset") : page.index("</fieldset>")]
    assert "aria-live" not in fieldset and "hx-swap-oob" not in page
    url = reverse("participants:attendance_mark", args=[sessions[0].pk, enrollment.pk])
    answer = trainer_client.post(
        url, {f"status-{enrollment.pk}": "late"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "aria-live" not in answer[: answer.index("</fieldset>")]
    oob = answer[answer.index('<div id="attendance-status" hx-swap-oob="innerHTML">') :]
    assert f"{enrollment.participant}: gespeichert: verspätet" in oob
    answer = trainer_client.post(
        url, {f"status-{enrollment.pk}": "zzz"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f"{enrollment.participant}: Unbekannter Anwesenheitsstatus." in answer


def test_participant_page_with_history_entries_without_a_user(coordinator_client, org):
    """31 of 40 demo participants answered 500: the demo loader's entries have no user."""
    from aktiva.audit import audit_log

    participant = ParticipantFactory(organization=org)
    audit_log(user=None, organization=org, action="create", obj=participant)
    response = coordinator_client.get(reverse("participants:detail", args=[participant.pk]))
    assert response.status_code == 200 and "System" in response.content.decode()


def test_certificate_number_with_a_nul_byte_is_not_found(client, db):
    assert client.get("/teilnehmende/bescheinigung/TB-%00/").status_code == 404
    assert client.get("/teilnehmende/bescheinigung/%00%00/").status_code == 404


def test_matrix_with_a_change_by_a_deleted_account(coordinator_client, org, coordinator):
    from participants.services import attendance_record
    from tests.factories import MembershipFactory, UserFactory

    colleague = UserFactory()
    MembershipFactory(user=colleague, organization=org)
    run, sessions = run_with_sessions(org, count=1)
    enrollment = EnrollmentFactory(run=run)
    attendance_record(session=sessions[0], enrollment=enrollment, status="late", user=colleague)
    colleague.delete()  # the history keeps the change, without the account
    response = coordinator_client.get(reverse("participants:matrix", args=[run.pk]))
    assert response.status_code == 200 and "zuletzt geändert am" in response.content.decode()
