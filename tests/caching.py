"""What the tests of kept parts share: an organization's revision, a page's query count,
and (in tests/conftest.py) the fixture `cache_gone`."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def revision_of(model, org) -> int:
    """The organization's revision in this revision model (0 before its first change)."""
    row = model.objects.filter(organization=org).first()
    return row.revision if row else 0


def queries(client, url: str) -> int:
    """How many queries the page answers with (it must answer 200)."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)
