"""Journey 3, a participant on a phone (390×844): a code from a printed slip, one required
answer left empty, the error with everything kept, the answers sent, the code tried again;
and the same with the keyboard alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from feedback.models import Response
from tests.e2e.browser.conftest import PHONE, check_page
from tests.factories import run_with_sessions
from tests.feedback.factories import FeedbackCodeFactory

pytestmark = [
    pytest.mark.browser,
    # serialized_rollback: the data that migrations ship is back for the tests after these
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def codes(org):
    """A run that starts next week: the "before" questionnaire (WHO-5) is open."""
    run = run_with_sessions(org, first=timezone.localdate() + timedelta(days=7), count=4)[0]
    return FeedbackCodeFactory(run=run), FeedbackCodeFactory(run=run)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Earlier tests' wrong codes from this address must not lock the journey out."""
    from django.core.cache import caches

    caches["default"].clear()
    caches["fallback"].clear()


def _tab_to(page, condition: str, limit: int = 60) -> None:
    """Press Tab until the focused element satisfies `condition` (JavaScript)."""
    for _ in range(limit):
        if page.evaluate(condition):
            return
        page.keyboard.press("Tab")
    page.shot("keyboard-stuck")
    raise AssertionError(f"never reached by the keyboard: {condition} on {page.url}")


def _typed(code) -> str:
    """As a person copies it from paper: lower case, with a space in the middle."""
    return f"{code.code[:4].lower()} {code.code[4:].lower()}"


def test_participant_gives_feedback_with_a_code_from_paper(open_page, codes):
    code, _other = codes
    page = open_page(PHONE)
    page.goto("/f/")
    check_page(page)
    page.shot("start")
    page.get_by_label("Code").fill(_typed(code))
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("link", name="jetzt ausfüllen").first.click()
    check_page(page)
    page.shot("form")

    groups = page.locator("fieldset.question")
    count = groups.count()
    assert count >= 5
    for index in range(count - 1):  # the last required answer stays empty
        groups.nth(index).locator("input[type=radio]").nth(2).check()
    page.get_by_role("button", name="Antworten absenden").click()

    summary = page.get_by_role("alert")
    assert "Bitte beantworten Sie noch eine Frage" in summary.inner_text()
    for index in range(count - 1):  # nothing typed is lost
        assert groups.nth(index).locator("input[type=radio]").nth(2).is_checked()
    check_page(page)
    page.shot("error-kept")

    groups.nth(count - 1).locator("input[type=radio]").nth(1).check()
    page.get_by_role("button", name="Antworten absenden").click()
    assert "Vielen Dank" in page.content()
    assert Response.objects.filter(code=code).count() == 1
    page.shot("thanks")

    page.goto(f"/f/{code.code}/vorher/")
    assert "schon" in page.locator("main").inner_text()
    check_page(page)
    page.shot("already")


def test_participant_journey_with_the_keyboard_alone(open_page, codes):
    _code, code = codes
    page = open_page(PHONE)
    page.goto("/f/")
    _tab_to(page, "document.activeElement.name === 'code'")
    page.keyboard.type(_typed(code))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(f"**/f/{code.code}/")
    _tab_to(
        page,
        "document.activeElement.tagName === 'A'"
        " && document.activeElement.innerText.includes('jetzt ausfüllen')",
    )
    page.shot("keyboard-code-page")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/vorher/"), page.url

    groups = page.locator("fieldset.question").count()
    for _ in range(groups):
        # Tab to the next radio group, arrow to its second answer (arrows also select it)
        _tab_to(page, "document.activeElement.type === 'radio'")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
    _tab_to(page, "document.activeElement.type === 'submit'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Vielen Dank" in page.content()
    assert Response.objects.filter(code=code).count() == 1
    page.shot("keyboard-done")
