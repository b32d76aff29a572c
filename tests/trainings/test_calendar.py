"""The month/week calendar and "Meine Termine": access, content, constant query counts."""

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aktiva.models import Membership
from trainings.models import CourseRun

from ..factories import (
    CourseRunFactory,
    LocationFactory,
    MembershipFactory,
    SessionFactory,
    TrainerFactory,
    UserFactory,
    catalogue_module,
)

DAY = date(2026, 12, 2)  # a Wednesday


@pytest.fixture
def run(org, trainer):
    co = TrainerFactory(organization=org, first_name="Conny", last_name="Kollegin")
    run = CourseRunFactory(organization=org, title="AktivA Winter", trainers=[trainer, co])
    SessionFactory(run=run, date=DAY, modules=[catalogue_module("aktivitaetenplanung")])
    SessionFactory(run=run, date=DAY + timedelta(days=1), is_cancelled=True)
    return run


def calendar_url(**params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("trainings:calendar") + (f"?{query}" if query else "")


@pytest.mark.parametrize("name", ["trainings:calendar", "trainings:my_sessions"])
def test_anonymous_is_sent_to_login(anonymous_client, name):
    response = anonymous_client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["trainings:calendar", "trainings:my_sessions"])
def test_user_without_organization_gets_403(name, db):
    from django.test import Client

    client = Client()
    client.force_login(UserFactory())
    assert client.get(reverse(name)).status_code == 403


def test_month_shows_held_and_cancelled_sessions_linking_to_run(
    trainer_client, coordinator_client, run
):
    for client in (trainer_client, coordinator_client):
        response = client.get(calendar_url(datum="2026-12-15"))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Dezember 2026" in html
        assert html.count(reverse("trainings:run_detail", args=[run.pk])) == 2
        assert html.count("calendar-entry cancelled") == 1
        assert "09:00–12:30" in html


def test_other_organization_does_not_see_sessions(outsider_client, run):
    html = outsider_client.get(calendar_url(datum="2026-12-15")).content.decode()
    assert "AktivA Winter" not in html
    assert "In diesem Monat gibt es keine Termine." in html


def test_cancelled_run_is_struck_through(coordinator_client, run):
    run.status = "cancelled"
    run.save()
    html = coordinator_client.get(calendar_url(datum="2026-12-15")).content.decode()
    assert html.count("calendar-entry cancelled") == 2


def test_week_view_and_navigation(coordinator_client, run):
    response = coordinator_client.get(calendar_url(ansicht="woche", datum="2026-12-03"))
    ctx = response.context
    assert ctx["period_start"] == date(2026, 11, 30) and ctx["period_end"] == date(2026, 12, 6)
    assert ctx["previous"] == date(2026, 11, 23) and ctx["following"] == date(2026, 12, 7)
    assert len(ctx["weeks"]) == 1
    html = response.content.decode()
    assert "AktivA Winter" in html and "Conny Kollegin" in html
    empty = coordinator_client.get(calendar_url(ansicht="woche", datum="2026-12-10"))
    assert "In dieser Woche gibt es keine Termine." in empty.content.decode()


def test_month_navigation_and_bad_date(coordinator_client):
    ctx = coordinator_client.get(calendar_url(datum="2026-01-31")).context
    assert ctx["period_start"] == date(2026, 1, 1) and ctx["period_end"] == date(2026, 1, 31)
    assert ctx["previous"] == date(2025, 12, 1) and ctx["following"] == date(2026, 2, 1)
    # the grid runs from Monday to Sunday
    assert ctx["weeks"][0][0].day == date(2025, 12, 29) and ctx["weeks"][-1][-1].day == date(
        2026, 2, 1
    )
    response = coordinator_client.get(calendar_url(datum="kaputt"))
    assert response.status_code == 200
    assert response.context["period_start"] == timezone.localdate().replace(day=1)


def test_only_my_sessions(coordinator_client, coordinator, org, run):
    """A coordinator who also leads runs can narrow the calendar to their own sessions."""
    own = TrainerFactory(organization=org, user=coordinator)
    mine = CourseRunFactory(organization=org, title="Eigener Durchgang", trainers=[own])
    SessionFactory(run=mine, date=DAY)
    html = coordinator_client.get(calendar_url(datum="2026-12-15")).content.decode()
    assert "AktivA Winter" in html and "Eigener Durchgang" in html and "nur meine Termine" in html
    html = coordinator_client.get(calendar_url(datum="2026-12-15", meine="1")).content.decode()
    assert "AktivA Winter" not in html and "Eigener Durchgang" in html


def _many_runs(org, trainer, count):
    location = LocationFactory(organization=org)
    modules = [catalogue_module("aktivitaetenplanung"), catalogue_module("konstruktives-denken")]
    for i in range(count):
        co = TrainerFactory(organization=org)
        run = CourseRunFactory(organization=org, location=location, trainers=[trainer, co])
        for k in range(2):
            SessionFactory(
                run=run,
                date=DAY + timedelta(days=k + i % 7),
                start_time=time(8 + k),
                end_time=time(8 + k, 45),
                location=LocationFactory(organization=org) if k else None,
                modules=modules,
            )


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        calendar_url(datum="2026-12-15"),
        calendar_url(ansicht="woche", datum="2026-12-03"),
        calendar_url(datum="2026-12-15", meine="1"),
    ],
)
def test_calendar_queries_do_not_grow_with_runs(trainer_client, org, trainer, url):
    _many_runs(org, trainer, 5)
    small = _count_queries(trainer_client, url)
    _many_runs(org, trainer, 45)
    assert _count_queries(trainer_client, url) == small
    assert small <= 8


def test_my_sessions_queries_do_not_grow_with_runs(trainer_client, org, trainer, settings):
    url = reverse("trainings:my_sessions")
    _many_runs(org, trainer, 5)
    small = _count_queries(trainer_client, url)
    _many_runs(org, trainer, 45)
    assert _count_queries(trainer_client, url) == small
    assert small <= 10


@pytest.fixture
def today_run(org, trainer):
    today = timezone.localdate()
    co = TrainerFactory(organization=org, first_name="Conny", last_name="Kollegin")
    room = LocationFactory(
        organization=org,
        name="Raum Elbe",
        street="Am Ufer 1",
        postal_code="01067",
        directions="2. Stock, links",
    )
    run = CourseRunFactory(
        organization=org, title="AktivA Jetzt", trainers=[trainer, co], location=room
    )
    SessionFactory(
        run=run, date=today + timedelta(days=2), modules=[catalogue_module("konstruktives-denken")]
    )
    SessionFactory(run=run, date=today - timedelta(days=3))
    SessionFactory(run=run, date=today - timedelta(days=60), note="sehr alt")
    return run


def test_my_sessions_shows_upcoming_and_recent(trainer_client, today_run, org):
    foreign = CourseRunFactory(
        organization=org, title="Nicht meiner", trainers=[TrainerFactory(organization=org)]
    )
    SessionFactory(run=foreign, date=timezone.localdate() + timedelta(days=1))
    response = trainer_client.get(reverse("trainings:my_sessions"))
    ctx = response.context
    assert len(ctx["upcoming"]) == 1 and len(ctx["recent"]) == 1
    html = response.content.decode()
    for text in [
        "AktivA Jetzt",
        "Raum Elbe",
        "Am Ufer 1, 01067 Dresden",
        "2. Stock, links",
        "Conny Kollegin",
        "Konstruktives Denken",
        "/ical/",
    ]:
        assert text in html
    assert "Nicht meiner" not in html and "sehr alt" not in html
    assert [str(t) for t in ctx["upcoming"][0].co_trainers] == ["Conny Kollegin"]


def test_my_sessions_without_trainer_profile(coordinator_client):
    response = coordinator_client.get(reverse("trainings:my_sessions"))
    assert response.status_code == 200
    assert "mit keinem Trainerprofil verbunden" in response.content.decode()


def test_trainer_profile_of_other_organization_is_ignored(other_org, db):
    """A trainer profile only counts in the user's own organization."""
    from django.test import Client

    user = UserFactory()
    MembershipFactory(user=user, organization=other_org, role=Membership.Role.TRAINER)
    TrainerFactory(user=user)  # belongs to some other organization
    client = Client()
    client.force_login(user)
    assert (
        "mit keinem Trainerprofil verbunden"
        in client.get(reverse("trainings:my_sessions")).content.decode()
    )


@pytest.mark.parametrize("datum", ["9999-12-31", "0001-01-01", "kaputt", "2026-02-30"])
@pytest.mark.parametrize("ansicht", ["monat", "woche"])
def test_calendar_survives_odd_dates(coordinator_client, datum, ansicht):
    url = reverse("trainings:calendar") + f"?ansicht={ansicht}&datum={datum}"
    assert coordinator_client.get(url).status_code == 200


def test_trainer_calendar_shows_only_own_runs(trainer_client, org, trainer):
    from ..factories import CourseRunFactory, SessionFactory

    mine = CourseRunFactory(organization=org, title="Mein Kurs", trainers=[trainer])
    other = CourseRunFactory(organization=org, title="Fremder Kurs")
    for run in (mine, other):
        SessionFactory(run=run, date=date(2026, 12, 2))
    html = trainer_client.get(reverse("trainings:calendar") + "?datum=2026-12-02").content.decode()
    assert "Mein Kurs" in html and "Fremder Kurs" not in html


def test_month_shows_a_few_sessions_a_day_and_links_the_rest_to_the_week(coordinator_client, org):
    from trainings.views.calendar import MONTH_ENTRIES_PER_DAY

    run = CourseRunFactory(organization=org, title="Voller Tag")
    for hour in range(MONTH_ENTRIES_PER_DAY + 3):
        SessionFactory(run=run, date=DAY, start_time=time(7 + hour), end_time=time(7 + hour, 30))
    html = coordinator_client.get(calendar_url(datum="2026-12-15")).content.decode()
    assert html.count("Voller Tag") == MONTH_ENTRIES_PER_DAY
    assert "+ 3 weitere Termine" in html
    assert f"?ansicht=woche&amp;datum={DAY.isoformat()}#tag-{DAY.isoformat()}" in html
    assert "07:00" in html and f"{7 + MONTH_ENTRIES_PER_DAY}:00" not in html  # earliest first
    # the week view behind the link shows them all
    week = coordinator_client.get(calendar_url(ansicht="woche", datum=DAY.isoformat()))
    assert week.content.decode().count("Voller Tag") == MONTH_ENTRIES_PER_DAY + 3
    assert "weitere Termine" not in week.content.decode()


def _busy_day(org, day, n, *, title="Voller Tag", trainers=(), room=None):
    run = CourseRunFactory(organization=org, title=title, trainers=list(trainers), location=room)
    for i in range(n):
        SessionFactory(run=run, date=day, start_time=time(7 + i % 12), end_time=time(19, 30))


def _month(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    days = {d.day: d for week in response.context["weeks"] for d in week}
    return days, ctx.captured_queries


def test_month_caps_each_day_and_counts_the_rest_at_two_sizes_in_the_same_queries(
    coordinator_client, org, other_org
):
    from trainings.views.calendar import MONTH_ENTRIES_PER_DAY as CAP

    second, third = DAY + timedelta(days=1), DAY + timedelta(days=2)
    url = calendar_url(datum=DAY.isoformat())
    _busy_day(org, DAY, 2)
    _busy_day(org, second, CAP + 2)
    _busy_day(other_org, second, 9, title="Fremd")  # another jobcenter's day is not counted
    days, small = _month(coordinator_client, url)
    assert [len(days[DAY].sessions), days[DAY].more] == [2, 0]
    assert [len(days[second].sessions), days[second].more] == [CAP, 2]

    _busy_day(org, second, 20)
    _busy_day(org, third, CAP + 1)
    _busy_day(org, DAY + timedelta(days=40), 3)  # beyond the weeks shown
    days, large = _month(coordinator_client, url)
    assert [len(days[DAY].sessions), days[DAY].more] == [2, 0]
    assert [len(days[second].sessions), days[second].more] == [CAP, 22]
    assert [len(days[third].sessions), days[third].more] == [CAP, 1]
    # a day's first ones by start time, the rest behind the link
    assert [s.start_time for s in days[second].sessions] == sorted(
        s.start_time for s in days[second].sessions
    )
    assert days[second].sessions[0].start_time == time(7)
    html = coordinator_client.get(url).content.decode()
    assert "+ 22 weitere Termine" in html and "+ 1 weiterer Termin" in html
    # the day as the date filter wrote it: its label, and the link's words for screen readers
    assert (
        '<span class="calendar-weekday">Do, </span>3.<span class="calendar-month">12.</span>'
        in html
    )
    assert "am Donnerstag, 3. Dezember (Wochenansicht)" in html
    assert f'id="tag-{second.isoformat()}"' in html
    assert len(large) == len(small)
    # the month's sessions come in one query that reads only those shown
    assert len([q for q in large if 'FROM "trainings_session"' in q["sql"]]) == 1


def test_a_trainers_month_counts_only_own_sessions_behind_the_link(trainer_client, org, trainer):
    from trainings.views.calendar import MONTH_ENTRIES_PER_DAY as CAP

    _busy_day(org, DAY, CAP + 1, title="Mein voller Tag", trainers=[trainer])
    _busy_day(org, DAY, 10, title="Fremder Kurs")
    days, _ = _month(trainer_client, calendar_url(datum=DAY.isoformat()))
    assert [len(days[DAY].sessions), days[DAY].more] == [CAP, 1]
    assert {s.title for s in days[DAY].sessions} == {"Mein voller Tag"}


def test_a_room_filter_counts_only_the_rooms_sessions(coordinator_client, org):
    from trainings.views.calendar import MONTH_ENTRIES_PER_DAY as CAP

    room, other = LocationFactory(organization=org), LocationFactory(organization=org)
    _busy_day(org, DAY, CAP + 3, room=room)
    _busy_day(org, DAY, 5, room=other)
    days, _ = _month(coordinator_client, calendar_url(datum=DAY.isoformat(), raum=room.pk))
    assert [len(days[DAY].sessions), days[DAY].more] == [CAP, 3]


def test_the_filters_choices_come_without_a_server_side_cursor(coordinator_client, org):
    TrainerFactory.create_batch(3, organization=org)
    with CaptureQueriesContext(connection) as ctx:
        html = coordinator_client.get(calendar_url(datum=DAY.isoformat())).content.decode()
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("DECLARE")]
    assert '<select name="trainer" class="form-select" id="id_trainer">' in html
    assert '<option value="" selected>alle</option>' in html


def test_entries_name_the_room_and_in_the_week_the_trainers(coordinator_client, org):
    own_room = LocationFactory(organization=org, name="Raum 1")
    runs_room = LocationFactory(organization=org, name="Raum des Kurses")
    zoe = TrainerFactory(organization=org, first_name="Zoe", last_name="Adler")
    bea = TrainerFactory(organization=org, first_name="Bea", last_name="Zander")
    run = CourseRunFactory(organization=org, location=runs_room, trainers=[bea, zoe])
    SessionFactory(run=run, date=DAY, start_time=time(9), end_time=time(12, 30))
    SessionFactory(run=run, date=DAY + timedelta(days=1), location=own_room)
    CourseRunFactory(organization=org, title="Ohne Raum", location=None)
    SessionFactory(run=CourseRun.objects.get(title="Ohne Raum"), date=DAY)
    week = coordinator_client.get(calendar_url(ansicht="woche", datum=DAY.isoformat()))
    days = {d.day: d for w in week.context["weeks"] for d in w}
    first, second = days[DAY].sessions, days[DAY + timedelta(days=1)].sessions
    assert [(e.title, e.room) for e in first] == [(run.title, "Raum des Kurses"), ("Ohne Raum", "")]
    assert first[0].time_span == "09:00–12:30" and second[0].room == "Raum 1"
    assert first[0].trainers == "Zoe Adler, Bea Zander"  # in the trainers' order, by surname
    html = week.content.decode()
    assert '<span class="calendar-trainers">Zoe Adler, Bea Zander</span>' in html
    month = coordinator_client.get(calendar_url(datum=DAY.isoformat())).content.decode()
    assert "calendar-trainers" not in month and "Raum des Kurses" in month


def test_the_link_to_a_busy_days_rest_in_english(coordinator_client, org):
    from trainings.views.calendar import MONTH_ENTRIES_PER_DAY as CAP

    _busy_day(org, DAY, CAP + 2)
    coordinator_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = coordinator_client.get(calendar_url(datum=DAY.isoformat())).content.decode()
    assert "+ 2 more sessions" in html and "on Wednesday, 2. December (week view)" in html
    assert '<span class="calendar-weekday">Wed, </span>2.' in html


def test_my_sessions_pages_the_upcoming_and_shows_the_newest_past_ones(
    trainer_client, trainer, org
):
    from trainings.selectors import MY_RECENT_SHOWN, MY_UPCOMING_PER_PAGE

    today = timezone.localdate()
    run = CourseRunFactory(organization=org, title="Lang", trainers=[trainer])
    ahead = [
        SessionFactory(run=run, date=today + timedelta(days=k), note=f"vorn {k}")
        for k in range(MY_UPCOMING_PER_PAGE + 2)
    ]
    past = [
        SessionFactory(run=run, date=today - timedelta(days=k), note=f"zurück {k}")
        for k in range(1, MY_RECENT_SHOWN + 3)
    ]
    SessionFactory(run=run, date=today - timedelta(days=40), note="zu alt")
    url = reverse("trainings:my_sessions")

    first = trainer_client.get(url)
    assert first.context["upcoming"] == ahead[:MY_UPCOMING_PER_PAGE]
    assert first.context["recent"] == past[:MY_RECENT_SHOWN]  # newest first
    html = first.content.decode()
    assert "zu alt" not in html and f"zurück {MY_RECENT_SHOWN + 1}" not in html
    older = past[MY_RECENT_SHOWN - 1].date.isoformat()
    assert f"?meine=1&amp;datum={older}" in html and "Frühere Termine im Kalender" in html
    assert "?&amp;page=2" in html and f'href="/durchgaenge/{run.pk}/"' in html

    second = trainer_client.get(url + "?page=2")
    assert second.context["upcoming"] == ahead[MY_UPCOMING_PER_PAGE:]
    assert second.context["recent"] == [] and "recent-heading" not in second.content.decode()


def test_my_sessions_queries_do_not_grow_with_the_sessions_shown(trainer_client, trainer, org):
    today = timezone.localdate()
    url = reverse("trainings:my_sessions")

    def sessions(n):
        for k in range(n):
            run = CourseRunFactory(
                organization=org, trainers=[trainer, TrainerFactory(organization=org)]
            )
            SessionFactory(
                run=run, date=today + timedelta(days=k), modules=[catalogue_module("bewegung")]
            )
            SessionFactory(run=run, date=today - timedelta(days=k + 1))

    sessions(1)
    small = _count_queries(trainer_client, url)
    sessions(30)
    assert _count_queries(trainer_client, url) == small
    assert _count_queries(trainer_client, url + "?page=3") <= small


# The month kept rendered under the runs' revision -------------------------------------------


def _grid(client, url) -> str:
    page = client.get(url).content.decode()
    return page[page.index('class="calendar-grid') :]


def test_the_month_is_read_from_the_cache_and_every_change_shows_at_once(
    coordinator_client, org, run
):
    from trainings import services

    url = calendar_url(datum=DAY.isoformat())
    assert "AktivA Winter" in _grid(coordinator_client, url)
    with CaptureQueriesContext(connection) as queries:
        _grid(coordinator_client, url)
    assert not any("trainings_session" in q["sql"] for q in queries), "read from the cache"

    CourseRun.objects.filter(pk=run.pk).update(title="AktivA Neujahr")  # no save(), no signal
    assert "AktivA Neujahr" in _grid(coordinator_client, url)
    room = LocationFactory(organization=org, name="Saal Elbe")
    run.sessions.filter(date=DAY).update(location=room)
    assert "Saal Elbe" in _grid(coordinator_client, url)
    room.name = "Saal Oder"
    room.save()
    assert "Saal Oder" in _grid(coordinator_client, url)
    held = run.sessions.get(date=DAY)
    services.session_set_cancelled(session=held, cancelled=True)
    assert "calendar-entry cancelled" in _grid(coordinator_client, url)


def test_a_trainers_month_never_comes_from_a_coordinators(coordinator_client, trainer_client, org):
    url = calendar_url(datum=DAY.isoformat())
    SessionFactory(run=CourseRunFactory(organization=org, title="Fremder Kurs"), date=DAY)
    assert "Fremder Kurs" in _grid(coordinator_client, url)  # cached for the coordinator
    assert "Fremder Kurs" not in _grid(trainer_client, url)


def test_another_organizations_change_keeps_our_month_and_a_filter_has_its_own(
    coordinator_client, org, other_org, run
):
    url = calendar_url(datum=DAY.isoformat())
    _grid(coordinator_client, url)
    SessionFactory(run=CourseRunFactory(organization=other_org, title="Leipziger Kurs"), date=DAY)
    with CaptureQueriesContext(connection) as queries:
        grid = _grid(coordinator_client, url)
    assert "Leipziger Kurs" not in grid
    assert not any("trainings_session" in q["sql"] for q in queries)
    room = LocationFactory(organization=org, name="Leerer Raum")
    filtered = _grid(coordinator_client, calendar_url(datum=DAY.isoformat(), raum=room.pk))
    assert "AktivA Winter" not in filtered
