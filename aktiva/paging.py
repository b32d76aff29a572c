"""Paging long lists without counting them.

Django's Paginator counts every matching row for "page x of y"; at 100,000 participants or
200,000 audit entries the count costs more than the page. `page_without_count` fetches one
row more than it shows to know whether a next page exists, and the pager
(`partials/pagination.html`) offers "zurück" / "weiter" with the page's number.
"""

from dataclasses import dataclass

# A page number beyond this is treated as the last one asked for: it keeps OFFSET within
# PostgreSQL's range whatever a hand-edited URL says.
MAX_PAGE = 100_000


@dataclass
class CountlessPage:
    object_list: list
    number: int
    has_next: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(value) -> int:
    """The page asked for in the URL; anything that is not a positive number means page 1."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def page_without_count(queryset, value, per_page: int) -> CountlessPage:
    """The page `value` (a GET parameter) of an ordered queryset: one query, no COUNT.

    A page past the end (the list got shorter, or a hand-edited URL) shows the first page.
    """
    number = page_number(value)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if not rows and number > 1:
        return page_without_count(queryset, 1, per_page)
    return CountlessPage(rows[:per_page], number, len(rows) > per_page)


def capped_page(fetch, value, per_page: int, cap: int) -> tuple[CountlessPage, bool]:
    """The page `value` of a list cut after `cap` rows, and whether it was cut: one query,
    `fetch(start, count)`, giving at most `count` rows from `start` on of the list's first
    `cap` + 1 rows and how many of those there are (`ParticipantQuerySet.search_capped`).
    Only the page's rows are read, and the count says whether a next page exists.

    A page past the end (or past the cap) shows the first page, as `page_without_count`.
    """
    number = page_number(value)
    start = (number - 1) * per_page
    rows, found = fetch(start, per_page) if start < cap else ([], 0)
    if not rows and number > 1:
        return capped_page(fetch, 1, per_page, cap)
    end = min(found, cap)
    return CountlessPage(rows[: end - start], number, end > start + per_page), found > cap
