"""How many people hold a place in a run, for apps that must not know who they are.

The feedback app needs a head count (how many codes to print) but never imports the app
that owns enrollments: feedback is anonymous by construction. That app registers the
count at start-up (`participants.apps`), as it registers its document kinds.
"""

from collections.abc import Callable

from .models import CourseRun

_provider: Callable[[CourseRun], int] | None = None


def register(provider: Callable[[CourseRun], int]) -> None:
    global _provider
    _provider = provider


def enrolled_count(run: CourseRun) -> int:
    """People with a place in the run; 0 when no app provides the count."""
    return _provider(run) if _provider else 0
