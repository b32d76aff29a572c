"""Two submits of the same code at the same moment: exactly one answer set is stored."""

import threading
from datetime import date

import pytest
from django.db import connection, transaction

from feedback import services
from feedback.models import Response
from tests.factories import run_with_sessions

from .factories import FeedbackCodeFactory, submit_who5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_transactions_at_once_store_one_answer_set(org):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    code = FeedbackCodeFactory(run=run_with_sessions(org, first=date(2026, 3, 2), count=8)[0])
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(values):
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)  # both transactions are open before either inserts
                submit_who5(code, Response.Moment.BEFORE, values)
            outcomes.append("stored")
        except services.AlreadySubmitted:
            outcomes.append("already")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=([v] * 5,)) for v in (1, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert sorted(outcomes) == ["already", "stored"]
    assert Response.objects.filter(code=code).count() == 1
    assert Response.objects.get(code=code).answers.count() == 5
