"""Reports to the jobcenter: why someone was absent, consent to report, the monthly
absence report (PDF and CSV), notices of non-start and leaving early, and what is due."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aktiva.models import AuditLogEntry, Document, Membership
from participants import jobcenter_reports, services
from participants.models import Attendance, AttendanceChange, Enrollment
from tests.factories import MembershipFactory, TrainerFactory, UserFactory

from .factories import EnrollmentFactory, ParticipantFactory, mark, run_with_sessions
from .test_documents import pdf_text

SICK = Attendance.ExcuseReason.SICK_NOTE
IMPORTANT = Attendance.ExcuseReason.IMPORTANT


@pytest.fixture(autouse=True)
def _run_on_commit(monkeypatch):
    """Tests run inside a transaction that never commits: queue documents at once."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())


def last_year_october() -> date:
    """A month that has surely ended: October of last year, Tuesday the 28th onwards."""
    return date(timezone.localdate().year - 1, 10, 27)


@pytest.fixture
def report_run(org, trainer):
    """Six sessions from 27 October to 1 November (two months); Anna with consent and one
    of each code plus a late arrival, Bernd without consent but absent, Clara always there."""
    org.report_team_name = "Jobcenter Dresden, Team 512"
    org.report_team_address = "Budapester Straße 30\n01069 Dresden"
    org.save()
    run, sessions = run_with_sessions(
        org, count=6, first=last_year_october(), trainers=[trainer], title="AktivA Herbst"
    )
    anna = EnrollmentFactory(
        run=run,
        participant=ParticipantFactory(
            organization=org,
            first_name="Anna",
            last_name="Amsel",
            customer_number="KD-4711",
            report_consent_on=date(2026, 1, 5),
        ),
    )
    bernd = EnrollmentFactory(
        run=run,
        participant=ParticipantFactory(
            organization=org, first_name="Bernd", last_name="Bussard", customer_number="KD-0815"
        ),
    )
    clara = EnrollmentFactory(
        run=run,
        participant=ParticipantFactory(
            organization=org,
            first_name="Clara",
            last_name="Crane",
            report_consent_on=date(2026, 1, 5),
        ),
    )
    mark(anna, sessions[0:1], "excused")  # 27.10. E
    mark(anna, sessions[1:2], "excused", SICK)  # 28.10. K
    mark(anna, sessions[2:3], "absent")  # 29.10. UE
    mark(anna, sessions[3:4], "late")  # 30.10.
    mark(anna, sessions[4:5], "absent")  # 31.10. UE
    mark(anna, sessions[5:6], "present")  # 01.11.
    mark(bernd, sessions[:2], "absent")
    mark(bernd, sessions[2:], "present")
    mark(clara, sessions)
    return run, sessions, anna, bernd, clara


def _request(client, run, kind, **data):
    response = client.post(reverse("participants:document", args=[run.pk, kind]), data)
    assert response.status_code == 302, response
    assert response["Location"].startswith("/dokumente/"), response["Location"]
    return Document.objects.latest("pk")


def _file(document: Document) -> str:
    document.refresh_from_db()
    assert document.status == Document.Status.DONE, document.get_failure_display()
    with document.file.open("rb") as f:
        return f.read().decode("utf-8-sig")


# Why someone was absent -------------------------------------------------------------------


def test_excused_defaults_to_important_reason_and_switches_to_sick_note(
    report_run, coordinator, org
):
    run, sessions, anna, bernd, clara = report_run
    session = sessions[5]
    Attendance.objects.filter(session=session).delete()
    services.attendance_record(
        session=session, enrollment=clara, status="excused", user=coordinator
    )
    mark_ = Attendance.objects.get(session=session, enrollment=clara)
    assert (mark_.status, mark_.excuse_reason, mark_.report_code) == ("excused", IMPORTANT, "E")
    services.attendance_record(
        session=session, enrollment=clara, status="excused", excuse_reason=SICK, user=coordinator
    )
    mark_.refresh_from_db()
    assert (mark_.excuse_reason, mark_.report_code) == (SICK, "K")
    services.attendance_record(
        session=session, enrollment=clara, status="present", user=coordinator
    )
    mark_.refresh_from_db()
    assert (mark_.status, mark_.excuse_reason, mark_.report_code) == ("present", "", "")
    history = list(AttendanceChange.objects.filter(attendance=mark_).order_by("pk"))
    assert [(c.status, c.excuse_reason) for c in history] == [
        ("excused", IMPORTANT),
        ("excused", SICK),
        ("present", ""),
    ]


def test_a_reason_needs_excused_and_must_be_known(report_run, coordinator):
    run, sessions, anna, bernd, clara = report_run
    session = sessions[5]
    result = services.attendance_record_many(
        session=session,
        marks={clara.pk: "present", bernd.pk: "excused"},
        reasons={clara.pk: SICK, bernd.pk: "migraine"},
        user=coordinator,
    )
    assert "entschuldigt" in result.errors[clara.pk]
    assert "Unbekannter Grund" in result.errors[bernd.pk]
    assert Attendance.objects.get(session=session, enrollment=clara).status == "present"
    assert Attendance.objects.get(session=session, enrollment=bernd).status == "present"


def test_the_database_refuses_a_reason_without_excuse(report_run):
    run, sessions, anna, bernd, clara = report_run
    with pytest.raises(IntegrityError):
        Attendance.objects.filter(session=sessions[5], enrollment=clara).update(excuse_reason=SICK)


def test_tap_ui_shows_the_reason_switch_and_saves_it(report_run, trainer_client):
    run, sessions, anna, bernd, clara = report_run
    session = sessions[5]
    url = reverse("participants:attendance_mark", args=[session.pk, clara.pk])
    htmx = {"HTTP_HX_REQUEST": "true"}
    row = trainer_client.post(url, {f"status-{clara.pk}": "excused"}, **htmx).content.decode()
    assert "Grund der Entschuldigung" in row and f'name="reason-{clara.pk}"' in row
    assert f'id="re-{clara.pk}-important" value="important" autocomplete="off" checked' in row
    row = trainer_client.post(
        url, {f"status-{clara.pk}": "excused", f"reason-{clara.pk}": SICK}, **htmx
    ).content.decode()
    assert "arbeitsunfähig (AU-Bescheinigung)" in row
    assert Attendance.objects.get(session=session, enrollment=clara).excuse_reason == SICK
    # back to present: the reason switch still on the page is no change of it
    row = trainer_client.post(
        url, {f"status-{clara.pk}": "present", f"reason-{clara.pk}": SICK}, **htmx
    ).content.decode()
    assert "Grund der Entschuldigung" not in row
    mark_ = Attendance.objects.get(session=session, enrollment=clara)
    assert (mark_.status, mark_.excuse_reason) == ("present", "")


def test_no_js_list_saves_reasons_and_refuses_bad_ones_plainly(report_run, coordinator_client):
    run, sessions, anna, bernd, clara = report_run
    session = sessions[5]
    url = reverse("participants:attendance", args=[session.pk])
    response = coordinator_client.post(
        url,
        {
            f"status-{clara.pk}": "excused",
            f"reason-{clara.pk}": SICK,
            f"status-{bernd.pk}": "excused",
            f"reason-{bernd.pk}": "<script>",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unbekannter Grund der Entschuldigung" in page
    assert Attendance.objects.get(session=session, enrollment=clara).excuse_reason == SICK
    assert Attendance.objects.get(session=session, enrollment=bernd).status == "present"


def test_matrix_and_person_page_show_the_kind_of_excuse(report_run, coordinator_client):
    run, sessions, anna, bernd, clara = report_run
    matrix = coordinator_client.get(reverse("participants:matrix", args=[run.pk])).content.decode()
    assert '<abbr title="entschuldigt: arbeitsunfähig (AU-Bescheinigung)">K</abbr>' in matrix
    assert '<abbr title="entschuldigt: wichtiger Grund">E</abbr>' in matrix
    page = coordinator_client.get(
        reverse("participants:detail", args=[anna.participant_id])
    ).content.decode()
    day = sessions[1].date.strftime("%d.%m.%Y")
    assert f"{day} entschuldigt (arbeitsunfähig (AU-Bescheinigung))" in page
    assert "eingewilligt am 05.01.2026" in page
    other = coordinator_client.get(
        reverse("participants:detail", args=[bernd.participant_id])
    ).content.decode()
    assert "keine Einwilligung" in other


def test_person_page_queries_do_not_grow_with_runs(
    org, coordinator_client, django_assert_max_num_queries
):
    person = ParticipantFactory(organization=org)
    counts = []
    for _ in range(2):
        for _ in range(3):
            run, sessions = run_with_sessions(org, count=4)
            enrollment = EnrollmentFactory(run=run, participant=person)
            mark(enrollment, sessions[:2], "excused", SICK)
            mark(enrollment, sessions[2:], "late")
        with CaptureQueriesContext(connection) as ctx:
            assert (
                coordinator_client.get(reverse("participants:detail", args=[person.pk])).status_code
                == 200
            )
        counts.append(len(ctx))
    assert counts[0] == counts[1]


# Consent and the receiving team --------------------------------------------------------------


def test_report_consent_is_recorded_and_not_in_the_future(org, coordinator_client):
    person = ParticipantFactory(organization=org, first_name="Dora", last_name="Dohle")
    url = reverse("participants:update", args=[person.pk])
    data = {"first_name": "Dora", "last_name": "Dohle", "consent_on": "2026-01-05"}
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = coordinator_client.post(url, {**data, "report_consent_on": tomorrow.isoformat()})
    assert page.status_code == 200
    assert "Das Datum liegt in der Zukunft" in page.content.decode()
    page = coordinator_client.post(url, {**data, "report_consent_on": "kein Datum"})
    assert page.status_code == 200 and "gültiges Datum" in page.content.decode()
    person.refresh_from_db()
    assert person.report_consent_on is None
    assert (
        coordinator_client.post(url, {**data, "report_consent_on": "2026-02-01"}).status_code == 302
    )
    person.refresh_from_db()
    assert person.report_consent_on == date(2026, 2, 1)


def test_settings_page_roles(
    anonymous_client, coordinator_client, trainer_client, outsider_client, org, other_org
):
    org.report_team_name = "Team 512 der Dresdner"
    org.save()
    url = reverse("organization_settings")
    assert anonymous_client.get(url)["Location"].startswith("/konto/anmelden/")
    assert trainer_client.get(url).status_code == 403
    assert trainer_client.post(url, {"report_team_name": "x"}).status_code == 403
    assert "Team 512 der Dresdner" in coordinator_client.get(url).content.decode()
    page = outsider_client.get(url).content.decode()
    assert "Jobcenter Leipzig" in page and "Team 512 der Dresdner" not in page


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"postal_code": "0106"}, "postal_code", "Eine Postleitzahl hat fünf Ziffern."),
        ({"contact_email": "kein-at"}, "contact_email", "gültige E-Mail-Adresse"),
        ({"report_team_address": "Hauptstr. 1"}, "report_team_name", "Bitte nennen Sie das Team"),
        ({"report_team_name": "Team 1"}, "report_team_address", "Bitte geben Sie die Anschrift"),
        (
            {"report_team_name": "x" * 201, "report_team_address": "a"},
            "report_team_name",
            "höchstens 200",
        ),
    ],
)
def test_settings_bad_input_is_named_at_the_field(coordinator_client, org, data, field, message):
    response = coordinator_client.post(reverse("organization_settings"), data)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    org.refresh_from_db()
    assert org.report_team_name == ""


def test_settings_saved(coordinator_client, org, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert coordinator_client.get(reverse("organization_settings")).status_code == 200
    response = coordinator_client.post(
        reverse("organization_settings"),
        {
            "street": "Budapester Straße 30",
            "postal_code": "01069",
            "city": "Dresden",
            "report_team_name": "Team 512 – Arbeitsvermittlung",
            "report_team_address": "Postfach 1\n01001 Dresden",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.report_team_name == "Team 512 – Arbeitsvermittlung"
    assert org.postal_code == "01069"


# The monthly absence report -------------------------------------------------------------------


def test_absence_report_pdf_codes_consent_and_receiver(report_run, coordinator_client, org):
    run, sessions, anna, bernd, clara = report_run
    october = sessions[0].date.strftime("%Y-%m")
    document = _request(coordinator_client, run, "absence_report", month=october, format="pdf")
    text = pdf_text(document)
    assert "Fehlzeitenmeldung Oktober" in text
    assert "Jobcenter Dresden, Team 512" in text and "01069 Dresden" in text
    assert "Amsel, Anna" in text and "KD-4711" in text
    day = lambda i: sessions[i].date.strftime("%d.%m.%Y")  # noqa: E731
    assert f"{day(0)} E" in text and f"{day(1)} K" in text and f"{day(2)} UE" in text
    assert day(3) in text  # late
    assert "Unterschrift Teilnehmende/r" in text and "Unterschrift Trainer/in" in text
    # without consent: the name and "keine Einwilligung", nothing more
    assert "Bussard, Bernd keine Einwilligung" in text
    assert "KD-0815" not in text
    assert "Crane, Clara" in text  # with consent and no absence: in the overview only
    assert text.count("Datum, Unterschrift Teilnehmende/r") == 1
    entry = AuditLogEntry.objects.filter(action="export").latest("pk")
    assert entry.details["kind"] == "participants.absence_report"
    assert entry.details["month"] == october


def test_absence_report_csv_rows(report_run, trainer_client, org):
    run, sessions, anna, bernd, clara = report_run
    october = sessions[0].date.strftime("%Y-%m")
    document = _request(trainer_client, run, "absence_report", month=october, format="csv")
    assert document.file.name.endswith(".csv")
    rows = list(csv.reader(io.StringIO(_file(document)), delimiter=";"))
    assert rows[0] == [
        "Durchgang", "Monat", "Empfänger", "Nachname", "Vorname", "Kundennummer",
        "Datum", "Code", "Bedeutung",
    ]  # fmt: skip
    head = ["AktivA Herbst", october, "Jobcenter Dresden, Team 512"]
    anna_ = [*head, "Amsel", "Anna", "KD-4711"]
    iso = lambda i: sessions[i].date.isoformat()  # noqa: E731
    assert rows[1:] == [
        [*anna_, iso(0), "E", "entschuldigt: wichtiger Grund"],
        [*anna_, iso(1), "K", "entschuldigt: arbeitsunfähig (AU-Bescheinigung)"],
        [*anna_, iso(2), "UE", "unentschuldigt"],
        [*anna_, iso(3), "", "verspätet"],
        [*anna_, iso(4), "UE", "unentschuldigt"],
        [*head, "Bussard", "Bernd", "", "", "", "keine Einwilligung"],
        [*head, "Crane", "Clara", "", "", "", "keine Fehlzeiten"],
    ]
    # the download is a read of personal data: logged
    response = trainer_client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert AuditLogEntry.objects.filter(
        action="view", object_id=str(document.pk), details__download=True
    ).exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"month": "1999-01", "format": "pdf"}, "In diesem Monat hat der Durchgang keine Termine."),
        ({"month": "kaputt", "format": "csv"}, "In diesem Monat hat der Durchgang keine Termine."),
        ({"format": "pdf"}, "Bitte wählen Sie einen Monat."),
        ({"month": "OCTOBER", "format": "xlsx"}, "Bitte wählen Sie PDF oder CSV."),
    ],
)
def test_absence_report_bad_input(report_run, coordinator_client, data, message):
    run, *_ = report_run
    if data.get("month") == "OCTOBER":
        data = {**data, "month": run.sessions.first().date.strftime("%Y-%m")}
    url = reverse("participants:document", args=[run.pk, "absence_report"])
    response = coordinator_client.post(url, data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("participants:reports", args=[run.pk])
    assert message in response.content.decode()
    htmx = coordinator_client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert message in htmx
    assert not Document.objects.exists()


# Notices of non-start and leaving early --------------------------------------------------------


def test_withdrawal_before_start_produces_a_non_start_notice(org, coordinator_client):
    run, sessions = run_with_sessions(org, count=4, past=0)
    enrollment = EnrollmentFactory(
        run=run,
        participant=ParticipantFactory(
            organization=org, last_name="Elster", report_consent_on=date(2026, 1, 5)
        ),
    )
    response = coordinator_client.post(
        reverse("participants:withdraw", args=[enrollment.pk]),
        {"outcome": "withdrawn", "reason": "Arbeitsaufnahme"},
        follow=True,
    )
    assert "Nichtantritt" in response.content.decode()
    enrollment.refresh_from_db()
    assert enrollment.withdrawn_from == Enrollment.Status.ENROLLED
    document = Document.objects.get(kind=jobcenter_reports.EXIT_NOTICE)
    text = pdf_text(document)
    assert "Meldung: Nichtantritt" in text and "Elster" in text and "Arbeitsaufnahme" in text
    assert timezone.localdate().strftime("%d.%m.%Y") in text


def test_dropout_produces_a_leaving_notice_with_the_last_day(org, coordinator_client):
    run, sessions = run_with_sessions(org, count=4, past=2)
    enrollment = EnrollmentFactory(
        run=run,
        participant=ParticipantFactory(
            organization=org, last_name="Fink", report_consent_on=date(2026, 1, 5)
        ),
    )
    mark(enrollment, sessions[:1])
    mark(enrollment, sessions[1:2], "absent")
    coordinator_client.post(
        reverse("participants:withdraw", args=[enrollment.pk]),
        {"outcome": "dropped_out", "reason": "Umzug"},
    )
    document = Document.objects.get(kind=jobcenter_reports.EXIT_NOTICE)
    text = pdf_text(document)
    assert "Meldung: Abbruch" in text and "Umzug" in text
    assert f"{sessions[0].date:%d.%m.%Y} (1 von 4 Terminen)" in text


def test_notice_without_consent_says_only_that(org, coordinator_client):
    run, sessions = run_with_sessions(org, count=4, past=0)
    enrollment = EnrollmentFactory(
        run=run,
        participant=ParticipantFactory(organization=org, last_name="Geier", customer_number="KD-9"),
    )
    coordinator_client.post(
        reverse("participants:withdraw", args=[enrollment.pk]),
        {"outcome": "withdrawn", "reason": "Krankenhausaufenthalt"},
    )
    text = pdf_text(Document.objects.get(kind=jobcenter_reports.EXIT_NOTICE))
    assert "Geier" in text and "keine Einwilligung" in text
    assert "Krankenhausaufenthalt" not in text and "KD-9" not in text


def test_leaving_the_waiting_list_is_no_notice(org, coordinator_client):
    run, sessions = run_with_sessions(org, count=2, past=0)
    waiting = EnrollmentFactory(
        run=run, status=Enrollment.Status.WAITING, waiting_since=timezone.now()
    )
    coordinator_client.post(
        reverse("participants:withdraw", args=[waiting.pk]),
        {"outcome": "withdrawn", "reason": "kein Interesse"},
    )
    assert not Document.objects.exists()
    url = reverse("participants:document", args=[run.pk, "exit_notice"])
    response = coordinator_client.post(url, {"enrollment": waiting.pk}, follow=True)
    assert "keinen Nichtantritt und keinen Abbruch" in response.content.decode()
    assert not Document.objects.exists()


# What is due and what was produced -----------------------------------------------------------


def test_reports_page_roles(
    report_run, anonymous_client, coordinator_client, trainer_client, outsider_client, org
):
    run, *_ = report_run
    url = reverse("participants:reports", args=[run.pk])
    assert anonymous_client.get(url)["Location"].startswith("/konto/anmelden/")
    assert outsider_client.get(url).status_code == 404
    other = UserFactory(username="andere-trainerin")
    MembershipFactory(user=other, organization=org, role=Membership.Role.TRAINER)
    TrainerFactory(organization=org, user=other)
    from django.test import Client

    other_client = Client()
    other_client.force_login(other)
    assert other_client.get(url).status_code == 404
    assert (
        other_client.post(
            reverse("participants:document", args=[run.pk, "absence_report"]),
            {"month": run.sessions.first().date.strftime("%Y-%m"), "format": "pdf"},
        ).status_code
        == 404
    )
    produce = reverse("participants:document", args=[run.pk, "exit_notice"])
    assert outsider_client.post(produce, {"enrollment": 1}).status_code == 404
    assert anonymous_client.post(produce)["Location"].startswith("/konto/anmelden/")
    assert not Document.objects.exists()
    assert "Oktober" in trainer_client.get(url).content.decode()
    assert coordinator_client.get(url).status_code == 200
    assert AuditLogEntry.objects.filter(details__page="reports", object_id=str(run.pk)).exists()


def test_due_then_produced_by_whom(report_run, coordinator_client, trainer_client, org):
    run, sessions, *_ = report_run
    url = reverse("participants:reports", args=[run.pk])
    overview = coordinator_client.get(url).context["overview"]
    assert [(m.key, m.absences, m.late, m.due) for m in overview.months] == [
        (sessions[0].date.strftime("%Y-%m"), 6, 1, True),
        (sessions[5].date.strftime("%Y-%m"), 0, 0, False),
    ]
    listing = coordinator_client.get(reverse("participants:reports_list")).content.decode()
    assert "Fehlzeitenmeldung</span>" not in listing or "Oktober" in listing
    assert "AktivA Herbst" in listing and "Zur Meldung" in listing
    october = sessions[0].date.strftime("%Y-%m")
    document = _request(trainer_client, run, "absence_report", month=october, format="pdf")
    page = coordinator_client.get(url)
    october_status = page.context["overview"].months[0]
    assert not october_status.due and october_status.produced == document
    assert "von Tina Trainerin" in page.content.decode()
    listing = coordinator_client.get(reverse("participants:reports_list")).content.decode()
    assert "Zurzeit ist keine Meldung fällig." in listing and document.title in listing


def test_a_month_is_due_once_it_or_the_run_has_ended(report_run, org):
    run, sessions, *_ = report_run
    october, november = sessions[0].date.replace(day=1), sessions[5].date.replace(day=1)

    def due_on(day):
        overview = jobcenter_reports.reports_overview(
            type(run).objects.filter(pk=run.pk), organization=org, today=day
        )
        return {m.month: (m.ended, m.due) for m in overview.months}

    assert due_on(sessions[3].date) == {october: (False, False), november: (False, False)}
    # October over: due (absences); November runs on
    assert due_on(sessions[5].date) == {october: (True, True), november: (False, False)}
    # the run over: November has ended for it too, but nobody was absent
    assert due_on(sessions[5].date + timedelta(days=1)) == {
        october: (True, True),
        november: (True, False),
    }


def test_list_shows_only_the_members_runs(report_run, trainer_client, outsider_client, org):
    run, *_ = report_run
    foreign, foreign_sessions = run_with_sessions(
        org, count=2, first=last_year_october(), title="Fremder Kurs"
    )
    mark(EnrollmentFactory(run=foreign), foreign_sessions, "absent")
    page = trainer_client.get(reverse("participants:reports_list")).content.decode()
    assert "AktivA Herbst" in page and "Fremder Kurs" not in page
    page = outsider_client.get(reverse("participants:reports_list")).content.decode()
    assert "AktivA Herbst" not in page and "Zurzeit ist keine Meldung fällig." in page


@pytest.mark.parametrize("view", ["participants:reports_list", "participants:reports"])
def test_report_pages_run_constant_queries(org, coordinator, coordinator_client, view):
    def build(n_runs, n_people):
        runs = []
        for _ in range(n_runs):
            run, sessions = run_with_sessions(org, count=4, first=last_year_october())
            for enrollment in EnrollmentFactory.create_batch(n_people, run=run):
                mark(enrollment, sessions[:2], "excused", SICK)
                mark(enrollment, sessions[2:], "late")
            services.enrollment_withdraw(
                enrollment=enrollment, reason="Umzug", dropped_out=True, user=coordinator
            )
            Document.objects.create(
                organization=org,
                kind=jobcenter_reports.ABSENCE_REPORT,
                params={"run": run.pk, "month": f"{sessions[0].date:%Y-%m}", "format": "pdf"},
                title="Fehlzeitenmeldung",
                requested_by=coordinator,
            )
            runs.append(run)
        return reverse(view, args=[runs[-1].pk] if view == "participants:reports" else [])

    counts = []
    for size in [(1, 2), (4, 6)]:
        url = build(*size)
        with CaptureQueriesContext(connection) as ctx:
            assert coordinator_client.get(url).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_csv_cells_never_start_a_formula(report_run, coordinator_client):
    run, sessions, anna, bernd, clara = report_run
    clara.participant.last_name = '=HYPERLINK("http://x.invalid","Klick")'
    clara.participant.save()
    october = sessions[0].date.strftime("%Y-%m")
    document = _request(coordinator_client, run, "absence_report", month=october, format="csv")
    rows = list(csv.reader(io.StringIO(_file(document)), delimiter=";"))
    clara_row = next(row for row in rows if row[4] == "Clara")
    assert clara_row[3] == '\'=HYPERLINK("http://x.invalid","Klick")'
