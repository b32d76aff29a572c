"""Revisions: a number per organization that database triggers raise in the same transaction
as every insert, update or delete of the rows a cached value is made of, whichever way the
row changes (a service, the admin, a bulk update). A cache key made of the database, the
organization and its revision is therefore exact: a change makes a new key, and the old
value is never read again (it expires). One indexed read instead of recomputing.

The trigger SQL is written here once for every revision (feedback's FiguresRevision, the
trainings' RunsRevision), for PostgreSQL and for SQLite (the embedded default); both upsert,
so an organization needs no row before its first change. Migrations call the builders with
their own tables; a builder's output for a migration already applied must not change.
"""

import functools
import hashlib
import logging
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)


def _bump(revision_table: str, select: str) -> str:
    """Raise the revision of the organization `select` names (a row with organization_id)."""
    return (
        f"INSERT INTO {revision_table} (organization_id, revision)"
        f" SELECT organization_id, 1 FROM ({select}) AS changed"
        " WHERE organization_id IS NOT NULL"
        " ON CONFLICT (organization_id)"
        f" DO UPDATE SET revision = {revision_table}.revision + 1"
    )


def _old_and_new(organization: str) -> str:
    """The organizations of the row before and after an update (one, unless it moved)."""
    return (
        f"SELECT organization_id FROM ({organization.format(row='OLD')}) AS before_update"
        f" UNION SELECT organization_id FROM ({organization.format(row='NEW')}) AS after_update"
    )


def create_trigger_sql(
    vendor: str,
    *,
    name: str,
    revision_table: str,
    table: str,
    organization: str,
    moved: bool = False,
) -> list[str]:
    """The statements that make every change to `table` raise `revision_table` for the
    changed row's organization. `organization` is a SELECT of `organization_id` from the
    changed row, written with `{row}` for NEW or OLD; `name` names the triggers.

    With `moved`, an update raises the organization the row had before as well: a run moved
    to another organization (the admin allows it) must leave the old one's cached pages at
    once. Without it, the statements of the first migrations (which must not change)."""
    update = _old_and_new(organization) if moved else organization.format(row="NEW")
    if vendor == "postgresql":
        updated = ""
        if moved:
            updated = f"\n  ELSIF TG_OP = 'UPDATE' THEN\n    {_bump(revision_table, update)};"
        return [
            f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    {_bump(revision_table, organization.format(row="OLD"))};{updated}
  ELSE
    {_bump(revision_table, organization.format(row="NEW"))};
  END IF;
  RETURN NULL;
END $$""",
            f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]
    statements = []
    selects = {
        "INSERT": organization.format(row="NEW"),
        "UPDATE": update,
        "DELETE": organization.format(row="OLD"),
    }
    for operation, select in selects.items():
        statements.append(
            f"CREATE TRIGGER {name}_{operation.lower()}"
            f" AFTER {operation} ON {table} FOR EACH ROW"
            f" BEGIN {_bump(revision_table, select)}; END"
        )
    return statements


def drop_trigger_sql(vendor: str, *, name: str, table: str) -> list[str]:
    """The statements that remove what `create_trigger_sql` made."""
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    return [f"DROP TRIGGER IF EXISTS {name}_{op}" for op in ("insert", "update", "delete")]


def trigger_operations(
    *, revision_table: str, prefix: str, organization: dict[str, str], moved: bool = False
):
    """(create, drop): the functions a migration's `RunPython` takes to put on, and take off,
    the triggers that raise `revision_table` for every table in `organization` (the table's
    SELECT of `organization_id`, as for `create_trigger_sql`, with `moved` as there); each
    trigger is named `prefix` + its table."""

    def create(apps, schema_editor):
        for table, select in organization.items():
            for statement in create_trigger_sql(
                schema_editor.connection.vendor,
                name=prefix + table,
                revision_table=revision_table,
                table=table,
                organization=select,
                moved=moved,
            ):
                schema_editor.execute(statement)

    def drop(apps, schema_editor):
        for table in organization:
            for statement in drop_trigger_sql(
                schema_editor.connection.vendor, name=prefix + table, table=table
            ):
                schema_editor.execute(statement)

    return create, drop


def trigger_replacement(*, revision_table: str, prefix: str, organization: dict[str, str]):
    """(forward, backward) for a migration that gives existing triggers (made without
    `moved`) the update of `moved`: the old ones dropped, the new ones made, and back."""
    made = dict(revision_table=revision_table, prefix=prefix, organization=organization)
    create_old, drop_both = trigger_operations(**made)
    create_new, _ = trigger_operations(**made, moved=True)

    def forward(apps, schema_editor):
        drop_both(apps, schema_editor)
        create_new(apps, schema_editor)

    def backward(apps, schema_editor):
        drop_both(apps, schema_editor)
        create_old(apps, schema_editor)

    return forward, backward


def database_and_revisions(organization_id: int, *revision_models) -> tuple:
    """Which database this is (ids and revisions start again in a restored or a new
    database, a test run's, and must not meet values cached for the old one) and the
    organization's revision in each of these models (each with `organization` and
    `revision`; 0 before its first change), in one query: (database, revision, ...)."""
    if connection.vendor != "postgresql":  # SQLite: tests only, with a cache in process memory
        found = [
            model.objects.filter(organization_id=organization_id).first()
            for model in revision_models
        ]
        return (connection.vendor, *(row.revision if row else 0 for row in found))
    reads = ", ".join(
        f"(SELECT revision FROM {model._meta.db_table} WHERE organization_id = %s)"
        for model in revision_models
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT oid FROM pg_database WHERE datname = current_database()), " + reads,
            [organization_id] * len(revision_models),
        )
        database, *found = cursor.fetchone()
    return (f"postgresql:{database}", *(revision or 0 for revision in found))


# What the running release is made of: its code, templates and translations.
RELEASE_FILES = {
    "aktiva": ".py",
    "trainings": ".py",
    "participants": ".py",
    "feedback": ".py",
    "templates": ".html .txt",
    "locale": ".mo",
}


@functools.cache
def release() -> str:
    """A short hash of the running release's files and Django's version, the first part of
    every key `remembered` uses: a deploy over a warm Redis must not read what the previous
    release kept there (a cached value's shape, a template or a rule such as the certificate
    threshold may have changed). Read once per process, in a few milliseconds."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256(django.__version__.encode())
    for folder, suffixes in RELEASE_FILES.items():
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in suffixes.split() and "migrations" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def remembered(key: str, compute, timeout: int):
    """The value cached under the key (within this release, `release`), or computed and
    cached. Without a reachable cache (Redis gone) it is computed: the page costs more but
    works."""
    key = f"{release()}:{key}"
    try:
        value = cache.get(key)
    except Exception as error:  # redis ConnectionError, TimeoutError, …
        logger.warning("computed without the cache: %s", error.__class__.__name__)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout)
        except Exception as error:
            logger.warning("not cached: %s", error.__class__.__name__)
    return value
