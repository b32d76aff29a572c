"""The minimum follows the places, status buttons say what they do, plurals are right."""

import pytest
from django.urls import reverse

from trainings.models import CourseRun

from ..factories import CourseRunFactory, LocationFactory


def _run_data(**changes):
    data = {"title": "Kleine Gruppe", "capacity": "12", "min_participants": "8", "notes": ""}
    data.update(changes)
    return data


def test_a_small_run_saves_with_the_preset_minimum_lowered_to_its_places(coordinator_client):
    response = coordinator_client.post(reverse("trainings:run_create"), _run_data(capacity="5"))
    assert response.status_code == 302
    assert CourseRun.objects.get().min_participants == 5


@pytest.mark.parametrize(("capacity", "expected"), [("12", 8), ("6", 6)])
def test_an_empty_minimum_becomes_eight_or_the_places(coordinator_client, capacity, expected):
    coordinator_client.post(
        reverse("trainings:run_create"), _run_data(capacity=capacity, min_participants="")
    )
    assert CourseRun.objects.get().min_participants == expected


def test_a_typed_minimum_above_the_places_is_refused_at_the_field(coordinator_client):
    response = coordinator_client.post(
        reverse("trainings:run_create"), _run_data(capacity="6", min_participants="9")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["min_participants"] == [
        "Die Mindestzahl darf nicht größer sein als die Zahl der Plätze."
    ]
    assert 'value="9"' in response.content.decode()
    assert not CourseRun.objects.exists()


def test_lowering_the_places_of_a_saved_run_lowers_its_untouched_minimum(coordinator_client, run):
    CourseRun.objects.filter(pk=run.pk).update(capacity=12, min_participants=6)
    response = coordinator_client.post(
        reverse("trainings:run_update", args=[run.pk]),
        _run_data(title=run.title, capacity="4", min_participants="6"),
    )
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.capacity, run.min_participants) == (4, 4)


def test_the_minimum_field_follows_the_places_in_the_browser(coordinator_client, run):
    new = coordinator_client.get(reverse("trainings:run_create")).content.decode()
    assert 'data-follows="id_capacity"' in new and 'data-follows-preset="1"' in new
    edit = coordinator_client.get(reverse("trainings:run_update", args=[run.pk])).content.decode()
    assert 'data-follows-preset="0"' in edit


def test_status_buttons_are_actions(coordinator_client, run):
    url = reverse("trainings:run_detail", args=[run.pk])
    html = coordinator_client.get(url).content.decode()
    assert "Als geplant markieren" in html and "Status: geplant" not in html
    CourseRun.objects.filter(pk=run.pk).update(status=CourseRun.Status.PLANNED)
    html = coordinator_client.get(url).content.decode()
    assert "Als laufend markieren" in html and "Zurück zum Entwurf" in html


@pytest.mark.parametrize(("capacity", "text"), [(1, "1 Platz<"), (15, "15 Plätze<")])
def test_room_places_are_counted_right(coordinator_client, org, capacity, text):
    run = CourseRunFactory(organization=org, location=LocationFactory(organization=org))
    run.location.__class__.objects.filter(pk=run.location_id).update(capacity=capacity)
    html = coordinator_client.get(reverse("trainings:run_detail", args=[run.pk])).content.decode()
    assert text in html


@pytest.mark.parametrize(("count", "text"), [("1", "1 neuer Code erzeugt."), ("3", "3 neue Codes")])
def test_feedback_codes_generated_are_counted_right(coordinator_client, run, count, text):
    response = coordinator_client.post(
        reverse("feedback:run_codes", args=[run.pk]), {"count": count}, follow=True
    )
    assert text in response.content.decode()
