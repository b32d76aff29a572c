"""Playwright for Python drives Debian's Chromium (never a downloaded browser build) against
a live server on the test database; axe-core (vendored in tests/e2e/vendor) checks each
page. Screenshots of the main steps go to $AKTIVA_SCREENSHOTS (default /tmp/aktiva-screenshots).
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("AKTIVA_SCREENSHOTS", "/tmp/aktiva-screenshots"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def _async_unsafe():
    # Playwright's sync API keeps an event loop in the test thread; the Django ORM calls
    # the tests make between browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="session")
def browser(_async_unsafe):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs it with apt-get")
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-quic",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def documents_rendered(request, transactional_db):
    """Documents are rendered by a real Celery worker on PostgreSQL (as in CI); on SQLite,
    where a worker cannot share the test's database, in the live server's process (eager)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        request.getfixturevalue("worker")
        return "worker"
    return "eager"


@pytest.fixture
def open_page(browser, live_server, request):
    """open_page(viewport) → a fresh page (own cookies) whose paths are relative to the
    live server; `page.shot(name)` saves a screenshot of the step."""
    contexts = []

    def opener(viewport=DESKTOP, locale="de-DE"):
        # Reduced motion: Bootstrap then switches its colour transitions off, so that axe
        # never measures a button's contrast halfway through one (a flaky failure in CI).
        context = browser.new_context(
            viewport=viewport,
            base_url=live_server.url,
            locale=locale,
            service_workers="allow",
            reduced_motion="reduce",
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        folder = SCREENSHOTS / request.node.name
        folder.mkdir(parents=True, exist_ok=True)
        counter = iter(range(1, 100))

        def shot(name: str):
            page.screenshot(path=folder / f"{next(counter):02d}-{name}.png", full_page=True)

        page.shot = shot
        return page

    yield opener
    for context in contexts:
        context.close()


def enrol_anna_bert_and_cem(run) -> list:
    """Three people with a place in the run, in this order (the rows of the attendance page)."""
    from tests.participants.factories import EnrollmentFactory, ParticipantFactory

    return [
        EnrollmentFactory(
            run=run,
            participant=ParticipantFactory(
                organization=run.organization, first_name=first, last_name=last
            ),
        )
        for first, last in (("Anna", "Alt"), ("Bert", "Bauer"), ("Cem", "Celik"))
    ]


def log_in(page, user, password: str = "geheim-passwort-1") -> None:
    page.goto("/konto/anmelden/")
    page.get_by_label("Benutzername").fill(user.username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/")


def check_page(page, *, widths=(DESKTOP["width"], PHONE["width"])) -> None:
    """What every page a journey visits must pass: axe (WCAG 2.1 A/AA) without violations,
    no sideways scrolling at phone width, a title and a language, no script errors."""
    assert page.title(), page.url
    assert page.evaluate("document.documentElement.lang"), page.url
    assert not page.js_errors, page.js_errors
    original = page.viewport_size
    for width in widths:
        page.set_viewport_size({"width": width, "height": original["height"]})
        if width <= PHONE["width"]:
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{page.url} scrolls sideways at {width} px ({scroll} px)"
        violations = axe_violations(page)
        assert not violations, f"{page.url} at {width} px: {violations}"
    page.set_viewport_size(original)


def axe_violations(page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())  # evaluate, not a script tag: the CSP stays strict
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in result["violations"]
    ]
