""" "Meine Termine" keeps its session cards rendered under the organization's RunsRevision:
every change to what a card shows is on the page at once, a trainer never gets another
trainer's cards, another organization's changes keep ours, and without Redis the page works."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aktiva.models import Membership
from trainings import selectors, services
from trainings.models import CourseRun, Location, Module, RunsRevision, Session, Trainer

from ..caching import queries, revision_of
from ..factories import (
    CourseRunFactory,
    LocationFactory,
    MembershipFactory,
    SessionFactory,
    TrainerFactory,
    UserFactory,
    catalogue_module,
)

URL = reverse("trainings:my_sessions")


def _revision(org) -> int:
    return revision_of(RunsRevision, org)


@pytest.fixture
def rendered(monkeypatch):
    """The sessions whose cards were rendered (a cache miss), one list per miss."""
    calls = []
    cards = selectors.my_session_cards

    def counting(trainer, order):
        calls.append(list(order))
        return cards(trainer, order)

    monkeypatch.setattr(selectors, "my_session_cards", counting)
    return calls


@pytest.fixture
def own_module(org):
    return Module.objects.create(
        organization=org, code="entspannung", name="Entspannung", position=9
    )


@pytest.fixture
def my_run(org, trainer, own_module):
    """A run of the standing trainer and a colleague, a session ahead and one just past."""
    today = timezone.localdate()
    colleague = TrainerFactory(organization=org, first_name="Conny", last_name="Kollegin")
    room = LocationFactory(organization=org, name="Saal Elbe", street="Am Ufer 1")
    run = CourseRunFactory(
        organization=org, title="Frühjahrskurs", trainers=[trainer, colleague], location=room
    )
    SessionFactory(
        run=run,
        date=today + timedelta(days=2),
        modules=[catalogue_module("aktivitaetenplanung"), own_module],
        note="Flipchart mitbringen",
    )
    SessionFactory(run=run, date=today - timedelta(days=3))
    return run


def _sessions(client) -> str:
    """The page's session part (coming and past), as rendered."""
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('id="upcoming-heading"') : page.index('id="ical-heading"')]


def test_the_sessions_modules_raise_the_revision_a_catalogue_module_every_organizations(
    org, other_org, my_run, own_module
):
    """The database raises it, whichever way a row changes: add(), update(), delete()."""
    theirs = _revision(other_org)
    session = my_run.sessions.order_by("date").last()
    changes = [
        lambda: session.modules.add(catalogue_module("bewegung")),
        lambda: session.modules.remove(own_module),
        lambda: session.modules.clear(),
        lambda: Module.objects.filter(pk=own_module.pk).update(name="Ruhe finden"),
        lambda: Module.objects.create(organization=org, code="neu", name="Neu", position=10),
        lambda: Module.objects.filter(organization=org, code="neu").delete(),
    ]
    for change in changes:
        before = _revision(org)
        change()
        assert _revision(org) > before
    assert _revision(other_org) == theirs

    both = _revision(org), _revision(other_org)
    Module.objects.filter(organization=None, code="bewegung").update(name="Bewegung und Sport")
    assert _revision(org) > both[0] and _revision(other_org) > both[1]


def test_the_cards_are_read_from_the_cache_until_something_changes(
    trainer_client, my_run, rendered
):
    first = _sessions(trainer_client)
    for text in ["Frühjahrskurs", "Saal Elbe", "Am Ufer 1", "Conny Kollegin", "Entspannung"]:
        assert text in first
    assert "Aktivitätenplanung" in first and "Flipchart mitbringen" in first
    assert len(rendered) == 1
    with CaptureQueriesContext(connection) as queries:
        again = _sessions(trainer_client)
    assert again == first and len(rendered) == 1  # read, not rendered
    assert not any("trainings_session_modules" in q["sql"] for q in queries)


def _ahead(run) -> Session:
    return run.sessions.filter(date__gte=timezone.localdate()).get()


def _rename_run(run, trainer):
    run.title = "Herbstkurs"
    run.save()


def _new_room(run, trainer):
    room = LocationFactory(organization=run.organization, name="Saal Oder", directions="Hof")
    Session.objects.filter(pk=_ahead(run).pk).update(location=room)


CHANGES = {
    "rename run": (_rename_run, "Herbstkurs", "Frühjahrskurs"),
    "cancel run": (
        lambda run, trainer: CourseRun.objects.filter(pk=run.pk).update(
            status=CourseRun.Status.CANCELLED
        ),
        "border-danger",
        None,
    ),
    "cancel session": (
        lambda run, trainer: services.session_set_cancelled(session=_ahead(run), cancelled=True),
        "border-danger",
        None,
    ),
    "move session": (
        lambda run, trainer: Session.objects.filter(pk=_ahead(run).pk).update(
            start_time=time(13, 15), end_time=time(16, 45)
        ),
        "13:15–16:45",
        None,  # the past session is at 09:00 still
    ),
    "change note": (
        lambda run, trainer: Session.objects.filter(pk=_ahead(run).pk).update(note="Beamer da"),
        "Beamer da",
        "Flipchart mitbringen",
    ),
    "session's own room": (_new_room, "Saal Oder, Budapester Straße 30", None),
    "rename room": (
        lambda run, trainer: Location.objects.filter(pk=run.location_id).update(
            name="Saal Neiße", street="Am Hang 2", directions="3. Stock"
        ),
        "Saal Neiße, Am Hang 2",
        "Saal Elbe",
    ),
    "rename colleague": (
        lambda run, trainer: Trainer.objects.filter(last_name="Kollegin").update(last_name="Kluge"),
        "Conny Kluge",
        "Conny Kollegin",
    ),
    "add colleague": (
        lambda run, trainer: run.trainers.add(
            TrainerFactory(organization=run.organization, first_name="Udo", last_name="Ulm")
        ),
        "Udo Ulm",
        None,
    ),
    "remove colleague": (
        lambda run, trainer: run.trainers.remove(Trainer.objects.get(last_name="Kollegin")),
        "allein",
        "Conny Kollegin",
    ),
    "add module": (
        lambda run, trainer: _ahead(run).modules.add(catalogue_module("bewegung")),
        "Bewegung",
        None,
    ),
    "remove module": (
        lambda run, trainer: _ahead(run).modules.remove(catalogue_module("aktivitaetenplanung")),
        "Entspannung",
        "Aktivitätenplanung",
    ),
    "rename own module": (
        lambda run, trainer: Module.objects.filter(code="entspannung").update(name="Ruhe finden"),
        "Ruhe finden",
        "Entspannung",
    ),
    "rename catalogue module": (
        lambda run, trainer: Module.objects.filter(
            organization=None, code="aktivitaetenplanung"
        ).update(name="Den Tag planen"),
        "Den Tag planen",
        "Aktivitätenplanung",
    ),
    "new session": (
        lambda run, trainer: SessionFactory(
            run=run, date=timezone.localdate() + timedelta(days=5), note="Neuer Termin"
        ),
        "Neuer Termin",
        None,
    ),
    "delete session": (
        lambda run, trainer: _ahead(run).delete(),
        "Zurzeit sind keine Termine",
        "Flipchart mitbringen",
    ),
    "session no longer mine": (
        lambda run, trainer: run.trainers.remove(trainer),
        "Zurzeit sind keine Termine",
        "Frühjahrskurs",
    ),
}


@pytest.mark.parametrize("name", CHANGES)
def test_each_kind_of_change_shows_on_the_cached_cards_at_once(
    trainer_client, my_run, trainer, name
):
    change, shown, gone = CHANGES[name]
    before = _sessions(trainer_client)
    assert "Frühjahrskurs" in before and "09:00–12:30" in before
    assert "border-danger" not in before and "allein" not in before
    change(my_run, trainer)
    after = _sessions(trainer_client)
    assert shown in after
    if gone:
        assert gone not in after


def test_a_trainer_never_gets_another_trainers_cards(org, my_run, trainer_client, rendered):
    """Two trainers of the same run see the same sessions, each with the other named."""
    user = UserFactory(username="conny")
    MembershipFactory(user=user, organization=org, role=Membership.Role.TRAINER)
    Trainer.objects.filter(last_name="Kollegin").update(user=user)
    from django.test import Client

    colleague_client = Client()
    colleague_client.force_login(user)
    mine = _sessions(trainer_client)
    theirs = _sessions(colleague_client)
    assert "Conny Kollegin" in mine and "Tina Trainerin" not in mine
    assert "Tina Trainerin" in theirs and "Conny Kollegin" not in theirs
    assert len(rendered) == 2


def test_another_organizations_changes_leave_our_cached_cards(
    trainer_client, my_run, other_org, rendered
):
    ours = _sessions(trainer_client)
    revision = _revision(my_run.organization)
    theirs = CourseRunFactory(organization=other_org, title="Leipziger Kurs")
    session = SessionFactory(run=theirs, date=timezone.localdate() + timedelta(days=1))
    session.modules.add(catalogue_module("bewegung"))
    Module.objects.create(organization=other_org, code="entspannung", name="Anders", position=1)
    Trainer.objects.filter(organization=other_org).update(last_name="X")
    assert _sessions(trainer_client) == ours and len(rendered) == 1
    assert _revision(my_run.organization) == revision


def test_the_cards_are_kept_per_language(trainer_client, my_run):
    assert "Aktivitätenplanung" in _sessions(trainer_client)
    trainer_client.cookies["django_language"] = "en"
    english = trainer_client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Activity planning" in english and "Aktivitätenplanung" not in english


def test_the_page_works_without_the_cache(trainer_client, my_run, cache_gone):
    page = _sessions(trainer_client)
    assert "Frühjahrskurs" in page and "Entspannung" in page


def _count(client, url):
    return queries(client, url)


def test_cached_and_uncached_pages_run_constant_queries(trainer_client, org, trainer):
    today = timezone.localdate()

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
    small = [_count(trainer_client, url) for url in (URL, URL)]
    assert small[1] < small[0]  # read from the cache: the cards' three queries are spared
    sessions(30)
    assert [_count(trainer_client, url) for url in (URL, URL)] == small[:2]
    later = [_count(trainer_client, url) for url in (URL + "?page=3",) * 2]
    assert later[0] <= small[0] and later[1] <= small[1]  # no past sessions after page 1
