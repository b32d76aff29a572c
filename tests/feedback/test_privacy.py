"""Anonymous by construction: the feedback app never refers to participants and stores
nothing that identifies a device or a moment."""

import ast
from pathlib import Path

from django.apps import apps
from django.db import models

import feedback

FEEDBACK_DIR = Path(feedback.__file__).parent


def _python_files():
    return [p for p in FEEDBACK_DIR.rglob("*.py")]


def test_no_module_of_the_feedback_app_imports_or_names_participants():
    for path in _python_files():
        source = path.read_text()
        assert "participants" not in source.lower(), path
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("participants") for a in node.names), path
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("participants"), path


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
