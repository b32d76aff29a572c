"""The names of an organization's people (`SearchName`), kept by database triggers.

Why: a search for "Schulz" among a hundred thousand people had the trigram indexes hand over
every Schulz of every organization, of which it took any 201. The names that contain what
was typed are a few dozen rows here; the people who have one of them are then read from the
index in name order (`Participant`'s `participant_search_last`), first ones first, and the
reading stops at the search's cap (`ParticipantQuerySet.search_capped`).

The triggers keep the table exact whichever way a person changes (a service, the admin, a
bulk update, anonymisation): a name is counted once per person who has it, and the row goes
with the last of them, so no name outlives its people. Anonymised people are not counted.
The SQL is written once here for PostgreSQL and for SQLite; a migration applied with it must
not see it change (a new migration would replace the triggers).
"""

from django.db import connection

TABLE = "participants_searchname"
PEOPLE = "participants_participant"
NAME = "participants_search_names"
# The parts of a name a row counts, and the person's column each one is read from.
PARTS = {"F": "first_name", "L": "last_name"}


def _added(row: str) -> list[str]:
    """Count `row`'s (NEW's) names once more, making the names nobody had."""
    return [
        f"INSERT INTO {TABLE} (organization_id, part, value, people)"
        f" SELECT {row}.organization_id, '{part}', UPPER({row}.{column}), 1"
        f" WHERE {row}.anonymised_at IS NULL"
        " ON CONFLICT (organization_id, part, value)"
        f" DO UPDATE SET people = {TABLE}.people + 1"
        for part, column in PARTS.items()
    ]


def _removed(row: str) -> list[str]:
    """Count `row`'s (OLD's) names once less: a name of only this person goes."""
    names = " OR ".join(
        f"(part = '{part}' AND value = UPPER({row}.{column}))" for part, column in PARTS.items()
    )
    mine = f"{row}.anonymised_at IS NULL AND organization_id = {row}.organization_id AND ({names})"
    return [
        f"DELETE FROM {TABLE} WHERE people = 1 AND {mine}",
        f"UPDATE {TABLE} SET people = people - 1 WHERE {mine}",
    ]


# An update that leaves the names, the organization and the anonymisation alone (most
# saves: a note, a consent date) leaves the table alone.
CHANGED = (
    "OLD.first_name IS DISTINCT FROM NEW.first_name"
    " OR OLD.last_name IS DISTINCT FROM NEW.last_name"
    " OR OLD.organization_id IS DISTINCT FROM NEW.organization_id"
    " OR OLD.anonymised_at IS DISTINCT FROM NEW.anonymised_at"
)


def create_sql(vendor: str) -> list[str]:
    """The triggers on the people's table."""
    if vendor == "postgresql":
        removed = ";\n    ".join(_removed("OLD"))
        added = ";\n    ".join(_added("NEW"))
        return [
            f"""CREATE FUNCTION {NAME}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    {removed};
  END IF;
  IF TG_OP <> 'DELETE' THEN
    {added};
  END IF;
  RETURN NULL;
END $$""",
            f"CREATE TRIGGER {NAME} AFTER INSERT OR DELETE ON {PEOPLE}"
            f" FOR EACH ROW EXECUTE FUNCTION {NAME}()",
            f"CREATE TRIGGER {NAME}_update AFTER UPDATE ON {PEOPLE}"
            f" FOR EACH ROW WHEN ({CHANGED}) EXECUTE FUNCTION {NAME}()",
        ]
    # SQLite: IS NOT for IS DISTINCT FROM, and one trigger per operation.
    bodies = {
        "insert": ("", _added("NEW")),
        "delete": ("", _removed("OLD")),
        "update": (
            f" WHEN {CHANGED.replace('IS DISTINCT FROM', 'IS NOT')}",
            _removed("OLD") + _added("NEW"),
        ),
    }
    return [
        f"CREATE TRIGGER {NAME}_{operation} AFTER {operation.upper()} ON {PEOPLE}"
        f" FOR EACH ROW{when} BEGIN {'; '.join(statements)}; END"
        for operation, (when, statements) in bodies.items()
    ]


def drop_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {NAME} ON {PEOPLE}",
            f"DROP TRIGGER IF EXISTS {NAME}_update ON {PEOPLE}",
            f"DROP FUNCTION IF EXISTS {NAME}()",
        ]
    return [f"DROP TRIGGER IF EXISTS {NAME}_{op}" for op in ("insert", "delete", "update")]


def refill_sql() -> list[str]:
    """The table made again from the people: after a migration, or a bulk load that went
    round the triggers (the benchmark's grown database)."""
    counted = " UNION ALL ".join(
        f"SELECT organization_id, '{part}', UPPER({column}), COUNT(*) FROM {PEOPLE}"
        f" WHERE anonymised_at IS NULL GROUP BY organization_id, UPPER({column})"
        for part, column in PARTS.items()
    )
    return [
        f"DELETE FROM {TABLE}",
        f"INSERT INTO {TABLE} (organization_id, part, value, people) {counted}",
    ]


def refill() -> None:
    with connection.cursor() as cursor:
        for statement in refill_sql():
            cursor.execute(statement)
