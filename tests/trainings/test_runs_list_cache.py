"""The runs list's rows, kept rendered in the cache under the organization's RunsRevision:
every change to what a row shows is on the list at once, nothing of another organization
or of a run a trainer does not lead is ever shown, and without Redis the list still works."""

from datetime import date

import pytest
from django.urls import reverse

from trainings import selectors, services
from trainings.models import CourseRun, Location, RunsRevision, Session, Trainer

from ..caching import queries, revision_of
from ..factories import CourseRunFactory, LocationFactory, SessionFactory, TrainerFactory

URL = reverse("trainings:run_list")


def _revision(org) -> int:
    return revision_of(RunsRevision, org)


@pytest.fixture
def rendered(monkeypatch):
    """How often the rows were rendered (a cache miss) rather than read from the cache."""
    calls = []
    listed = selectors.runs_listed

    def counting(order):
        calls.append(list(order))
        return listed(order)

    monkeypatch.setattr(selectors, "runs_listed", counting)
    return calls


@pytest.fixture
def listed_run(org, trainer):
    run = CourseRunFactory(
        organization=org,
        title="Frühjahrskurs",
        trainers=[trainer],
        location=LocationFactory(organization=org, name="Saal Elbe"),
    )
    SessionFactory(run=run, date=date(2026, 3, 2))
    SessionFactory(run=run, date=date(2026, 3, 9))
    return run


def _page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def _rows(page: str) -> str:
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_every_change_to_what_the_list_shows_raises_only_its_organizations_revision(
    org, other_org, listed_run, trainer
):
    """The database raises it, whichever way a row changes: save(), update(), delete()."""
    theirs_run = CourseRunFactory(
        organization=other_org, trainers=[TrainerFactory(organization=other_org)]
    )
    SessionFactory(run=theirs_run)
    theirs = _revision(other_org)
    session = listed_run.sessions.first()
    changes = [
        lambda: CourseRun.objects.filter(pk=listed_run.pk).update(title="Umbenannt"),
        lambda: Session.objects.filter(pk=session.pk).update(date=date(2026, 3, 3)),
        lambda: Session.objects.filter(pk=session.pk).update(is_cancelled=True),
        lambda: SessionFactory(run=listed_run, date=date(2026, 4, 1)),
        lambda: Session.objects.filter(run=listed_run, date=date(2026, 4, 1)).delete(),
        lambda: Location.objects.filter(pk=listed_run.location_id).update(name="Saal Neiße"),
        lambda: Trainer.objects.filter(pk=trainer.pk).update(last_name="Neu"),
        lambda: listed_run.trainers.add(TrainerFactory(organization=org)),
        lambda: listed_run.trainers.remove(trainer),
        lambda: LocationFactory(organization=org),
    ]
    for change in changes:
        before = _revision(org)
        change()
        assert _revision(org) > before
    assert _revision(other_org) == theirs


def test_the_list_is_read_from_the_cache_until_something_changes(
    coordinator_client, listed_run, rendered
):
    first = _page(coordinator_client)
    assert "Frühjahrskurs" in first and "Saal Elbe" in first and len(rendered) == 1
    again = _page(coordinator_client)
    assert _rows(again) == _rows(first) and len(rendered) == 1  # read, not rendered


@pytest.mark.parametrize(
    "change, shown, gone",
    [
        (lambda run, trainer: services_rename(run), "Herbstkurs", "Frühjahrskurs"),
        (
            lambda run, trainer: Session.objects.filter(run=run, date=date(2026, 3, 2)).update(
                date=date(2026, 2, 23)
            ),
            "23.02.2026",
            "02.03.2026",
        ),
        (lambda run, trainer: _cancel_first_session(run), "09.03.2026–09.03.2026", "02.03.2026"),
        (
            lambda run, trainer: Location.objects.filter(pk=run.location_id).update(
                name="Saal Neiße"
            ),
            "Saal Neiße",
            "Saal Elbe",
        ),
        (
            lambda run, trainer: run.trainers.add(
                TrainerFactory(organization=run.organization, first_name="Udo", last_name="Ulm")
            ),
            "Udo Ulm",
            None,
        ),
        (lambda run, trainer: run.trainers.remove(trainer), "fehlen", "Tina Trainerin"),
        (
            lambda run, trainer: Trainer.objects.filter(pk=trainer.pk).update(last_name="Tanner"),
            "Tina Tanner",
            "Tina Trainerin",
        ),
    ],
    ids=[
        "rename run",
        "move session",
        "cancel session",
        "rename room",
        "assign trainer",
        "unassign trainer",
        "rename trainer",
    ],
)
def test_each_kind_of_change_shows_on_the_cached_list_at_once(
    coordinator_client, listed_run, trainer, rendered, change, shown, gone
):
    before = _page(coordinator_client)
    assert "Frühjahrskurs" in before and "02.03.2026–09.03.2026" in before
    assert "Saal Elbe" in before and "Tina Trainerin" in before
    change(listed_run, trainer)
    after = _rows(_page(coordinator_client))
    assert shown in after
    if gone:
        assert gone not in after
    assert len(rendered) == 2


def services_rename(run):
    run.title = "Herbstkurs"
    run.save()


def _cancel_first_session(run):
    session = run.sessions.get(date=date(2026, 3, 2))
    services.session_set_cancelled(session=session, cancelled=True)


def test_another_organizations_changes_leave_our_cached_rows(
    coordinator_client, listed_run, other_org, rendered
):
    _page(coordinator_client)
    ours = _revision(listed_run.organization)
    theirs = CourseRunFactory(organization=other_org, title="Leipziger Kurs")
    SessionFactory(run=theirs)
    Trainer.objects.filter(organization=other_org).update(last_name="X")
    Location.objects.filter(organization=other_org).update(name="Anderswo")
    page = _page(coordinator_client)
    assert _revision(listed_run.organization) == ours and len(rendered) == 1
    assert "Leipziger Kurs" not in page and "Anderswo" not in page


def test_a_trainers_cached_page_shows_only_the_runs_they_lead(
    coordinator_client, trainer_client, org, trainer, listed_run, rendered
):
    """The coordinator's page (all runs) is in the cache; the trainer's page has rows of
    their own runs only, and a run taken from them leaves it at once."""
    CourseRunFactory(organization=org, title="Fremder Kurs")
    assert "Fremder Kurs" in _page(coordinator_client)
    page = _page(trainer_client)
    assert "Frühjahrskurs" in page and "Fremder Kurs" not in page
    listed_run.trainers.remove(trainer)
    page = _page(trainer_client)
    assert "Frühjahrskurs" not in page and "Keine Durchgänge gefunden" in page


def test_the_rows_are_kept_per_language(coordinator_client, listed_run):
    CourseRunFactory(organization=listed_run.organization, title="Ohne Termine")
    assert "noch keine Termine" in _page(coordinator_client)
    coordinator_client.cookies["django_language"] = "en"
    english = coordinator_client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "noch keine Termine" not in english


def test_the_list_works_without_the_cache(coordinator_client, listed_run, cache_gone):
    page = _page(coordinator_client)
    assert "Frühjahrskurs" in page and "Saal Elbe" in page


def _count(client, url):
    return queries(client, url)


def test_cached_and_uncached_pages_run_constant_queries(coordinator_client, org, trainer):
    def runs(n):
        for _ in range(n):
            SessionFactory(run=CourseRunFactory(organization=org, trainers=[trainer]))

    filtered = URL + f"?trainer={trainer.pk}&status=draft"
    runs(3)
    small = [_count(coordinator_client, url) for url in (URL, URL, filtered, filtered)]
    assert small[1] < small[0]  # read from the cache: the rows' two queries are spared
    runs(40)
    assert [_count(coordinator_client, url) for url in (URL, URL, filtered, filtered)] == small


def _filter(page: str) -> str:
    start = page.index('<form method="get"')
    return page[start : page.index("</form>", start)]


def test_the_cached_filter_shows_what_was_typed_and_every_trainer_at_once(
    coordinator_client, org, trainer, listed_run
):
    """The filter form is kept rendered too: what was typed (and its errors) is part of its
    key, and its trainers change with the revision."""
    url = URL + "?q=Fr%C3%BChjahr&period_from=2026-03-10&period_to=2026-03-01"
    typed = _filter(coordinator_client.get(url).content.decode())
    assert 'value="Frühjahr"' in typed and "Das Ende des Zeitraums" in typed
    assert "Das Ende des Zeitraums" not in _filter(_page(coordinator_client))
    assert 'value="Frühjahr"' not in _filter(_page(coordinator_client))
    assert "Tina Trainerin" in _filter(_page(coordinator_client))
    Trainer.objects.filter(pk=trainer.pk).update(last_name="Tanner")
    TrainerFactory(organization=org, first_name="Udo", last_name="Ulm")
    shown = _filter(_page(coordinator_client))
    assert "Tina Tanner" in shown and "Tina Trainerin" not in shown and "Udo Ulm" in shown
    chosen = _filter(coordinator_client.get(URL + f"?trainer={trainer.pk}").content.decode())
    assert f'<option value="{trainer.pk}" selected>' in chosen
