"""Standing users per role, as in healthchecks: a coordinator and a trainer of one
jobcenter, and an outsider (a coordinator of another jobcenter)."""

import pytest
from django.test import Client

from aktiva.models import Membership

from .factories import MembershipFactory, OrganizationFactory, TrainerFactory, UserFactory

pytest_plugins = ["tests.s3"]


@pytest.fixture(autouse=True, scope="session")
def _cache_of_earlier_runs():
    """The shared cache (Redis in CI) outlives a test run: rate-limit counts of the run
    before (password resets, wrong feedback codes) would lock this run's requests out.
    Emptied once, before anything of this run is in it."""
    from django.core.cache import caches

    caches["default"].clear()


@pytest.fixture(autouse=True)
def _cache_of_earlier_tests(settings):
    """On SQLite a test's rolled-back rows give their ids to the next test's (the sequence
    rolls back with them), and an organization's revisions start again: values cached under
    (organization, revision) by the test before would be found for other rows. PostgreSQL's
    sequences never give an id twice, so there the cache is emptied once per run."""
    if "sqlite" in settings.DATABASES["default"]["ENGINE"]:
        from django.core.cache import caches

        caches["default"].clear()


@pytest.fixture(autouse=True)
def _celery_eager(settings):
    """Tasks run in-process in tests; tests/e2e starts a real worker where it is needed."""
    from aktiva.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = False
    yield


@pytest.fixture(autouse=True)
def _language_back_to_german():
    """A request in English leaves English active in the test's thread (LocaleMiddleware
    does not reset it), so a service called directly in a later test would answer in
    English."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def org(db):
    return OrganizationFactory(name="Jobcenter Dresden", federal_state="SN")


@pytest.fixture
def other_org(db):
    return OrganizationFactory(name="Jobcenter Leipzig", federal_state="SN")


@pytest.fixture
def coordinator(org):
    user = UserFactory(username="koordination", first_name="Karla", last_name="Koordinatorin")
    MembershipFactory(user=user, organization=org, role=Membership.Role.COORDINATOR)
    return user


@pytest.fixture
def trainer_user(org):
    user = UserFactory(username="trainerin", first_name="Tina", last_name="Trainerin")
    MembershipFactory(user=user, organization=org, role=Membership.Role.TRAINER)
    return user


@pytest.fixture
def trainer(org, trainer_user):
    """The Trainer profile of `trainer_user`."""
    return TrainerFactory(
        organization=org, user=trainer_user, first_name="Tina", last_name="Trainerin"
    )


@pytest.fixture
def outsider(other_org):
    user = UserFactory(username="fremd", first_name="Frank", last_name="Fremd")
    MembershipFactory(user=user, organization=other_org, role=Membership.Role.COORDINATOR)
    return user


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator_client(coordinator):
    return _client_for(coordinator)


@pytest.fixture
def trainer_client(trainer_user, trainer):
    return _client_for(trainer_user)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def anonymous_client():
    return Client()


@pytest.fixture(autouse=True)
def shipped_data(request):
    """The module catalogue and questionnaires that migrations ship. A transactional test
    empties the tables when it ends, so each of them loads them again (idempotent)."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    import importlib

    from django.apps import apps

    request.getfixturevalue("transactional_db")
    for module in ("trainings.migrations.0002_module_catalogue",
                   "feedback.migrations.0002_default_questionnaires"):  # fmt: skip
        importlib.import_module(module).load(apps, None)


def login(client: Client, username: str, password: str) -> bool:
    """Log in through the authentication backends (django-axes needs the request)."""
    from django.http import HttpRequest

    return client.login(request=HttpRequest(), username=username, password=password)


@pytest.fixture
def cache_gone(monkeypatch):
    """Redis unreachable: every read and write of the shared cache raises."""
    from aktiva import revisions

    def gone(*args, **kwargs):
        raise ConnectionError("redis is gone")

    monkeypatch.setattr(revisions.cache, "get", gone)
    monkeypatch.setattr(revisions.cache, "set", gone)
