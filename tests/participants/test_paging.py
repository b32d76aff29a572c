"""Long lists page without counting every row: one row more than shown says "weiter"."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aktiva.paging import MAX_PAGE, page_number

from .factories import ParticipantFactory


def test_page_number_from_the_url_is_always_a_page():
    assert [page_number(v) for v in (None, "", "abc", "0", "-3", "2", "9" * 40)] == [
        1,
        1,
        1,
        1,
        1,
        2,
        MAX_PAGE,
    ]


def test_participants_list_pages_without_a_count(coordinator_client, org):
    ParticipantFactory.create_batch(51, organization=org)
    url = reverse("participants:list")
    with CaptureQueriesContext(connection) as ctx:
        first = coordinator_client.get(url)
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
    page = first.context["page"]
    assert len(page) == 50 and page.has_next and not page.has_previous()
    html = first.content.decode()
    assert "Seite 1<" in html and "page=2" in html and 'aria-current="page"' in html

    last = coordinator_client.get(url + "?page=2").context["page"]
    assert len(last) == 1 and not last.has_next and last.has_previous()
    shown = {p["pk"] for p in page} | {p["pk"] for p in last}
    assert len(shown) == 51

    # a page past the end, junk or a huge number: the first page, never an error
    for value in ("3", "x", "9" * 40):
        response = coordinator_client.get(url + "?page=" + value)
        assert response.status_code == 200 and response.context["page"].number == 1


def test_pager_in_english(coordinator_client, org):
    ParticipantFactory.create_batch(51, organization=org)
    coordinator_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = coordinator_client.get(reverse("participants:list") + "?page=2").content.decode()
    assert "Page 2<" in html and "page=1" in html and "Seite" not in html


def test_search_lists_at_most_the_cap_and_asks_for_a_more_precise_search(
    coordinator_client, org, monkeypatch
):
    from participants.views import people

    monkeypatch.setattr(people, "SEARCH_CAP", 3)
    for first in ("Dora", "Anna", "Carl", "Bea"):
        ParticipantFactory(organization=org, first_name=first, last_name="Schulz")
    ParticipantFactory(organization=org, first_name="Anna", last_name="Meier")
    url = reverse("participants:list")

    response = coordinator_client.get(url, {"q": "schulz"})
    listed = list(response.context["page"])
    assert len(listed) == 3 and {p["last_name"] for p in listed} == {"Schulz"}
    assert [p["first_name"] for p in listed] == sorted(p["first_name"] for p in listed)
    assert "Mehr als 3 Treffer – bitte genauer suchen" in response.content.decode()

    response = coordinator_client.get(url, {"q": "schulz anna"})
    assert [p["first_name"] for p in response.context["page"]] == ["Anna"]
    assert "genauer suchen" not in response.content.decode()


def test_search_pages_within_the_cap(coordinator_client, org, monkeypatch):
    """Only the page's rows are read; the pages end at the cap, the one past the cap is left
    out even when it was read to know there are more."""
    from participants.views import people

    monkeypatch.setattr(people, "SEARCH_CAP", 5)
    monkeypatch.setattr(people, "PER_PAGE", 2)
    for first in ("Dora", "Anna", "Carl", "Bea", "Emil", "Fritz", "Gert"):
        ParticipantFactory(organization=org, first_name=first, last_name="Schulz")
    url = reverse("participants:list")

    pages = [coordinator_client.get(url, {"q": "schulz", "page": n}) for n in (1, 2, 3)]
    listed = [[p["first_name"] for p in r.context["page"]] for r in pages]
    assert [len(names) for names in listed] == [2, 2, 1]
    names = sum(listed, [])
    assert names == sorted(names) and len(set(names)) == 5
    assert [r.context["page"].has_next for r in pages] == [True, True, False]
    assert all(r.context["too_many"] for r in pages)
    assert "page=4" not in pages[2].content.decode()

    # past the cap: the first page
    assert coordinator_client.get(url, {"q": "schulz", "page": 4}).context["page"].number == 1

    # exactly the cap: all of them, no hint to search more precisely
    ParticipantFactory(organization=org, first_name="Hanna", last_name="Meier")
    response = coordinator_client.get(url, {"q": "meier", "page": 1})
    assert [p["first_name"] for p in response.context["page"]] == ["Hanna"]
    assert not response.context["too_many"] and not response.context["page"].has_next
