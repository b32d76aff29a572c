"""The search by name: the names the triggers keep (SearchName) follow every change of a
person, whatever makes it, and hold no name of an anonymised or deleted person; the search
finds exactly the people its rule names, in name order, within the access rule."""

import pytest
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse

from participants import search_names
from participants.models import Participant, SearchName
from participants.retention import participants_anonymise
from participants.selectors import enrollment_candidates

from .factories import EnrollmentFactory, ParticipantFactory


def kept(organization) -> set[tuple[str, str, int]]:
    return set(
        SearchName.objects.filter(organization=organization).values_list("part", "value", "people")
    )


def person(org, first, last, **fields):
    return ParticipantFactory(organization=org, first_name=first, last_name=last, **fields)


def test_names_are_counted_per_organization_and_part_upper_cased(org, other_org):
    person(org, "Anna", "Schulz")
    person(org, "Anna", "Meier")
    person(org, "Thomas", "Thomas")
    person(other_org, "Anna", "Schulz")
    assert kept(org) == {
        ("F", "ANNA", 2),
        ("L", "SCHULZ", 1),
        ("L", "MEIER", 1),
        ("F", "THOMAS", 1),
        ("L", "THOMAS", 1),
    }
    assert kept(other_org) == {("F", "ANNA", 1), ("L", "SCHULZ", 1)}


def test_a_rename_moves_the_count_and_a_name_nobody_has_goes(org):
    anna = person(org, "Anna", "Schulz")
    person(org, "Berta", "Schulz")
    anna.last_name = "Meier"
    anna.save()
    assert kept(org) == {("F", "ANNA", 1), ("F", "BERTA", 1), ("L", "SCHULZ", 1), ("L", "MEIER", 1)}
    Participant.objects.filter(pk=anna.pk).update(first_name="Clara")  # a bulk update too
    assert ("F", "ANNA", 1) not in kept(org) and ("F", "CLARA", 1) in kept(org)


def test_a_save_that_keeps_the_names_keeps_the_counts(org):
    anna = person(org, "Anna", "Schulz")
    anna.note = "Kommt mit dem Bus."
    anna.save()
    anna.save()
    assert kept(org) == {("F", "ANNA", 1), ("L", "SCHULZ", 1)}


def test_anonymised_and_deleted_people_leave_no_name_behind(org):
    anna = person(org, "Anna", "Schulz")
    berta = person(org, "Berta", "Schulz")
    participants_anonymise(ids=[anna.pk])
    # no "Anonymisiert", no "#<id>": an anonymised person is not searched by name
    assert kept(org) == {("F", "BERTA", 1), ("L", "SCHULZ", 1)}
    berta.delete()
    assert kept(org) == set()


def test_a_person_moved_to_another_organization_takes_the_names_along(org, other_org):
    anna = person(org, "Anna", "Schulz")
    Participant.objects.filter(pk=anna.pk).update(organization=other_org)
    assert kept(org) == set()
    assert kept(other_org) == {("F", "ANNA", 1), ("L", "SCHULZ", 1)}


def test_made_again_from_the_people_the_names_are_what_the_triggers_kept(org, other_org):
    people = [person(org, "Anna", "Schulz"), person(org, "Jürgen", "Yılmaz")]
    person(other_org, "Anna", "de Vries")
    people[0].last_name = "Krüger"
    people[0].save()
    participants_anonymise(ids=[people[1].pk])
    before = set(SearchName.objects.values_list("organization_id", "part", "value", "people"))
    search_names.refill()
    assert (
        set(SearchName.objects.values_list("organization_id", "part", "value", "people")) == before
    )


# The rule, written with Django's lookups: every part in the first or the last name, or the
# whole term as the customer number; in name order regardless of case.
def by_the_rule(people, term):
    by_name = Q()
    for part in term.split():
        by_name &= Q(first_name__icontains=part) | Q(last_name__icontains=part)
    found = people.filter(by_name | Q(customer_number__iexact=term.strip()))
    return list(
        found.order_by(Upper("last_name"), Upper("first_name"), "pk").values_list("pk", flat=True)
    )


@pytest.fixture
def crowd(org, other_org):
    """Names as they come: shared, doubled, with umlauts, particles and hyphens; some in
    the other organization, one anonymised. Created against the name order, so that the
    table's order is not the answer."""
    names = [
        ("Zoe", "Schulz"),
        ("Yusuf", "Schulz"),
        ("Anna", "Schulze"),
        ("Anna", "Schulz"),
        ("Thomas", "Thomas"),
        ("Hanna", "Berg"),
        ("Anna", "Berg"),
        ("Anna", "Adler"),
        ("Jürgen", "Krüger"),
        ("Ida", "de Vries"),
        ("Karl", "Schulz-Meyer"),
        ("Johanna", "Schulz"),
        ("Anna", "Vogel"),
        ("Ben", "Anhalt"),
        ("Eva", "50%_Rabatt"),
    ]
    for number, (first, last) in enumerate(names):
        person(org, first, last, customer_number=f"DD{number:03}{first[:2]}")
    for first, last in names[:4]:
        person(other_org, first, last)
    participants_anonymise(ids=[person(org, "Anna", "Schulz").pk])
    return Participant.objects.filter(organization=org).not_anonymised()


TERMS = [
    "schulz",
    "SCHULZ",
    "anna",
    "ann",
    "anna schulz",
    "schulz anna",
    "thomas",
    "vries de",
    "krüger",
    "ü",
    "%",
    "_",
    "a",
    "-",
    "DD008Jü",
    "dd008jü",
    "zzz",
    "a n n a",
    "jürgen krüger",
    "anna berg",
    "berg anna",
    "schulz zzz",
]


@pytest.mark.parametrize("term", TERMS)
@pytest.mark.parametrize("cap", [2, 200])
def test_the_search_finds_what_the_rule_says_in_name_order(crowd, org, term, cap):
    expected = by_the_rule(crowd, term)
    rows, matches = crowd.listed().search_capped(term, cap, 0, 100, organization_id=org.pk)
    assert [row["pk"] for row in rows] == expected[: cap + 1]
    if len(expected) <= cap:
        assert matches == len(expected)
    else:
        assert matches > cap
    rows, _ = crowd.listed().search_capped(term, cap, 1, 2, organization_id=org.pk)
    assert [row["pk"] for row in rows] == expected[: cap + 1][1:3]


def test_a_trainer_finds_only_the_people_of_their_runs(crowd, org, trainer, trainer_user):
    from tests.factories import CourseRunFactory

    run = CourseRunFactory(organization=org)
    run.trainers.add(trainer)
    schulz = crowd.get(first_name="Yusuf")
    EnrollmentFactory(run=run, participant=schulz)
    people = Participant.objects.visible_to(trainer_user.membership).not_anonymised().listed()
    rows, matches = people.search_capped("schulz", 200, 0, 50, organization_id=org.pk)
    assert [row["pk"] for row in rows] == [schulz.pk] and matches == 1


def test_enrolling_offers_the_people_found_who_are_not_in_the_run_yet(crowd, org, coordinator):
    from tests.factories import CourseRunFactory

    run = CourseRunFactory(organization=org)
    in_run = crowd.get(first_name="Yusuf")
    EnrollmentFactory(run=run, participant=in_run)
    found = enrollment_candidates(run, coordinator.membership, "schulz")
    expected = [pk for pk in by_the_rule(crowd, "schulz") if pk != in_run.pk]
    assert [row["pk"] for row in found] == expected


def test_past_the_cap_the_list_shows_the_first_by_name(coordinator_client, org, monkeypatch):
    """The notice "Hier die ersten … nach Namen sortiert" is true: the first by name."""
    monkeypatch.setattr("participants.views.people.SEARCH_CAP", 3)
    monkeypatch.setattr("participants.views.people.PER_PAGE", 2)
    for first in ["Zoe", "Yara", "Xaver", "Anna", "Bernd"]:
        person(org, first, "Schulz")
    url = reverse("participants:list") + "?q=schulz"
    first = coordinator_client.get(url).context
    assert [row["first_name"] for row in first["page"]] == ["Anna", "Bernd"]
    assert first["too_many"] and first["page"].has_next
    second = coordinator_client.get(url + "&page=2").context["page"]
    assert [row["first_name"] for row in second] == ["Xaver"] and not second.has_next
