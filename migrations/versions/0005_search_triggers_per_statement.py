"""PostgreSQL: the athlete search index is refreshed once per statement, not once per row.

Revision 0004 refreshed an athlete's search row for every athlete and alias inserted,
so a load's `COPY` of thousands of aliases recomputed each athlete's row once per alias
(a 100 k-placement load took five times as long). Inserts now refresh the athletes a
statement touched, once, from its transition table; updates and deletes, which are rare,
stay per row. SQLite is unchanged.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21 19:05:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCH = "athletes_fts"
REFRESH_SET = (
    "CREATE FUNCTION athletes_fts_refresh_set(ids integer[]) RETURNS void LANGUAGE sql AS $$"
    f" DELETE FROM {SEARCH} WHERE athlete_id = ANY(ids);"
    f" INSERT INTO {SEARCH} (athlete_id, name, aliases, folded)"
    " SELECT a.id, a.name, l.aliases,"
    " skating_fold(a.name || E'\\n' || coalesce(l.aliases, '')) FROM athletes a"
    " LEFT JOIN LATERAL (SELECT string_agg(alias, E'\\n' ORDER BY id) AS aliases"
    " FROM athlete_aliases WHERE athlete_id = a.id) l ON true WHERE a.id = ANY(ids) $$"
)
ON_INSERT = {
    "athletes": "id",
    "athlete_aliases": "athlete_id",
}
ROW_TRIGGERS = {  # revision 0004's triggers, as they were
    "athletes": (
        "athletes_fts_sync",
        "AFTER INSERT OR DELETE OR UPDATE OF name",
        "athletes_fts_athletes",
    ),
    "athlete_aliases": (
        "athlete_aliases_fts_sync",
        "AFTER INSERT OR DELETE OR UPDATE",
        "athletes_fts_aliases",
    ),
}
KEEP = {"athletes": "AFTER DELETE OR UPDATE OF name", "athlete_aliases": "AFTER DELETE OR UPDATE"}


def _row_trigger(table: str, events: str) -> str:
    name, _, function = ROW_TRIGGERS[table]
    return f"CREATE TRIGGER {name} {events} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"


def postgresql_statements() -> list[str]:
    """What this revision runs on PostgreSQL (also read by the SQL dump of `export`)."""
    statements = [REFRESH_SET]
    for table, column in ON_INSERT.items():
        statements += [
            f"DROP TRIGGER {ROW_TRIGGERS[table][0]} ON {table}",
            _row_trigger(table, KEEP[table]),
            f"CREATE FUNCTION {table}_fts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$"
            " BEGIN PERFORM athletes_fts_refresh_set("
            f"ARRAY(SELECT DISTINCT {column} FROM inserted)); RETURN NULL; END $$",
            f"CREATE TRIGGER {table}_fts_inserted AFTER INSERT ON {table}"
            " REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT"
            f" EXECUTE FUNCTION {table}_fts_inserted()",
        ]
    return statements


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for sql in postgresql_statements():
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, (name, events, _function) in ROW_TRIGGERS.items():
        op.execute(f"DROP TRIGGER {table}_fts_inserted ON {table}")
        op.execute(f"DROP FUNCTION {table}_fts_inserted()")
        op.execute(f"DROP TRIGGER {name} ON {table}")
        op.execute(_row_trigger(table, events))
    op.execute("DROP FUNCTION athletes_fts_refresh_set(integer[])")
