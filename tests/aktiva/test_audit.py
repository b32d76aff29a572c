"""The organization's audit trail: who read or changed personal data, for coordinators."""

from datetime import timedelta

from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from aktiva.audit import audit_log
from aktiva.models import AuditLogEntry
from tests.factories import UserFactory

URL = reverse("audit:trail")


def _entry(org, user, name, *, action=AuditLogEntry.Action.VIEW, days_ago=0):
    entry = audit_log(user=user, organization=org, action=action, obj=org)
    AuditLogEntry.objects.filter(pk=entry.pk).update(
        object_type="participants.Participant",
        object_id=name,
        object_repr=name,
        created_at=timezone.now() - timedelta(days=days_ago),
    )
    return entry


def test_access_anonymous_trainer_outsider_coordinator(
    anonymous_client, trainer_client, outsider_client, coordinator_client, org, coordinator
):
    _entry(org, coordinator, "Erika Muster")
    assert anonymous_client.get(URL).status_code == 302
    assert trainer_client.get(URL).status_code == 403
    assert "Erika Muster" not in outsider_client.get(URL).content.decode()
    page = coordinator_client.get(URL).content.decode()
    assert "Erika Muster" in page and "Teilnehmende/r" in page


def test_filters_by_person_staff_action_and_period(coordinator_client, org, coordinator):
    colleague = UserFactory(first_name="Conny", last_name="Kollegin")
    org.memberships.create(user=colleague, role="coordinator")
    _entry(org, coordinator, "Anna Alt", days_ago=40)
    _entry(org, colleague, "Bert Neu", action=AuditLogEntry.Action.CHANGE)
    _entry(org, coordinator, "Bert Neu")

    def shown(**query):
        return coordinator_client.get(URL, query).content.decode()

    assert "Anna Alt" not in shown(person="bert") and shown(person="bert").count("Bert Neu") == 2
    assert "Anna Alt" not in shown(staff=colleague.pk)
    assert "Anna Alt" not in shown(action="change") and "Bert Neu" in shown(action="change")
    recent = (timezone.localdate() - timedelta(days=7)).isoformat()
    assert "Anna Alt" not in shown(date_from=recent) and "Bert Neu" in shown(date_from=recent)
    only_anna = shown(subject="participants.Participant:Anna_Alt")
    assert "Bert Neu" not in only_anna


def test_bad_filter_input_gets_a_message_not_an_error(coordinator_client, org, coordinator):
    response = coordinator_client.get(
        URL, {"date_from": "2026-12-01", "date_to": "2026-01-01", "staff": "abc"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Das Ende liegt vor dem Anfang." in page and "gültige Auswahl" in page
    # the message sits at its field, and the field says so to screen readers
    assert 'aria-describedby="id_date_to_error"' in page and 'id="id_date_to_error"' in page
    assert 'aria-invalid="true"' in page and '<label class="form-label" for="id_staff">' in page


def test_the_trail_pages_25_entries_without_counting(coordinator_client, org, coordinator):
    for i in range(26):
        _entry(org, coordinator, f"Person {i}")
    first = coordinator_client.get(URL).context["page"]
    assert len(first) == 25 and first.has_next
    second = coordinator_client.get(URL, {"page": "2"}).context["page"]
    assert len(second) == 1 and not second.has_next


def test_export_is_csv_of_the_filtered_entries_and_is_itself_logged(
    coordinator_client, org, coordinator
):
    _entry(org, coordinator, "Anna Alt")
    _entry(org, coordinator, "Bert Neu")
    response = coordinator_client.get(reverse("audit:export"), {"person": "anna"})
    content = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "Anna Alt" in content and "Bert Neu" not in content
    assert AuditLogEntry.objects.filter(
        action=AuditLogEntry.Action.EXPORT, details__has_key="audit_trail"
    ).exists()


def test_nobody_can_edit_or_delete_entries_in_the_admin(org, coordinator):
    entry = _entry(org, coordinator, "Anna Alt")
    admin = site._registry[AuditLogEntry]
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, entry)
    assert not admin.has_delete_permission(request, entry)


def test_downloading_a_document_that_names_people_is_logged(
    coordinator_client, org, coordinator, request_document
):
    document = request_document(org, coordinator)
    response = coordinator_client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert AuditLogEntry.objects.filter(
        action=AuditLogEntry.Action.VIEW, object_id=str(document.pk), details__download=True
    ).exists()


def test_the_trail_costs_the_same_with_more_entries(
    coordinator_client, org, coordinator, django_assert_max_num_queries
):
    for i in range(5):
        _entry(org, coordinator, f"Person {i}")
    with django_assert_max_num_queries(8) as small:
        coordinator_client.get(URL)
    for i in range(60):
        _entry(org, coordinator, f"Weitere {i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        coordinator_client.get(URL)


def test_every_read_of_personal_data_is_logged(coordinator_client, trainer_client, org, trainer):
    """Participant page, edit form, search, run participants, attendance page and matrix."""
    from tests.factories import run_with_sessions
    from tests.participants.factories import EnrollmentFactory

    run, sessions = run_with_sessions(org, count=1, trainers=[trainer])
    person = EnrollmentFactory(run=run).participant
    pages = [
        (coordinator_client, reverse("participants:detail", args=[person.pk])),
        (coordinator_client, reverse("participants:update", args=[person.pk])),
        (coordinator_client, reverse("participants:list") + "?q=Paula"),
        (trainer_client, reverse("participants:run", args=[run.pk])),
        (trainer_client, reverse("participants:attendance", args=[sessions[0].pk])),
        (trainer_client, reverse("participants:matrix", args=[run.pk])),
    ]
    for client, url in pages:
        before = AuditLogEntry.objects.count()
        assert client.get(url).status_code == 200
        entry = AuditLogEntry.objects.order_by("-pk").first()
        assert AuditLogEntry.objects.count() == before + 1, url
        assert entry.action == AuditLogEntry.Action.VIEW and entry.user is not None
        assert "Paula" not in str(entry.details)  # who and what, never the data itself
