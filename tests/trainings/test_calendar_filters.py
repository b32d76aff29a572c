"""The calendar for planners: public holidays of the state, filters by trainer and room that
the navigation keeps, drafts and cancelled runs marked by a label, a jump to a month."""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trainings.models import CourseRun

from ..factories import CourseRunFactory, LocationFactory, SessionFactory, TrainerFactory

URL = reverse("trainings:calendar")


@pytest.fixture
def plan(org, trainer):
    """Two runs in December 2026: the trainer's in room A, a colleague's draft in room B."""
    room_a = LocationFactory(organization=org, name="Raum A")
    room_b = LocationFactory(organization=org, name="Raum B")
    colleague = TrainerFactory(organization=org, first_name="Conny", last_name="Kollegin")
    mine = CourseRunFactory(organization=org, title="Mein Kurs", location=room_a)
    mine.trainers.set([trainer])
    CourseRun.objects.filter(pk=mine.pk).update(status=CourseRun.Status.PLANNED)
    draft = CourseRunFactory(organization=org, title="Entwurfskurs", location=room_a)
    draft.trainers.set([colleague])
    SessionFactory(run=mine, date=date(2026, 12, 1))
    # the draft meets once in its own room and once in room B
    SessionFactory(run=draft, date=date(2026, 12, 2))
    SessionFactory(run=draft, date=date(2026, 12, 3), location=room_b)
    return {"room_a": room_a, "room_b": room_b, "colleague": colleague, "mine": mine}


def _get(client, **params):
    return client.get(URL, params)


def test_the_states_public_holidays_are_marked(coordinator_client, org):
    html = _get(coordinator_client, datum="2026-11-01").content.decode()
    assert "Feiertag: Buß- und Bettag" in html  # 18 November, Saxony only
    org.federal_state = "BE"
    org.save()
    html = _get(coordinator_client, datum="2026-11-01").content.decode()
    assert "Buß- und Bettag" not in html and "Feiertag: Allerheiligen" not in html


def test_filter_by_trainer_and_by_room_and_the_navigation_keeps_them(coordinator_client, plan):
    colleague, room_a, room_b = plan["colleague"], plan["room_a"], plan["room_b"]
    html = _get(coordinator_client, datum="2026-12-01", trainer=colleague.pk).content.decode()
    assert "Entwurfskurs" in html and "Mein Kurs" not in html
    assert f"datum=2027-01-01&amp;trainer={colleague.pk}" in html
    response = _get(coordinator_client, datum="2026-12-01", raum=room_a.pk)
    days = {d.day.day for w in response.context["weeks"] for d in w if d.in_period and d.sessions}
    assert days == {1, 2}  # the session in room B is left out, the run's room counts
    response = _get(coordinator_client, datum="2026-12-01", raum=room_b.pk, trainer=colleague.pk)
    days = {d.day.day for w in response.context["weeks"] for d in w if d.in_period and d.sessions}
    assert days == {3}
    assert "Filter zurücksetzen" in response.content.decode()


def test_drafts_and_cancelled_runs_carry_a_label(coordinator_client, plan):
    html = _get(coordinator_client, datum="2026-12-01").content.decode()
    assert html.count("calendar-entry draft") == 2
    assert html.count('class="calendar-draft-label">Entwurf<') == 2
    CourseRun.objects.filter(pk=plan["mine"].pk).update(status=CourseRun.Status.CANCELLED)
    html = _get(coordinator_client, datum="2026-12-01").content.decode()
    assert html.count('class="calendar-cancelled-label">abgesagt<') == 1


def test_jump_to_a_month_shows_that_month(coordinator_client, plan):
    response = _get(coordinator_client, ansicht="woche", datum="2026-06-03", monat="2026-12")
    assert response.context["view"] == "monat"
    assert response.context["period_start"] == date(2026, 12, 1)
    assert 'value="2026-12"' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"monat": "Dezember"}, "monat", "Bitte einen Monat angeben, zum Beispiel 2026-11."),
        ({"monat": "20266-01"}, "monat", "Bitte einen Monat angeben, zum Beispiel 2026-11."),
        ({"trainer": "abc"}, "trainer", "Bitte eine gültige Auswahl treffen."),
        ({"raum": "999999"}, "raum", "Bitte eine gültige Auswahl treffen."),
    ],
)
def test_bad_filters_say_so_at_the_field_and_show_the_calendar(
    coordinator_client, plan, params, field, message
):
    response = _get(coordinator_client, datum="2026-12-01", **params)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert "Mein Kurs" in response.content.decode()  # the invalid filter is ignored


def test_another_organizations_trainer_is_no_filter(outsider_client, plan):
    response = _get(outsider_client, datum="2026-12-01", trainer=plan["colleague"].pk)
    assert "trainer" in response.context["form"].errors
    html = response.content.decode()
    assert "Conny Kollegin" not in html and "Entwurfskurs" not in html


def test_a_trainer_filtering_for_a_colleague_still_sees_only_own_runs(trainer_client, plan):
    html = _get(trainer_client, datum="2026-12-01", trainer=plan["colleague"].pk).content
    assert "Entwurfskurs" not in html.decode()
    html = _get(trainer_client, datum="2026-12-01").content.decode()
    assert "Mein Kurs" in html and "Entwurfskurs" not in html


def _more(org, n):
    room = LocationFactory(organization=org)
    for i in range(n):
        run = CourseRunFactory(organization=org, location=room)
        run.trainers.set([TrainerFactory(organization=org)])
        SessionFactory(
            run=run, date=date(2026, 12, 1 + i % 20), start_time=time(8), end_time=time(9)
        )


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("filters", [{}, {"raum": "room_a"}, {"trainer": "colleague"}])
def test_filtered_calendar_queries_do_not_grow(coordinator_client, org, plan, filters):
    params = {"datum": "2026-12-01", **{k: plan[v].pk for k, v in filters.items()}}
    _more(org, 3)
    small = _queries(coordinator_client, params)
    _more(org, 30)
    assert _queries(coordinator_client, params) == small
    assert small <= 10


def _filter_form(html: str) -> str:
    start = html.index('class="row g-2 align-items-end mb-3 calendar-filter"')
    return html[start : html.index("</form>", start)]


def test_the_kept_filter_shows_new_trainers_and_rooms_and_what_was_typed_at_once(
    coordinator_client, org, plan
):
    """The filter's selects are kept rendered under the runs' revision: a new trainer, a
    renamed room and the choice made are on the page at once, and a wrong choice shows its
    error at the field."""
    before = _filter_form(_get(coordinator_client, datum="2026-12-01").content.decode())
    assert "Conny Kollegin" in before and "Raum A" in before and "selected>Conny" not in before
    TrainerFactory(organization=org, first_name="Udo", last_name="Ulm")
    plan["room_b"].name = "Saal Neiße"
    plan["room_b"].save()
    after = _filter_form(_get(coordinator_client, datum="2026-12-01").content.decode())
    assert "Udo Ulm" in after and "Saal Neiße" in after and "Raum B" not in after
    chosen = _get(coordinator_client, datum="2026-12-01", trainer=plan["colleague"].pk)
    assert f'value="{plan["colleague"].pk}" selected' in _filter_form(chosen.content.decode())
    wrong = _filter_form(
        _get(coordinator_client, datum="2026-12-01", raum="999999").content.decode()
    )
    assert "is-invalid" in wrong
    again = _filter_form(_get(coordinator_client, datum="2026-12-01").content.decode())
    assert "is-invalid" not in again and f'value="{plan["colleague"].pk}" selected' not in again


def test_another_organizations_filter_is_never_ours(coordinator_client, outsider_client, plan):
    _get(coordinator_client, datum="2026-12-01")
    theirs = _filter_form(_get(outsider_client, datum="2026-12-01").content.decode())
    assert "Conny Kollegin" not in theirs and "Raum A" not in theirs
