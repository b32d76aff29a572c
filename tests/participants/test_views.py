import pytest
from django.urls import reverse

from aktiva.models import AuditLogEntry
from participants.models import Attendance, AttendanceChange, Enrollment, Participant
from tests.factories import CourseRunFactory, TrainerFactory

from .factories import EnrollmentFactory, ParticipantFactory, mark, run_with_sessions

# Participants ---------------------------------------------------------------------------


def test_participant_list_access(anonymous_client, trainer_client, coordinator_client, org):
    url = reverse("participants:list")
    assert anonymous_client.get(url).status_code == 302
    assert trainer_client.get(url).status_code == 403
    assert coordinator_client.get(url).status_code == 200


def test_participant_search_by_name_and_customer_number(coordinator_client, org, other_org):
    ParticipantFactory(
        organization=org, first_name="Anna", last_name="Schulz", customer_number="123A4567"
    )
    ParticipantFactory(organization=org, first_name="Bernd", last_name="Meier")
    ParticipantFactory(organization=other_org, first_name="Anna", last_name="Schulz")
    url = reverse("participants:list")
    page = coordinator_client.get(url, {"q": "schulz"}).content.decode()
    assert page.count("Schulz, Anna") == 1 and "Meier" not in page
    page = coordinator_client.get(url, {"q": "123a4567"}).content.decode()
    assert "Schulz, Anna" in page and "Meier" not in page


def test_participant_rows_show_name_number_and_consent_escaped(coordinator_client, org):
    """The list's rows are written in Python (`participant_rows`): the same cells as the
    template's were, every value escaped, "–" for no customer number, the short date."""
    import datetime

    person = ParticipantFactory(
        organization=org,
        first_name="<b>Eva</b>",
        last_name='O"Neil & Co',
        customer_number="",
        consent_on=datetime.date(2026, 3, 1),
    )
    url = reverse("participants:detail", args=[person.pk])
    for query in ({}, {"q": "neil"}):
        html = coordinator_client.get(reverse("participants:list"), query).content.decode()
        assert (
            f'<tr><td><a href="{url}">O&quot;Neil &amp; Co, &lt;b&gt;Eva&lt;/b&gt;</a></td>'
            "<td>–</td><td>01.03.2026</td></tr>"
        ) in html
    coordinator_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = coordinator_client.get(reverse("participants:list")).content.decode()
    assert "<td>01/03/2026</td>" in html


def test_participant_detail_other_org_404_and_view_logged(
    coordinator_client, outsider_client, org, coordinator
):
    person = ParticipantFactory(organization=org)
    url = reverse("participants:detail", args=[person.pk])
    assert outsider_client.get(url).status_code == 404
    assert coordinator_client.get(url).status_code == 200
    entry = AuditLogEntry.objects.get(object_id=str(person.pk), action="view")
    assert entry.user == coordinator


def test_create_participant(coordinator_client, org):
    response = coordinator_client.post(
        reverse("participants:create"),
        {
            "first_name": "Clara",
            "last_name": "Neu",
            "customer_number": "",
            "consent_on": "2026-03-01",
        },
    )
    person = Participant.objects.get(last_name="Neu")
    assert response.status_code == 302 and person.organization == org
    assert AuditLogEntry.objects.filter(object_id=str(person.pk), action="create").exists()


def test_duplicate_customer_number_links_to_first(coordinator_client, org, other_org):
    first = ParticipantFactory(organization=org, customer_number="999D1")
    ParticipantFactory(organization=other_org, customer_number="777")
    response = coordinator_client.post(
        reverse("participants:create"),
        {
            "first_name": "Doppel",
            "last_name": "Gänger",
            "customer_number": "999d1",
            "consent_on": "2026-03-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="{first.get_absolute_url()}"' in page
    assert 'value="Doppel"' in page  # what was typed stays
    assert not Participant.objects.filter(last_name="Gänger").exists()
    # the same number in another organization is fine
    response = coordinator_client.post(
        reverse("participants:create"),
        {"first_name": "X", "last_name": "Y", "customer_number": "777", "consent_on": "2026-03-01"},
    )
    assert response.status_code == 302


def test_missing_consent_shows_error_next_to_field(coordinator_client, org):
    response = coordinator_client.post(
        reverse("participants:create"), {"first_name": "Ohne", "last_name": "Datum"}
    )
    assert response.status_code == 200
    assert "consent_on" in response.context["form"].errors
    assert not Participant.objects.exists()


def test_update_other_org_404(outsider_client, org):
    person = ParticipantFactory(organization=org)
    assert outsider_client.get(reverse("participants:update", args=[person.pk])).status_code == 404


# Enrollment -----------------------------------------------------------------------------


def test_enroll_access(anonymous_client, trainer_client, outsider_client, coordinator_client, org):
    run = CourseRunFactory(organization=org, capacity=1, min_participants=1)
    a, b = ParticipantFactory.create_batch(2, organization=org)
    url = reverse("participants:enroll", args=[run.pk])
    assert anonymous_client.post(url, {"participant": a.pk}).status_code == 302
    assert trainer_client.post(url, {"participant": a.pk}).status_code == 403
    assert outsider_client.post(url, {"participant": a.pk}).status_code == 404
    assert not Enrollment.objects.exists()
    coordinator_client.post(url, {"participant": a.pk})
    response = coordinator_client.post(url, {"participant": b.pk}, follow=True)
    assert "Warteliste" in response.content.decode()
    assert dict(Enrollment.objects.values_list("participant", "status")) == {
        a.pk: "enrolled",
        b.pk: "waiting",
    }


def test_enroll_participant_of_other_org_404(coordinator_client, org, other_org):
    run = CourseRunFactory(organization=org)
    stranger = ParticipantFactory(organization=other_org)
    url = reverse("participants:enroll", args=[run.pk])
    assert coordinator_client.post(url, {"participant": stranger.pk}).status_code == 404


def test_withdraw_page_says_who_moved_up(coordinator_client, org):
    run = CourseRunFactory(organization=org, capacity=1, min_participants=1)
    placed = EnrollmentFactory(run=run)
    waiting = EnrollmentFactory(run=run, status="waiting", waiting_since="2026-01-01T08:00Z")
    url = reverse("participants:withdraw", args=[placed.pk])
    response = coordinator_client.post(url, {"reason": ""})
    assert response.status_code == 200 and response.context["form"].errors
    response = coordinator_client.post(
        url, {"outcome": "withdrawn", "reason": "Arbeitsaufnahme"}, follow=True
    )
    assert f"{waiting.participant} ist von der Warteliste nachgerückt" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == "enrolled"


def test_withdraw_access(trainer_client, outsider_client, org):
    enrollment = EnrollmentFactory(run=CourseRunFactory(organization=org))
    url = reverse("participants:withdraw", args=[enrollment.pk])
    assert trainer_client.post(url, {"reason": "x"}).status_code == 403
    assert outsider_client.post(url, {"reason": "x"}).status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.status == "enrolled"


def test_run_participants_page(
    coordinator_client, trainer_client, trainer, outsider_client, org, django_assert_max_num_queries
):
    run = CourseRunFactory(organization=org, trainers=[trainer])
    EnrollmentFactory.create_batch(3, run=run)
    ParticipantFactory(organization=org, last_name="Kandidat")
    url = reverse("participants:run", args=[run.pk])
    assert outsider_client.get(url).status_code == 404
    assert trainer_client.get(url).status_code == 200
    other_run = CourseRunFactory(organization=org)
    assert trainer_client.get(reverse("participants:run", args=[other_run.pk])).status_code == 404
    with django_assert_max_num_queries(12):
        page = coordinator_client.get(url, {"q": "Kandidat"}).content.decode()
    assert "Kandidat" in page


# Attendance -----------------------------------------------------------------------------


def test_attendance_page_permissions(
    anonymous_client, trainer_client, trainer, coordinator_client, outsider_client, org
):
    run, sessions = run_with_sessions(org, count=1, trainers=[trainer])
    url = reverse("participants:attendance", args=[sessions[0].pk])
    assert anonymous_client.get(url).status_code == 302
    assert outsider_client.get(url).status_code == 404
    assert trainer_client.get(url).status_code == 200
    assert coordinator_client.get(url).status_code == 200
    foreign_run, foreign_sessions = run_with_sessions(
        org, count=1, trainers=[TrainerFactory(organization=org)]
    )
    assert (
        trainer_client.get(
            reverse("participants:attendance", args=[foreign_sessions[0].pk])
        ).status_code
        == 404
    )


def test_htmx_mark_saves_at_once_and_survives_reload(trainer_client, trainer, trainer_user, org):
    run, sessions = run_with_sessions(org, count=1, trainers=[trainer])
    enrollment = EnrollmentFactory(run=run)
    url = reverse("participants:attendance_mark", args=[sessions[0].pk, enrollment.pk])
    response = trainer_client.post(url, {f"status-{enrollment.pk}": "late"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "gespeichert: verspätet" in response.content.decode()
    assert Attendance.objects.get().status == "late"
    change = AttendanceChange.objects.get()
    assert change.changed_by == trainer_user
    page = trainer_client.get(
        reverse("participants:attendance", args=[sessions[0].pk])
    ).content.decode()
    assert f'id="st-{enrollment.pk}-late" value="late" autocomplete="off" checked' in page


def test_plain_form_without_javascript(coordinator_client, org):
    run, sessions = run_with_sessions(org, count=1)
    a, b, c = EnrollmentFactory.create_batch(3, run=run)
    response = coordinator_client.post(
        reverse("participants:attendance", args=[sessions[0].pk]),
        {f"status-{a.pk}": "present", f"status-{b.pk}": "absent"},
    )
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("enrollment", "status")) == {
        a.pk: "present",
        b.pk: "absent",
    }


def test_future_session_cannot_be_marked_via_view(coordinator_client, org):
    run, sessions = run_with_sessions(org, count=2, past=0)
    enrollment = EnrollmentFactory(run=run)
    url = reverse("participants:attendance_mark", args=[sessions[1].pk, enrollment.pk])
    response = coordinator_client.post(
        url, {f"status-{enrollment.pk}": "present"}, HTTP_HX_REQUEST="true"
    )
    assert "erst am Tag" in response.content.decode()
    assert not Attendance.objects.exists()
    page = coordinator_client.get(
        reverse("participants:attendance", args=[sessions[1].pk])
    ).content.decode()
    assert "disabled" in page


def test_trainer_of_other_run_cannot_mark(trainer_client, trainer, org):
    run, sessions = run_with_sessions(org, count=1)  # trainer does not lead it
    enrollment = EnrollmentFactory(run=run)
    url = reverse("participants:attendance_mark", args=[sessions[0].pk, enrollment.pk])
    assert trainer_client.post(url, {f"status-{enrollment.pk}": "present"}).status_code == 404
    assert not Attendance.objects.exists()


def test_waiting_list_person_has_no_attendance_row(trainer_client, trainer, org):
    run, sessions = run_with_sessions(org, count=1, trainers=[trainer])
    waiting = EnrollmentFactory(run=run, status="waiting", waiting_since="2026-01-01T08:00Z")
    url = reverse("participants:attendance_mark", args=[sessions[0].pk, waiting.pk])
    assert trainer_client.post(url, {"status": "present"}).status_code == 404


def test_matrix_shows_rates_risk_and_history(coordinator_client, coordinator, org):
    run, sessions = run_with_sessions(org, count=8, past=3)
    good, risky = EnrollmentFactory.create_batch(2, run=run)
    mark(good, sessions[:3])
    mark(risky, sessions[:2])
    AttendanceChange.objects.create(
        attendance=Attendance.objects.filter(enrollment=risky).first(),
        status="present",
        changed_by=coordinator,
    )
    page = coordinator_client.get(reverse("participants:matrix", args=[run.pk])).content.decode()
    assert "3/3 (100 %)" in page and "2/3 (67 %)" in page
    assert "noch 1 Fehltermin möglich" in page
    assert "zuletzt geändert von Karla Koordinatorin" in page


@pytest.mark.parametrize(
    "view",
    [
        "participants:matrix",
        "participants:attendance",
        "participants:certificates",
        "participants:run",
    ],
)
def test_pages_run_constant_queries(coordinator_client, coordinator, org, view):
    """5 and 15 participants, 4 and 10 sessions, each mark with its history: same query count."""

    def build(n_people, n_sessions):
        run, sessions = run_with_sessions(org, count=n_sessions)
        for enrollment in EnrollmentFactory.create_batch(n_people, run=run):
            mark(enrollment, sessions)
        for attendance in Attendance.objects.filter(session__run=run):
            AttendanceChange.objects.create(
                attendance=attendance, status=attendance.status, changed_by=coordinator
            )
        target = sessions[0].pk if view == "participants:attendance" else run.pk
        return reverse(view, args=[target])

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in [(5, 4), (15, 10)]:
        url = build(*size)
        with CaptureQueriesContext(connection) as ctx:
            assert coordinator_client.get(url).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_today_lists_own_sessions(trainer_client, trainer, org):
    run, sessions = run_with_sessions(org, count=1, past=0, trainers=[trainer], title="Mein Kurs")
    run_with_sessions(org, count=1, past=0, title="Fremder Kurs")
    page = trainer_client.get(reverse("participants:today")).content.decode()
    assert "Mein Kurs" in page and "Fremder Kurs" not in page


# Panels embedded by trainings ---------------------------------------------------------------


def test_run_panel_and_dashboard_partials(rf, coordinator, org, django_assert_max_num_queries):
    from django.template.loader import render_to_string

    from trainings import headcount
    from trainings.models import CourseRun

    run, sessions = run_with_sessions(org, count=3, past=0, min_participants=4, capacity=10)
    EnrollmentFactory.create_batch(2, run=run)
    request = rf.get("/")
    request.user = coordinator
    request.membership = coordinator.membership
    run = CourseRun.objects.prefetch_related("trainers", "modules").get(pk=run.pk)
    with django_assert_max_num_queries(1):
        html = render_to_string(
            "participants/partials/run_section.html",
            {"run": run, "sessions": sessions},
            request=request,
        )
    assert "2 von 10 Plätzen belegt" in html and "Heutige Anwesenheit erfassen" in html
    with django_assert_max_num_queries(1):
        below_minimum = headcount.runs_below_minimum(CourseRun.objects.active())
    html = render_to_string(
        "participants/partials/dashboard.html",
        {"runs_below_minimum": below_minimum},
        request=request,
    )
    assert run.title in html and "2 von mindestens 4" in html


def test_participants_list_and_search_run_constant_queries_in_name_order(coordinator_client, org):
    """The list and a search by name or customer number: the same number of queries for 5
    and for 80 people; the list in name order, a search in name order regardless of case."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert coordinator_client.get(url).status_code == 200
        return len(ctx)

    ParticipantFactory(organization=org, first_name="Ida", last_name="von Meier")
    ParticipantFactory(organization=org, first_name="Bo", last_name="Meierhof")
    ParticipantFactory(organization=org, first_name="Al", last_name="Meier")
    ParticipantFactory.create_batch(2, organization=org)
    base = reverse("participants:list")
    urls = [base, base + "?q=meier", base + "?q=DD99999"]
    small = [count(url) for url in urls]
    ParticipantFactory.create_batch(75, organization=org)
    assert [count(url) for url in urls] == small

    # a search costs two queries more than the list: the names that contain the term
    # (SearchName) and its audit entry, not a count or a second read of the people
    assert small[1] == small[0] + 2

    found = coordinator_client.get(base + "?q=meier").context["page"].object_list
    assert [p["last_name"] for p in found] == ["Meier", "Meierhof", "von Meier"]
    page = coordinator_client.get(base).context["page"]
    listed = [(p["last_name"], p["first_name"]) for p in page]
    assert listed == sorted(listed)


def test_matrix_cells_show_letter_colour_and_label_of_each_mark(coordinator_client, org):
    run, sessions = run_with_sessions(org, count=7, past=7)
    person = EnrollmentFactory(run=run)
    Status, Reason = Attendance.Status, Attendance.ExcuseReason
    mark(person, sessions[:1], Status.PRESENT)
    mark(person, sessions[1:2], Status.LATE)
    mark(person, sessions[2:3], Status.EXCUSED, Reason.IMPORTANT)
    mark(person, sessions[3:4], Status.EXCUSED, Reason.SICK_NOTE)
    mark(person, sessions[4:5], Status.ABSENT)
    sessions[6].is_cancelled = True
    sessions[6].save()
    page = coordinator_client.get(reverse("participants:matrix", args=[run.pk])).content.decode()
    for css, label, letter in [
        ("present", "anwesend", "A"),
        ("late", "verspätet", "V"),
        ("excused", "entschuldigt: wichtiger Grund", "E"),
        ("excused", "entschuldigt: arbeitsunfähig (AU-Bescheinigung)", "K"),
        ("absent", "unentschuldigt", "U"),
    ]:
        assert f'<td class="cell mark-{css}"><abbr title="{label}">{letter}</abbr></td>' in page
    assert '<td class="cell">–</td>' in page  # not marked yet
    cancelled = '<td class="cell col-cancelled"><span class="visually-hidden">abgesagt</span></td>'
    assert cancelled in page
    # the row keeps its header cell, the columns theirs
    assert '<th scope="row" class="fw-normal">' in page and page.count('<th scope="col"') == 8


def test_matrix_in_english_spells_the_marks_out_in_english(coordinator_client, org):
    run, sessions = run_with_sessions(org, count=1, past=1)
    mark(EnrollmentFactory(run=run), sessions, Attendance.Status.EXCUSED)
    coordinator_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = coordinator_client.get(reverse("participants:matrix", args=[run.pk])).content.decode()
    assert '<abbr title="excused: important reason">E</abbr>' in page


def test_matrix_reads_the_sessions_without_their_modules(coordinator_client, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run, sessions = run_with_sessions(org, count=3)
    mark(EnrollmentFactory(run=run), sessions)
    with CaptureQueriesContext(connection) as ctx:
        assert (
            coordinator_client.get(reverse("participants:matrix", args=[run.pk])).status_code == 200
        )
    assert not [q for q in ctx.captured_queries if "trainings_session_modules" in q["sql"]]


def test_a_changed_cell_says_who_changed_it_when_in_local_time(coordinator_client, org):
    from datetime import UTC, datetime

    from tests.factories import UserFactory

    run, sessions = run_with_sessions(org, count=2, past=2)
    person = EnrollmentFactory(run=run)
    mark(person, sessions)
    first, second = Attendance.objects.filter(enrollment=person).order_by("session__date")
    someone = UserFactory(first_name="Olga", last_name="O'Neil & Co")
    for attendance, user in ((first, someone), (second, None)):
        change = AttendanceChange.objects.create(attendance=attendance, status="present")
        at = datetime(2026, 11, 30, 8, 5, tzinfo=UTC)  # 09:05 in Dresden
        AttendanceChange.objects.filter(pk=change.pk).update(changed_at=at, changed_by=user)
    page = coordinator_client.get(reverse("participants:matrix", args=[run.pk])).content.decode()
    by = "zuletzt geändert von Olga O&#x27;Neil &amp; Co am 30.11.2026 09:05"
    assert (
        f'<td class="cell mark-present" title="{by}"><abbr title="anwesend">A</abbr></td>' in page
    )
    anonymous = 'title="zuletzt geändert am 30.11.2026 09:05"><abbr title="anwesend">A</abbr>'
    assert anonymous in page
