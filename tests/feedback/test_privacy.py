"""Anonymous by construction: the feedback app holds no relation to participants and stores
nothing that identifies a device or a moment. That it never imports the participants app
is a contract of import-linter (pyproject.toml), checked by ./scripts/test."""

from pathlib import Path

from django.apps import apps
from django.db import models

import feedback

FEEDBACK_DIR = Path(feedback.__file__).parent


def test_feedback_models_hold_no_relation_to_participants():
    for model in apps.get_app_config("feedback").get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.related_model is not None:
                assert field.related_model._meta.app_label != "participants", (model, field)


def test_feedback_models_store_no_ip_user_agent_or_time_of_day():
    for model in apps.get_app_config("feedback").get_models():
        for field in model._meta.concrete_fields:
            name = field.name.lower()
            assert not isinstance(field, models.GenericIPAddressField), (model, field)
            assert not any(
                word in name for word in ("ip", "agent", "address", "session", "user")
            ), (model, field)
    response = apps.get_model("feedback", "Response")
    submitted = response._meta.get_field("submitted_on")
    assert type(submitted) is models.DateField
    assert not any(isinstance(f, models.DateTimeField) for f in response._meta.concrete_fields)
    answer = apps.get_model("feedback", "Answer")
    assert not any(
        isinstance(f, models.DateTimeField | models.DateField) for f in answer._meta.concrete_fields
    )
