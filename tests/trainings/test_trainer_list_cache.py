"""The trainer list's rows, kept rendered in the cache under a key made of the rows' values:
every change to what a row shows is on the list at once (the account's name and the day a
qualification starts too), another organization's trainers never appear, and without Redis
the list still works."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from trainings.models import Trainer
from trainings.views import masterdata

from ..caching import queries
from ..factories import TrainerFactory, UserFactory

URL = reverse("trainings:trainer_list")


@pytest.fixture
def rendered(monkeypatch):
    """How often the rows were rendered (a cache miss) rather than read from the cache."""
    calls = []
    render = masterdata.render_to_string

    def counting(template, context=None, *args, **kwargs):
        if template == "trainings/partials/trainer_rows.html":
            calls.append(template)
        return render(template, context, *args, **kwargs)

    monkeypatch.setattr(masterdata, "render_to_string", counting)
    return calls


@pytest.fixture
def listed(org):
    return TrainerFactory(
        organization=org,
        first_name="Paula",
        last_name="Peters",
        email="paula@example.org",
        phone="0351 111",
        qualified_on=date(2021, 3, 4),
        user=UserFactory(username="ppeters"),
    )


def _rows(client) -> str:
    """The rows, or the page's main part where there are none."""
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    if "<tbody>" not in page:
        return page[page.index("<main") :]
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_the_rows_are_read_from_the_cache_until_something_changes(
    coordinator_client, listed, rendered
):
    first = _rows(coordinator_client)
    for text in ["Peters, Paula", "paula@example.org", "0351 111", "ppeters", "seit 04.03.2021"]:
        assert text in first
    assert len(rendered) == 1
    assert _rows(coordinator_client) == first and len(rendered) == 1  # read, not rendered


def _unlink(trainer):
    Trainer.objects.filter(pk=trainer.pk).update(user=None)


CHANGES = {
    "rename": (
        lambda t: Trainer.objects.filter(pk=t.pk).update(last_name="Paulsen"),
        "Paulsen, Paula",
        "Peters",
    ),
    "e-mail": (
        lambda t: Trainer.objects.filter(pk=t.pk).update(email="pp@example.org"),
        "pp@example.org",
        "paula@example.org",
    ),
    "phone": (
        lambda t: Trainer.objects.filter(pk=t.pk).update(phone=""),
        "paula@example.org",
        "0351 111",
    ),
    "inactive": (
        lambda t: Trainer.objects.filter(pk=t.pk).update(is_active=False),
        "nicht aktiv",
        None,
    ),
    "qualification planned": (
        lambda t: Trainer.objects.filter(pk=t.pk).update(
            qualified_on=timezone.localdate() + timedelta(days=3)
        ),
        "Qualifizierung geplant",
        "seit 04.03.2021",
    ),
    "qualification gone": (
        lambda t: Trainer.objects.filter(pk=t.pk).update(qualified_on=None),
        "nicht qualifiziert",
        "seit 04.03.2021",
    ),
    "account renamed": (
        lambda t: User.objects.filter(pk=t.user_id).update(username="paula.peters"),
        "paula.peters",
        "ppeters",
    ),
    "account unlinked": (_unlink, "–", "ppeters"),
    "new trainer": (
        lambda t: TrainerFactory(organization=t.organization, last_name="Neumann"),
        "Neumann",
        None,
    ),
    "deleted": (
        lambda t: Trainer.objects.filter(pk=t.pk).delete(),
        "Keine Trainer/innen gefunden",
        "Peters",
    ),
}


@pytest.mark.parametrize("name", CHANGES)
def test_each_kind_of_change_shows_on_the_cached_rows_at_once(coordinator_client, listed, name):
    change, shown, gone = CHANGES[name]
    before = _rows(coordinator_client)
    assert "nicht aktiv" not in before and "<br>0351 111" in before
    change(listed)
    after = _rows(coordinator_client)
    assert shown in after
    if gone:
        assert gone not in after


def test_a_qualification_that_starts_today_shows_without_any_change(
    coordinator_client, listed, monkeypatch
):
    """`is_qualified` turns with the date: the row's key has it."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    Trainer.objects.filter(pk=listed.pk).update(qualified_on=tomorrow)
    assert "Qualifizierung geplant" in _rows(coordinator_client)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    rows = _rows(coordinator_client)
    assert "Qualifizierung geplant" not in rows and f"seit {tomorrow:%d.%m.%Y}" in rows


def test_another_organizations_trainers_never_show(
    coordinator_client, outsider_client, listed, other_org
):
    theirs = TrainerFactory(organization=other_org, first_name="Paula", last_name="Peters")
    ours = _rows(coordinator_client)
    assert theirs.get_absolute_url() not in ours and listed.get_absolute_url() in ours
    page = _rows(outsider_client)
    assert theirs.get_absolute_url() in page and listed.get_absolute_url() not in page
    assert "ppeters" not in page


def test_a_trainer_never_gets_the_coordinators_rows(coordinator_client, trainer_client, listed):
    _rows(coordinator_client)
    assert trainer_client.get(URL).status_code == 403


def test_the_rows_are_kept_per_language(coordinator_client, listed):
    Trainer.objects.filter(pk=listed.pk).update(is_active=False)
    assert "nicht aktiv" in _rows(coordinator_client)
    coordinator_client.cookies["django_language"] = "en"
    english = coordinator_client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "nicht aktiv" not in english


def test_the_list_works_without_the_cache(coordinator_client, listed, cache_gone):
    assert "Peters, Paula" in _rows(coordinator_client)


def _count(client, url):
    return queries(client, url)


def test_cached_and_uncached_rows_run_the_same_few_queries(coordinator_client, org):
    TrainerFactory(organization=org, user=UserFactory())
    few = [_count(coordinator_client, URL) for _ in range(2)]
    for _ in range(30):
        TrainerFactory(organization=org, user=UserFactory())
    assert [_count(coordinator_client, URL) for _ in range(2)] == few
    assert few[0] == few[1] <= 4  # the cache needs no query of its own
