"""How many people hold a place in a run, for apps that must not know who they are.

The feedback app needs a head count (how many codes to print) but never imports the app
that owns enrollments: feedback is anonymous by construction. That app registers the
count at start-up (`participants.apps`), as it registers its document kinds.
"""

from collections.abc import Callable

from .models import CourseRun

_provider: Callable[[CourseRun], int] | None = None
_below_minimum: Callable | None = None
_counts: Callable | None = None


def register(
    provider: Callable[[CourseRun], int], below_minimum: Callable, counts: Callable
) -> None:
    global _provider, _below_minimum, _counts
    _provider, _below_minimum, _counts = provider, below_minimum, counts


def place_counts(run: CourseRun) -> dict[str, int]:
    """How many people hold a place in the run and how many wait (`enrolled`, `waiting`; one
    query); zeros when no app provides them."""
    return _counts(run) if _counts else {"enrolled": 0, "waiting": 0}


def enrolled_count(run: CourseRun) -> int:
    """People with a place in the run; 0 when no app provides the count."""
    return _provider(run) if _provider else 0


def runs_below_minimum(runs) -> list[CourseRun]:
    """The runs of this queryset with fewer people holding a place than their minimum, each
    with `enrolled_count` (one query); none when no app provides the count."""
    return _below_minimum(runs) if _below_minimum else []
