"""The run that the trainings page tests share: led by the standing trainer, one session."""

from datetime import date

import pytest

from ..factories import CourseRunFactory, SessionFactory, catalogue_module


@pytest.fixture
def run(org, trainer):
    run = CourseRunFactory(organization=org, title="AktivA Winter", trainers=[trainer])
    SessionFactory(
        run=run, date=date(2026, 12, 1), modules=[catalogue_module("aktivitaetenplanung")]
    )
    return run


@pytest.fixture
def session(run):
    return run.sessions.get()
