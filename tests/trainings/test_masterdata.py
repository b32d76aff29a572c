"""Trainers, modules and locations: access per role, saving, bad input."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from aktiva.models import AuditLogEntry, Membership
from trainings.models import Location, Module, Trainer

from ..factories import (
    CourseRunFactory,
    LocationFactory,
    MembershipFactory,
    TrainerFactory,
    UserFactory,
    catalogue_module,
)


@pytest.fixture
def other_trainer(org):
    return TrainerFactory(organization=org, first_name="Otto", last_name="Ohnekonto", user=None)


@pytest.fixture
def own_module(org):
    return Module.objects.create(
        organization=org, code="bewerbung", name="Bewerbungswerkstatt", kind="workshop", position=90
    )


@pytest.fixture
def location(org):
    return LocationFactory(organization=org, name="Raum 2.14")


PAGES = [
    ("trainings:trainer_list", lambda o: []),
    ("trainings:trainer_create", lambda o: []),
    ("trainings:trainer_detail", lambda o: [o["trainer"].pk]),
    ("trainings:trainer_update", lambda o: [o["trainer"].pk]),
    ("trainings:module_list", lambda o: []),
    ("trainings:module_create", lambda o: []),
    ("trainings:module_update", lambda o: [o["module"].pk]),
    ("trainings:location_list", lambda o: []),
    ("trainings:location_create", lambda o: []),
    ("trainings:location_update", lambda o: [o["location"].pk]),
]
OBJECT_PAGES = [p for p in PAGES if p[0].endswith(("_detail", "_update"))]


@pytest.fixture
def objects(other_trainer, own_module, location):
    return {"trainer": other_trainer, "module": own_module, "location": location}


@pytest.mark.parametrize("name, args", PAGES)
def test_anonymous_is_sent_to_login(anonymous_client, objects, name, args):
    response = anonymous_client.get(reverse(name, args=args(objects)))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name, args", PAGES)
def test_trainer_gets_403(trainer_client, objects, name, args):
    assert trainer_client.get(reverse(name, args=args(objects))).status_code == 403


@pytest.mark.parametrize("name, args", OBJECT_PAGES)
def test_other_organization_gets_404(outsider_client, objects, name, args):
    assert outsider_client.get(reverse(name, args=args(objects))).status_code == 404


@pytest.mark.parametrize("name, args", PAGES)
def test_coordinator_sees_page(coordinator_client, objects, name, args):
    assert coordinator_client.get(reverse(name, args=args(objects))).status_code == 200


@pytest.mark.parametrize("name, args", OBJECT_PAGES)
def test_posts_of_trainer_and_outsider_change_nothing(
    trainer_client, outsider_client, objects, name, args
):
    if name.endswith("_detail"):
        return
    url = reverse(name, args=args(objects))
    assert trainer_client.post(url, {"name": "X", "first_name": "X"}).status_code == 403
    assert outsider_client.post(url, {"name": "X", "first_name": "X"}).status_code == 404
    for obj in objects.values():
        before = str(obj)
        obj.refresh_from_db()
        assert str(obj) == before


# --- trainers -------------------------------------------------------------------------------------


def trainer_data(**changes):
    data = {
        "first_name": "Paula",
        "last_name": "Peters",
        "email": "paula@example.org",
        "phone": "0351 555",
        "qualified_on": "2024-03-15",
        "certificate_reference": "AKT-2024-17",
        "is_active": "on",
        "user": "",
    }
    data.update(changes)
    return data


def test_coordinator_creates_trainer_with_account_of_own_organization(coordinator_client, org):
    user = UserFactory(username="paula")
    MembershipFactory(user=user, organization=org, role=Membership.Role.TRAINER)
    response = coordinator_client.post(
        reverse("trainings:trainer_create"), trainer_data(user=user.pk)
    )
    trainer = Trainer.objects.get(last_name="Peters")
    assert response.status_code == 302 and response.url == trainer.get_absolute_url()
    assert trainer.organization == org and trainer.user == user
    assert (
        trainer.qualified_on == date(2024, 3, 15) and trainer.certificate_reference == "AKT-2024-17"
    )
    assert trainer.is_assignable
    assert AuditLogEntry.objects.filter(object_id=str(trainer.pk), action="create").exists()


def test_account_of_other_organization_is_refused(coordinator_client, outsider):
    response = coordinator_client.post(
        reverse("trainings:trainer_create"), trainer_data(user=outsider.pk)
    )
    assert response.status_code == 200
    assert "Bitte wählen Sie ein Konto Ihrer Organisation." in response.content.decode()
    assert not Trainer.objects.filter(last_name="Peters").exists()


def test_account_already_linked_is_not_offered(
    coordinator_client, trainer, trainer_user, coordinator
):
    response = coordinator_client.get(reverse("trainings:trainer_create"))
    offered = list(response.context["form"].fields["user"].queryset)
    assert coordinator in offered and trainer_user not in offered
    # but it is offered on the trainer's own page
    response = coordinator_client.get(reverse("trainings:trainer_update", args=[trainer.pk]))
    assert trainer_user in response.context["form"].fields["user"].queryset


def test_bad_trainer_input_keeps_what_was_typed(coordinator_client):
    data = trainer_data(first_name="", email="keine-mail", qualified_on="31.02.2024")
    response = coordinator_client.post(reverse("trainings:trainer_create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte geben Sie den Vornamen an." in html
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an." in html
    assert "Bitte geben Sie ein Datum an" in html
    assert (
        'value="keine-mail"' in html and 'value="Peters"' in html and 'value="AKT-2024-17"' in html
    )
    assert not Trainer.objects.filter(last_name="Peters").exists()


def test_certificate_without_date_is_refused(coordinator_client):
    response = coordinator_client.post(
        reverse("trainings:trainer_create"), trainer_data(qualified_on="")
    )
    assert "Zu einem Nachweis gehört das Datum der Qualifizierung." in response.content.decode()
    assert not Trainer.objects.exists()


def test_deactivated_trainer_stays_on_past_runs(coordinator_client, org, other_trainer):
    run = CourseRunFactory(organization=org, trainers=[other_trainer], status="completed")
    data = trainer_data(first_name="Otto", last_name="Ohnekonto")
    del data["is_active"]
    response = coordinator_client.post(
        reverse("trainings:trainer_update", args=[other_trainer.pk]), data
    )
    assert response.status_code == 302
    other_trainer.refresh_from_db()
    assert not other_trainer.is_active and not other_trainer.is_assignable
    assert list(run.trainers.all()) == [other_trainer]
    page = coordinator_client.get(other_trainer.get_absolute_url()).content.decode()
    assert run.title in page and "nicht aktiv" in page


def test_trainer_list_filters(coordinator_client, org):
    future = timezone.localdate() + timedelta(days=30)
    TrainerFactory(organization=org, last_name="Aktivqualifiziert")
    TrainerFactory(organization=org, last_name="Inaktivqualifiziert", is_active=False)
    TrainerFactory(
        organization=org, last_name="Ohnequali", qualified_on=None, certificate_reference=""
    )
    TrainerFactory(organization=org, last_name="Baldquali", qualified_on=future)
    TrainerFactory(last_name="Fremdorganisation")
    url = reverse("trainings:trainer_list")

    def names(**params):
        return {t.last_name for t in coordinator_client.get(url, params).context["trainers"]}

    assert names() == {"Aktivqualifiziert", "Inaktivqualifiziert", "Ohnequali", "Baldquali"}
    assert names(aktiv="ja") == {"Aktivqualifiziert", "Ohnequali", "Baldquali"}
    assert names(aktiv="nein") == {"Inaktivqualifiziert"}
    assert names(qualifiziert="ja") == {"Aktivqualifiziert", "Inaktivqualifiziert"}
    assert names(qualifiziert="nein") == {"Ohnequali", "Baldquali"}
    assert names(aktiv="ja", qualifiziert="ja") == {"Aktivqualifiziert"}
    html = coordinator_client.get(url).content.decode()
    assert "nicht qualifiziert" in html and "Qualifizierung geplant" in html
    # each row links to the trainer's page; the filter keeps its choice, labelled
    for trainer in Trainer.objects.filter(organization=org):
        assert f'href="{trainer.get_absolute_url()}"' in html
    html = coordinator_client.get(url, {"aktiv": "nein", "qualifiziert": "x"}).content.decode()
    assert '<label class="form-label" for="id_aktiv">aktiv</label>' in html
    assert '<option value="nein" selected>nein</option>' in html
    assert (
        'aria-describedby="id_qualifiziert_error"' in html and 'id="id_qualifiziert_error"' in html
    )


def test_trainer_list_queries_do_not_grow(coordinator_client, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert coordinator_client.get(reverse("trainings:trainer_list")).status_code == 200
        return len(ctx)

    TrainerFactory(organization=org, user=UserFactory())
    few = count()
    for _ in range(30):
        TrainerFactory(organization=org, user=UserFactory())
    assert count() == few <= 4


def test_trainer_list_pages_and_keeps_the_filter(coordinator_client, org):
    from trainings.views.masterdata import TRAINERS_PER_PAGE

    for n in range(TRAINERS_PER_PAGE + 2):
        TrainerFactory(organization=org, last_name=f"Aktiv{n:02}", user=UserFactory())
    TrainerFactory(organization=org, last_name="Ruhend", is_active=False)
    url = reverse("trainings:trainer_list")

    first = coordinator_client.get(url, {"aktiv": "ja"})
    listed = [t.last_name for t in first.context["trainers"]]
    assert listed == [f"Aktiv{n:02}" for n in range(TRAINERS_PER_PAGE)]
    html = first.content.decode()
    # the pager keeps the filter, the rows link to the trainers and show their account
    assert "?aktiv=ja&amp;page=2" in html and "Seite 1<" in html
    trainer = first.context["trainers"][0]
    account = Trainer.objects.get(pk=trainer.pk).user.username
    assert f'href="{trainer.url}"' in html and trainer.username == account and account in html

    second = coordinator_client.get(url, {"aktiv": "ja", "page": "2"})
    assert [t.last_name for t in second.context["trainers"]] == [
        f"Aktiv{n:02}" for n in (TRAINERS_PER_PAGE, TRAINERS_PER_PAGE + 1)
    ]
    assert "?aktiv=ja&amp;page=1" in second.content.decode()
    assert "Ruhend" not in first.content.decode() + second.content.decode()


# --- modules --------------------------------------------------------------------------------------


def module_data(**changes):
    data = {
        "name": "Regionale Angebote",
        "code": "regional",
        "kind": "workshop",
        "position": "95",
        "default_units": "2",
        "description": "Beratungsstellen vor Ort",
    }
    data.update(changes)
    return data


def test_module_list_shows_catalogue_and_own_modules(coordinator_client, own_module, other_org):
    Module.objects.create(organization=other_org, code="fremd", name="Fremdes Modul", position=1)
    response = coordinator_client.get(reverse("trainings:module_list"))
    html = response.content.decode()
    assert "Aktivitätenplanung" in html and own_module.name in html and "Fremdes Modul" not in html
    assert reverse("trainings:module_update", args=[own_module.pk]) in html
    catalogue_pk = catalogue_module("aktivitaetenplanung").pk
    assert reverse("trainings:module_update", args=[catalogue_pk]) not in html


def test_coordinator_creates_and_edits_own_module(coordinator_client, org):
    response = coordinator_client.post(reverse("trainings:module_create"), module_data())
    assert response.status_code == 302
    module = Module.objects.get(code="regional")
    assert module.organization == org and module.default_units == 2
    response = coordinator_client.post(
        reverse("trainings:module_update", args=[module.pk]), module_data(name="Hilfen vor Ort")
    )
    assert response.status_code == 302
    module.refresh_from_db()
    assert module.name == "Hilfen vor Ort" and module.code == "regional"


def test_catalogue_module_cannot_be_edited(coordinator_client):
    module = catalogue_module("aktivitaetenplanung")
    url = reverse("trainings:module_update", args=[module.pk])
    assert coordinator_client.get(url).status_code == 404
    assert coordinator_client.post(url, module_data(code="x")).status_code == 404
    module.refresh_from_db()
    assert module.name == "Aktivitätenplanung" and module.organization is None


def test_bad_module_input_keeps_what_was_typed(coordinator_client, own_module):
    data = module_data(code="aktivitaetenplanung", position="erst", default_units="0")
    response = coordinator_client.post(reverse("trainings:module_create"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dieses Kürzel ist schon vergeben." in html
    assert "Bitte geben Sie eine ganze Zahl an." in html
    assert "Ein Modul hat mindestens eine Unterrichtseinheit." in html
    assert 'value="Regionale Angebote"' in html and 'value="erst"' in html
    response = coordinator_client.post(
        reverse("trainings:module_create"), module_data(code="bewerbung")
    )
    assert "Dieses Kürzel ist schon vergeben." in response.content.decode()
    response = coordinator_client.post(
        reverse("trainings:module_create"), module_data(name="", code="mit leer")
    )
    html = response.content.decode()
    assert "Bitte geben Sie einen Namen an." in html and "Nur Kleinbuchstaben" in html
    assert Module.objects.filter(organization__isnull=False).count() == 1


# --- locations ------------------------------------------------------------------------------------


def location_data(**changes):
    data = {
        "name": "Seminarraum 1",
        "street": "Budapester Straße 30",
        "postal_code": "01069",
        "city": "Dresden",
        "capacity": "14",
        "step_free": "on",
        "directions": "Erdgeschoss, rechts",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_coordinator_creates_and_edits_location(coordinator_client, org, location, other_org):
    LocationFactory(organization=other_org, name="Fremder Raum")
    response = coordinator_client.post(reverse("trainings:location_create"), location_data())
    assert response.status_code == 302
    created = Location.objects.get(name="Seminarraum 1")
    assert created.organization == org and created.capacity == 14 and created.step_free
    data = location_data(name="Seminarraum 1a", capacity="10")
    del data["is_active"], data["step_free"]
    coordinator_client.post(reverse("trainings:location_update", args=[created.pk]), data)
    created.refresh_from_db()
    assert created.name == "Seminarraum 1a" and not created.is_active and not created.step_free
    html = coordinator_client.get(reverse("trainings:location_list")).content.decode()
    assert "Seminarraum 1a" in html and location.name in html and "Fremder Raum" not in html


def test_bad_location_input_keeps_what_was_typed(coordinator_client, location):
    data = location_data(postal_code="1069", capacity="0", city="")
    response = coordinator_client.post(
        reverse("trainings:location_update", args=[location.pk]), data
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Eine Postleitzahl hat fünf Ziffern." in html
    assert "Ein Raum hat mindestens einen Platz." in html
    assert "Bitte geben Sie den Ort an." in html
    assert 'value="1069"' in html and 'value="Seminarraum 1"' in html
    location.refresh_from_db()
    assert location.name == "Raum 2.14" and location.postal_code == "01069"
