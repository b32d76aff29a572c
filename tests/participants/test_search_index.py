"""Participant search by name or customer number uses indexes on PostgreSQL, and reads no
more people than it shows (the cap), so that a jobcenter with a hundred thousand people is
searched as fast as the demo."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participants.models import Participant, SearchName

from .factories import ParticipantFactory

pytestmark = pytest.mark.postgres

CAP = 10


@pytest.fixture
def explain(org):
    if connection.vendor != "postgresql":
        pytest.skip("the indexes exist on PostgreSQL")
    for number in range(40):
        ParticipantFactory(organization=org, first_name=f"Anna{number % 5}", last_name="Schulz")
        ParticipantFactory(organization=org, first_name="Anna", last_name=f"Berg{number}")
    ParticipantFactory.create_batch(30, organization=org)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE participants_participant")
        cursor.execute("ANALYZE participants_searchname")
        # a small table is cheaper to scan: make the planner show what it can use
        cursor.execute("SET LOCAL enable_seqscan = off")

    def explain(term: str) -> list[str]:
        """The plans of the search's queries, as run."""
        people = Participant.objects.filter(organization=org).not_anonymised().listed()
        with CaptureQueriesContext(connection) as queries:
            people.search_capped(term, CAP, 0, 5, organization_id=org.pk)
        plans = []
        with connection.cursor() as cursor:
            for query in queries.captured_queries:
                cursor.execute("EXPLAIN (ANALYZE, TIMING OFF) " + query["sql"])
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        return plans

    return explain


def read_from(plan: str, index: str) -> list[int]:
    """The rows each scan of `index` handed over."""
    return [
        int(rows)
        for rows in re.findall(rf"Scan (?:using|on) {index} .*?rows=\d+ .*?rows=(\d+)", plan)
    ]


def test_a_common_last_name_is_read_in_name_order_up_to_the_cap(explain):
    names, people = explain("schulz")
    assert "Seq Scan" not in names + people, people
    # 40 people are called Schulz: the index hands over the first 11, in order
    assert read_from(people, "participant_search_last") == [CAP + 1], people


def test_a_common_first_name_is_read_in_name_order_up_to_the_cap(explain):
    names, people = explain("anna")
    assert "Seq Scan" not in people, people
    # "Anna" (40 people) on its own, in name order up to the cap; "Anna0" to "Anna4" (8
    # each, at most the cap) together, from whichever index PostgreSQL finds cheaper: none
    # hands over the jobcenter's 110 people (a trigram index hands over candidates, 80)
    assert CAP + 1 in read_from(people, "participant_search_first"), people
    handed_over = read_from(people, r"participant_\w+")
    assert handed_over and max(handed_over) <= 80, people


def test_two_parts_read_only_the_people_with_both(explain):
    names, people = explain("anna0 schulz")
    assert "Seq Scan" not in people, people
    # "Anna0" (8 people) leads, "Schulz" is a condition in the same index: the 8 read are
    # the 8 found, none of the 40 Schulz read to be thrown away
    assert max(read_from(people, r"participant_\w+")) == 8, people


def test_among_many_names_those_found_come_from_the_trigram_index(explain, org):
    SearchName.objects.bulk_create(
        SearchName(organization=org, part="L", value=f"NAME{number:05}", people=1)
        for number in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE participants_searchname")
        cursor.execute("SET LOCAL enable_seqscan = on")
    names, _ = explain("schulz")
    assert "Bitmap Index Scan on search_name_value_trgm" in names, names


def test_search_by_customer_number_uses_an_index(explain):
    names, people = explain("DD00023")
    assert "Seq Scan" not in people and "participant_customer_number_upper" in people, people


def test_the_admin_search_uses_the_trigram_indexes(org):
    """The admin's search (`icontains` on the names) stays served by the trigram indexes."""
    if connection.vendor != "postgresql":
        pytest.skip("the indexes exist on PostgreSQL")
    ParticipantFactory.create_batch(30, organization=org)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE participants_participant")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # the name-order indexes
    found = Participant.objects.filter(last_name__icontains="mei") | Participant.objects.filter(
        first_name__icontains="mei"
    )
    text = found.explain()
    assert "participant_last_name_trgm" in text and "participant_first_name_trgm" in text, text
