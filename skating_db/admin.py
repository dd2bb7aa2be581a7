"""Maintenance of an existing database: migrate it, check its integrity."""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import DBAPIError

from skating_db.connections import display_name, first_line, opened
from skating_db.db import is_sqlite, sqlite_path
from skating_db.declared import drift
from skating_db.errors import UserError
from skating_db.locking import writer_lock
from skating_db.migrate import current_revision, downgrade, head_revision, upgrade
from skating_db.models import VIEW_NAMES
from skating_db.ownership import refusal, refuse_unless_ours
from skating_db.writer.keys import COMPETITOR_KEY_SQL, NATURAL_KEYS, duplicate_count_sql

# (what is wrong, a query counting the rows where it is wrong)
ORPHAN_CHECKS = (
    (
        "placements without their race",
        "SELECT COUNT(*) FROM placements p LEFT JOIN races r"
        " ON r.id = p.race_id WHERE r.id IS NULL",
    ),
    (
        "placements naming a missing athlete",
        "SELECT COUNT(*) FROM placements p LEFT JOIN"
        " athletes a ON a.id = p.athlete_id WHERE p.athlete_id IS NOT NULL AND a.id IS NULL",
    ),
    (
        "placements naming a missing nation",
        "SELECT COUNT(*) FROM placements p LEFT JOIN nations n"
        " ON n.id = p.nation_id WHERE p.nation_id IS NOT NULL AND n.id IS NULL",
    ),
    (
        "placements whose competitor key does not match their athlete or nation",
        f"SELECT COUNT(*) FROM placements WHERE competitor_key <> {COMPETITOR_KEY_SQL}",
    ),
    (
        "relay members of a missing placement",
        "SELECT COUNT(*) FROM relay_members m LEFT JOIN"
        " placements p ON p.id = m.placement_id WHERE p.id IS NULL",
    ),
    (
        "aliases of a missing athlete",
        "SELECT COUNT(*) FROM athlete_aliases l LEFT JOIN athletes a"
        " ON a.id = l.athlete_id WHERE a.id IS NULL",
    ),
    (
        "races of a missing event",
        "SELECT COUNT(*) FROM races r LEFT JOIN events e ON e.id = r.event_id WHERE e.id IS NULL",
    ),
    (
        "attestations of a missing placement",
        "SELECT COUNT(*) FROM attestations a WHERE a.fact_table = 'placements' AND NOT EXISTS"
        " (SELECT 1 FROM placements p WHERE p.id = a.fact_id)",
    ),
    (
        "placements attested again by their own source",
        "SELECT COUNT(*) FROM attestations a JOIN placements p ON p.id = a.fact_id"
        " WHERE a.fact_table = 'placements' AND a.source_id = p.source_id",
    ),
    (
        "podiums rows that differ from final-round placements",
        "SELECT ABS((SELECT COUNT(*) FROM podiums) - (SELECT COUNT(*) FROM placements p"
        " JOIN races r ON r.id = p.race_id WHERE r.round = 'final'))",
    ),
    *(
        (f"natural keys of {table} that name more than one row", duplicate_count_sql(table))
        for table in NATURAL_KEYS
    ),
)


def migrate_database(
    url: str, revision: str | None, *, down: bool
) -> tuple[str | None, str | None]:
    """Upgrade (or downgrade) an existing database; returns the revisions before and after."""
    if down and revision is None:
        raise UserError("--down needs a REVISION to go down to (for example: base).")
    with writer_lock(sqlite_path(url)), opened(url) as conn, conn.begin():
        refuse_unless_ours(conn, display_name(url))
        before = current_revision(conn)
        try:
            (downgrade if down else upgrade)(conn, revision or "head")
        except Exception as exc:
            if type(exc).__module__.startswith("alembic"):
                reason = str(exc).strip().rstrip(".")
                raise UserError(
                    f"{display_name(url)}: cannot migrate to {revision} ({reason})."
                ) from exc
            raise
        return before, current_revision(conn)


def check_database(
    url: str,
    *,
    full: bool = False,
    notes: list[str] | None = None,
    warnings: list[str] | None = None,
) -> list[str]:
    """Every integrity problem found, one sentence each (empty when the database is sound).

    The storage itself is verified first (SQLite's quick_check, or integrity_check when
    `full`; PostgreSQL's amcheck when installed); what could not be verified goes to `notes`,
    schema objects that are not part of the data model to `warnings`.
    """
    notes = notes if notes is not None else []
    with opened(url, read_only=True) as conn:
        problems = _storage_problems(conn, full, notes)
        if problems:
            return problems
        schema = _schema_problem(conn, display_name(url))
        if schema is not None:
            return [schema]
        views = set(inspect(conn).get_view_names())
        problems += [f"the view {v} is missing." for v in VIEW_NAMES if v not in views]
        beyond, redone = drift(conn, url, notes)  # a redefined view still answers queries
        if warnings is not None:
            warnings += [f"not part of the skating-db data model: {what}." for what in beyond]
        if is_sqlite(url):
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").mappings().all()
            tables = sorted({row["table"] for row in broken})
            if broken:
                problems.append(
                    f"{len(broken)} rows break a foreign key (tables: {', '.join(tables)})."
                )
        if problems:
            return [*problems, *redone]
        for what, sql in ORPHAN_CHECKS:
            count = conn.execute(text(sql)).scalar_one()
            if count:
                problems.append(f"{count} {what}.")
    return [*problems, *redone]


def _schema_problem(conn: Connection, where: str) -> str | None:
    """The schema is not this version's head: at which revision it is, and whose it is."""
    reason = refusal(conn, where)
    if reason is not None and "holds" in reason and "revisions" in reason:
        return reason  # several revisions: there is no one current revision to name
    current, head = current_revision(conn), head_revision()
    if current == head and reason is None:
        return None
    said = f"the schema is at {current or 'no revision'}, not at head {head}"
    return f"{said}." if reason is None else f"{said}: {reason}"


def _storage_problems(conn: Connection, full: bool, notes: list[str]) -> list[str]:
    """What SQLite's own check, or PostgreSQL's amcheck, finds wrong with the storage."""
    if conn.dialect.name != "sqlite":
        return _amcheck(conn, full, notes)
    pragma = "integrity_check" if full else "quick_check"
    try:
        found = list(conn.exec_driver_sql(f"PRAGMA {pragma}").scalars().all())
    except DBAPIError as exc:
        return [f"{pragma} failed, the file is damaged ({first_line(exc)}); rebuild it."]
    if found == ["ok"]:
        return []
    lines = [x for f in found for x in str(f).splitlines() if x and not x.startswith("***")]
    shown = "; ".join(lines[:3]) + ("; …" if len(lines) > 3 else "")
    return [f"{pragma} found {len(lines)} problem(s) in the file: {shown}; rebuild it."]


def _amcheck(conn: Connection, full: bool, notes: list[str]) -> list[str]:
    """Every B-tree index of the schema through amcheck (with `full`, also each heap row is
    looked up in its indexes); without the extension, a note says what was not verified."""
    installed = conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'")).first()
    if installed is None:
        notes.append(
            "PostgreSQL: the amcheck extension is not installed, so index storage was not"
            " verified (CREATE EXTENSION amcheck to enable it)."
        )
        return []
    indexes = conn.execute(text(_PG_INDEXES)).all()
    problems = []
    for index in indexes:
        try:
            with conn.begin_nested():
                conn.execute(
                    text("SELECT bt_index_check(CAST(:oid AS oid), :full)"),
                    {"oid": index.oid, "full": full},
                )
        except DBAPIError as exc:
            problems.append(f"the index {index.name} is damaged: {first_line(exc)}.")
    return problems


_PG_INDEXES = (
    "SELECT c.oid, c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
    " JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE a.amname = 'btree' AND n.nspname = current_schema()"
)
