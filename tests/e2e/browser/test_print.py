"""Lists and the attendance matrix printed on A4 by Chromium: navigation, buttons and forms
are left out, no table is wider than the paper, the matrix comes out in landscape.
The PDFs are kept next to the screenshots ($AKTIVA_SCREENSHOTS/print/) to look at."""

import io

import pytest
from pypdf import PdfReader

from tests.e2e.browser.conftest import DESKTOP, SCREENSHOTS, log_in
from tests.factories import CourseRunFactory, TrainerFactory, run_with_sessions
from tests.participants.factories import EnrollmentFactory, ParticipantFactory, mark

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# A4 less the page margins of static/css/print.css, in CSS pixels (96 per inch)
PORTRAIT_WIDTH = round((210 - 20) / 25.4 * 96)
LANDSCAPE_WIDTH = round((297 - 20) / 25.4 * 96)

# nothing that only works on a screen, and no table wider than the paper
CHECK = """() => {
  const shown = el => el.offsetParent !== null || getComputedStyle(el).position === 'fixed';
  const screenOnly = [...document.querySelectorAll('nav, form, button, .btn, footer')]
    .filter(shown).map(el => el.outerHTML.slice(0, 80));
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('table')]
    .filter(t => t.getBoundingClientRect().right > width + 1 || t.scrollWidth > t.clientWidth + 1)
    .map(t => t.className);
  return {screenOnly, wide};
}"""


@pytest.fixture
def full_run(org, trainer):
    TrainerFactory(organization=org, first_name="Ben", last_name="Zweiter")
    run, sessions = run_with_sessions(
        org, count=24, trainers=[trainer], title="AktivA Sechs-Wochen-Kurs mit langem Titel"
    )
    for i in range(14):
        participant = ParticipantFactory(
            organization=org, first_name="Maximiliane", last_name=f"Mustermann-Lüdenscheid {i}"
        )
        enrollment = EnrollmentFactory(run=run, participant=participant)
        mark(enrollment, sessions[: 20 + i % 4])
    for i in range(30):
        CourseRunFactory(organization=org, title=f"Durchgang {i} im Jobcenter Dresden-Nord")
    return run


def _print(page, path: str, name: str, width: int) -> PdfReader:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path)
    page.emulate_media(media="print")
    found = page.evaluate(CHECK)
    assert found == {"screenOnly": [], "wide": []}, (path, found)
    folder = SCREENSHOTS / "print"
    folder.mkdir(parents=True, exist_ok=True)
    pdf = page.pdf(path=folder / f"{name}.pdf", prefer_css_page_size=True, print_background=True)
    page.emulate_media(media="screen")
    return PdfReader(io.BytesIO(pdf))


def test_lists_and_the_matrix_print_on_a4(open_page, coordinator, full_run):
    page = open_page(DESKTOP)
    log_in(page, coordinator)
    portrait = [
        ("/durchgaenge/", "runs", "Trainer/innen"),
        ("/teilnehmende/", "participants", "Einwilligung"),
        (f"/teilnehmende/durchgang/{full_run.pk}/", "run-participants", "Mustermann"),
    ]
    for path, name, last_text in portrait:
        reader = _print(page, path, name, PORTRAIT_WIDTH)
        box = reader.pages[0].mediabox
        assert (round(box.width), round(box.height)) == (595, 842), name  # A4 portrait
        text = reader.pages[0].extract_text()
        assert last_text in text and "Abmelden" not in text and "Suchen" not in text, name
    reader = _print(
        page, f"/teilnehmende/durchgang/{full_run.pk}/anwesenheit/", "matrix", LANDSCAPE_WIDTH
    )
    box = reader.pages[0].mediabox
    assert (round(box.width), round(box.height)) == (842, 595)  # A4 landscape
    text = " ".join(p.extract_text() for p in reader.pages).replace("-\n", "-")
    assert "Mustermann-Lüdenscheid 13" in text
    last = full_run.sessions.order_by("date").last().date.strftime("%d.%m.")
    assert last in text  # the last session's column is on the paper
