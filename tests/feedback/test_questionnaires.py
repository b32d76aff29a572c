"""Questionnaires: shipped data, versioning, the editor."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from feedback import services
from feedback.models import Item, Questionnaire, Response
from tests.factories import run_with_sessions

from .factories import (
    FeedbackCodeFactory,
    course_questionnaire,
    submit_course,
    who5_questionnaire,
)

pytestmark = pytest.mark.django_db


def test_shipped_questionnaires():
    course = course_questionnaire()
    assert [i.label for i in course.items.filter(kind="scale")] == [
        "Akzeptanz",
        "Lernen",
        "Umsetzung",
        "Interesse",
        "Seminarleitung",
        "Erklärungen",
        "Gesamtzufriedenheit",
    ]
    assert course.items.filter(
        kind="yes_no", text="Würden Sie das Training weiterempfehlen?"
    ).exists()
    assert course.items.filter(kind="text").count() == 2
    assert who5_questionnaire().items.filter(kind="who5").count() == 5
    assert services.who5_score([5, 5, 5, 5, 5]) == 100


def test_active_own_questionnaire_replaces_the_shipped_one(org, other_org):
    own = services.questionnaire_copy(questionnaire=course_questionnaire(), organization=org)
    services.questionnaire_activate(questionnaire=own)
    assert services.questionnaire_for(organization=org, moment=Response.Moment.COURSE) == own
    assert (
        services.questionnaire_for(organization=other_org, moment=Response.Moment.COURSE)
        == course_questionnaire()
    )
    assert (
        services.questionnaire_for(organization=org, moment=Response.Moment.BEFORE)
        == who5_questionnaire()
    )
    services.questionnaire_use_default(organization=org)
    assert (
        services.questionnaire_for(organization=org, moment=Response.Moment.COURSE)
        == course_questionnaire()
    )


def test_questionnaire_without_answers_is_edited_in_place(org):
    own = services.questionnaire_create(organization=org, title="Kurzbogen")
    item = services.item_save(
        questionnaire=own, item_key=None, kind="scale", text="Das Tempo passte."
    )
    changed = services.item_save(
        questionnaire=own, item_key=item.key, kind="scale", text="Das Tempo war gut."
    )
    assert changed.pk == item.pk and changed.questionnaire_id == own.pk
    assert Questionnaire.objects.filter(key=own.key).count() == 1


def test_questionnaire_with_answers_gets_a_new_version_and_old_answers_keep_their_wording(org):
    own = services.questionnaire_copy(questionnaire=course_questionnaire(), organization=org)
    services.questionnaire_activate(questionnaire=own)
    code = FeedbackCodeFactory(run=run_with_sessions(org, first=date(2026, 3, 2), count=8)[0])
    lernen = own.items.get(key="lernen")
    services.response_submit(code=code, questionnaire=own, moment="course", answers={lernen: 2})

    services.item_save(
        questionnaire=own,
        item_key="lernen",
        kind="scale",
        text="Ich habe viel gelernt.",
        label="Lernen",
    )

    own.refresh_from_db()
    new = Questionnaire.objects.get(key=own.key, is_current=True)
    assert (own.version, own.is_current, own.is_active) == (1, False, False)
    assert (new.version, new.is_active) == (2, True)
    assert own.items.get(key="lernen").text == "Durch das Training habe ich Neues gelernt."
    assert new.items.get(key="lernen").text == "Ich habe viel gelernt."
    assert new.items.count() == own.items.count()
    answer = Response.objects.get().answers.get()
    assert answer.item.text == "Durch das Training habe ich Neues gelernt."
    with pytest.raises(ValidationError):
        services.item_save(questionnaire=own, item_key="lernen", kind="scale", text="noch einmal")


def test_shipped_questionnaires_cannot_be_changed():
    with pytest.raises(ValidationError):
        services.item_save(
            questionnaire=course_questionnaire(), item_key=None, kind="text", text="Neu?"
        )
    with pytest.raises(ValidationError):
        services.questionnaire_copy(questionnaire=who5_questionnaire(), organization=None)


def test_choice_items_need_two_options(org):
    own = services.questionnaire_create(organization=org, title="Kurzbogen")
    with pytest.raises(ValidationError):
        services.item_save(
            questionnaire=own, item_key=None, kind="choice", text="Wie?", choices=["nur eine"]
        )
    item = services.item_save(
        questionnaire=own, item_key=None, kind="choice", text="Wie?", choices=["a", " ", "b"]
    )
    assert item.choices == ["a", "b"]


def test_items_can_be_moved_and_deleted(org):
    own = services.questionnaire_create(organization=org, title="Kurzbogen")
    a = services.item_save(questionnaire=own, item_key=None, kind="scale", text="A")
    b = services.item_save(questionnaire=own, item_key=None, kind="text", text="B")
    services.item_move(questionnaire=own, item_key=b.key, up=True)
    assert list(own.items.order_by("position").values_list("text", flat=True)) == ["B", "A"]
    services.item_delete(questionnaire=own, item_key=a.key)
    assert list(own.items.values_list("text", flat=True)) == ["B"]


def test_editor_pages_by_role_and_organization(
    coordinator_client, trainer_client, outsider_client, anonymous_client, org
):
    own = services.questionnaire_create(organization=org, title="Kurzbogen")
    detail = reverse("feedback:questionnaire_detail", args=[own.pk])
    assert anonymous_client.get(detail).status_code == 302
    assert trainer_client.get(detail).status_code == 403
    assert outsider_client.get(detail).status_code == 404
    assert coordinator_client.get(detail).status_code == 200
    assert (
        coordinator_client.get(
            reverse("feedback:questionnaire_detail", args=[course_questionnaire().pk])
        ).status_code
        == 200
    )
    add = reverse("feedback:item_create", args=[own.pk])
    assert (
        outsider_client.post(add, {"text": "X", "kind": "scale", "required": "on"}).status_code
        == 404
    )
    assert (
        coordinator_client.post(
            add, {"text": "Das Tempo passte.", "kind": "scale", "required": "on"}
        ).status_code
        == 302
    )
    assert own.items.get().text == "Das Tempo passte."


def test_editor_keeps_input_on_errors(coordinator_client, org):
    own = services.questionnaire_create(organization=org, title="Kurzbogen")
    response = coordinator_client.post(
        reverse("feedback:item_create", args=[own.pk]),
        {"text": "Welche Uhrzeit?", "kind": "choice", "choices": "morgens"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "mindestens zwei" in html and "Welche Uhrzeit?" in html
    assert not Item.objects.filter(questionnaire=own).exists()


def test_editor_create_copy_activate(coordinator_client, org):
    response = coordinator_client.post(
        reverse("feedback:questionnaire_create"), {"title": "Eigener Bogen", "intro": ""}
    )
    own = Questionnaire.objects.get(organization=org)
    assert response["Location"] == reverse("feedback:questionnaire_detail", args=[own.pk])
    # without questions it cannot be used
    coordinator_client.post(reverse("feedback:questionnaire_activate", args=[own.pk]))
    own.refresh_from_db()
    assert not own.is_active
    coordinator_client.post(
        reverse("feedback:questionnaire_copy", args=[course_questionnaire().pk])
    )
    copy = Questionnaire.objects.get(organization=org, title__contains="eigene Fassung")
    coordinator_client.post(reverse("feedback:questionnaire_activate", args=[copy.pk]))
    copy.refresh_from_db()
    assert copy.is_active
    html = coordinator_client.get(reverse("feedback:questionnaire_list")).content.decode()
    assert "wird verwendet" in html


def test_shipped_questionnaire_cannot_be_edited_through_the_page(coordinator_client):
    url = reverse("feedback:questionnaire_detail", args=[course_questionnaire().pk])
    assert coordinator_client.post(url, {"title": "Geändert"}).status_code == 403
    assert course_questionnaire().title == "Rückmeldung zum AktivA-Training"
    assert (
        coordinator_client.post(
            reverse("feedback:item_create", args=[course_questionnaire().pk]), {}
        ).status_code
        == 404
    )


def test_answers_under_an_own_questionnaire_appear_in_the_results(org):
    own = services.questionnaire_copy(questionnaire=course_questionnaire(), organization=org)
    services.questionnaire_activate(questionnaire=own)
    run = run_with_sessions(org, first=date(2026, 3, 2), count=8)[0]
    for value in (1, 3):
        submit_course(FeedbackCodeFactory(run=run), scale=value)  # shipped questionnaire
    lernen = own.items.get(key="lernen")
    services.response_submit(
        code=FeedbackCodeFactory(run=run), questionnaire=own, moment="course", answers={lernen: 5}
    )
    from feedback import selectors

    assert selectors.run_results(run).item("lernen").mean == pytest.approx(3.0)


def test_changing_an_outdated_version_through_the_page_is_refused_politely(coordinator_client, org):
    own = services.questionnaire_copy(questionnaire=course_questionnaire(), organization=org)
    code = FeedbackCodeFactory(run=run_with_sessions(org, first=date(2026, 3, 2), count=8)[0])
    services.response_submit(code=code, questionnaire=own, moment="course", answers={})
    services.item_delete(questionnaire=own, item_key="interesse")  # makes version 2
    for name in ("feedback:item_delete", "feedback:item_move"):
        response = coordinator_client.post(
            reverse(name, args=[own.pk, "lernen"]), {"direction": "up"}
        )
        assert response.status_code == 302
    assert own.items.count() == 10
    current = Questionnaire.objects.get(key=own.key, is_current=True)
    assert current.items.count() == 9
