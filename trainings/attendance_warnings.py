"""Early warnings about participants, for pages of this app that must not import the app
that owns them (participants sits above trainings).

That app registers its selector at start-up (`participants.apps`), as it registers the
head count. The pages get a list of warnings with the people named; the view that shows
them writes the read to the audit trail.
"""

from collections.abc import Callable

from aktiva.audit import audit_request_many
from aktiva.models import AuditLogEntry

_provider: Callable | None = None
_namer: Callable | None = None
_revision = None


def register(provider: Callable, namer: Callable, revision) -> None:
    """`revision`: the model of the organization's revision that every change to the places
    and marks the warnings are worked out from raises (`aktiva.revisions`)."""
    global _provider, _namer, _revision
    _provider, _namer, _revision = provider, namer, revision


def revision_models() -> list:
    """The revision models a cached page that shows warnings adds to its key (besides
    `RunsRevision`): none when no app provides warnings."""
    return [_revision] if _revision else []


def for_runs(runs, *, named: bool = True) -> list:
    """Warnings for the runs of this queryset (already scoped by `visible_to`), in a
    fixed number of queries; none when no app provides them. Without `named`, the
    people's names are left to `name` (for the warnings a page shows)."""
    return _provider(runs, named=named) if _provider else []


def name(warnings: list) -> None:
    """Reads the names of the people of these warnings (from `for_runs(named=False)`)."""
    if _namer and warnings:
        _namer(warnings)


def for_sessions(sessions: list, *, named: bool = True) -> list:
    """Warnings for the runs of these sessions, all of each run's sessions, each with its
    `run` set (a page that has read them: no query reads them again). Without `named`, the
    names are left to `name`."""
    return _provider(sessions=sessions, named=named) if _provider else []


def audit_read(request, warnings: list) -> None:
    """A page showed these warnings: each person named is read (one query, none if none)."""
    audit_request_many(
        request,
        AuditLogEntry.Action.VIEW,
        [w.participant for w in warnings],
        page="attendance_warnings",
    )
