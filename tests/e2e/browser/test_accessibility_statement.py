"""The accessibility statement in a real browser: reached from the footer of the public
feedback form and of the login page, without axe violations at 1280 and 390 px, without
sideways scrolling, in German and in English."""

import pytest

from tests.e2e.browser.conftest import PHONE, check_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_statement_from_the_feedback_form_and_the_login_page(open_page):
    page = open_page(PHONE)
    page.goto("/f/")
    page.get_by_role("contentinfo").get_by_role("link", name="Barrierefreiheit").click()
    page.wait_for_url("**/barrierefreiheit/")
    assert page.get_by_role("heading", level=1).inner_text() == "Erklärung zur Barrierefreiheit"
    check_page(page)
    page.shot("erklaerung-de")

    page.get_by_label("Sprache", exact=True).select_option("en")
    page.get_by_role("button", name="Wechseln").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Accessibility statement"
    check_page(page)
    page.shot("statement-en")

    page.goto("/konto/anmelden/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility").click()
    page.wait_for_url("**/barrierefreiheit/")
    check_page(page)
