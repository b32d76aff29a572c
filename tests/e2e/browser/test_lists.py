"""The long lists in a real browser at 1280 and 390 px: the participants list's pager
("Seite n", weiter/zurück without counting), a search with too many matches, and the audit
trail's filter with a message at its field. Every page passes axe and none scrolls sideways."""

import pytest

from aktiva.audit import audit_log
from aktiva.models import AuditLogEntry
from tests.e2e.browser.conftest import PHONE, check_page, log_in
from tests.participants.factories import ParticipantFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_participants_pager_and_a_too_broad_search(open_page, org, coordinator, monkeypatch):
    from participants.views import people

    monkeypatch.setattr(people, "SEARCH_CAP", 5)
    for i in range(55):
        ParticipantFactory(organization=org, first_name=f"Vorname{i:02d}", last_name="Schulz")
    page = open_page(PHONE)
    log_in(page, coordinator)
    page.goto("/teilnehmende/")
    assert page.get_by_text("Seite 1", exact=True).is_visible()
    check_page(page)
    page.shot("participants-page-1")
    page.get_by_role("link", name="weiter").click()
    assert page.get_by_text("Seite 2", exact=True).is_visible()
    assert page.get_by_role("link", name="zurück").is_visible()
    page.shot("participants-page-2")

    page.goto("/teilnehmende/?q=schulz")
    assert page.get_by_role("status").filter(has_text="Mehr als 5 Treffer").is_visible()
    assert page.locator("tbody tr").count() == 5
    check_page(page)
    page.shot("search-too-many")


def test_audit_trail_filter_message_at_the_field(open_page, org, coordinator):
    for _ in range(30):
        audit_log(user=coordinator, organization=org, action=AuditLogEntry.Action.VIEW, obj=org)
    page = open_page()
    log_in(page, coordinator)
    page.goto("/protokoll/?date_from=2026-12-01&date_to=2026-01-01")
    field = page.get_by_label("bis")
    assert field.get_attribute("aria-invalid") == "true"
    assert page.locator("#id_date_to_error").inner_text() == "Das Ende liegt vor dem Anfang."
    assert page.get_by_role("link", name="weiter").is_visible()
    check_page(page)
    page.shot("audit-trail-error")
