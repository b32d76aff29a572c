"""Participant search by name or customer number uses an index on PostgreSQL, so that a
jobcenter with a hundred thousand people is searched as fast as the demo."""

import pytest
from django.db import connection

from participants.models import Participant

from .factories import ParticipantFactory

pytestmark = pytest.mark.postgres


@pytest.fixture
def plan(org):
    if connection.vendor != "postgresql":
        pytest.skip("the indexes exist on PostgreSQL")
    ParticipantFactory.create_batch(30, organization=org)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE participants_participant")
        # a small table is cheaper to scan: make the planner show what it can use
        cursor.execute("SET LOCAL enable_seqscan = off")
    return lambda queryset: queryset.explain()


def test_search_by_name_uses_the_trigram_indexes(plan):
    text = plan(Participant.objects.search("mei ler"))
    assert "Seq Scan" not in text, text
    assert "participant_last_name_trgm" in text and "participant_first_name_trgm" in text, text


def test_search_by_customer_number_uses_an_index(plan):
    text = plan(Participant.objects.filter(customer_number__iexact="dd00023"))
    assert "Seq Scan" not in text and "participant_customer_number_upper" in text, text
