"""Maintenance of an existing database: migrate it, check its integrity."""

from __future__ import annotations

from sqlalchemy import inspect, text

from skating_db.connections import connect
from skating_db.db import is_sqlite, make_engine, sqlite_path
from skating_db.errors import UserError
from skating_db.migrate import current_revision, downgrade, head_revision, upgrade
from skating_db.models import VIEW_NAMES

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
        "SELECT COUNT(*) FROM placements WHERE competitor_key <> CASE"
        " WHEN athlete_id IS NOT NULL THEN 'a' || CAST(athlete_id AS VARCHAR)"
        " WHEN nation_id IS NOT NULL THEN 'n' || CAST(nation_id AS VARCHAR) ELSE '?' END",
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
)


def migrate_database(
    url: str, revision: str | None, *, down: bool
) -> tuple[str | None, str | None]:
    """Upgrade (or downgrade) an existing database; returns the revisions before and after."""
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise UserError(f"{path}: no database here (build one with: skating-db rebuild).")
    if down and revision is None:
        raise UserError("--down needs a REVISION to go down to (for example: base).")
    engine = make_engine(url)
    try:
        with connect(engine) as conn, conn.begin():
            before = current_revision(conn)
            try:
                (downgrade if down else upgrade)(conn, revision or "head")
            except Exception as exc:
                if type(exc).__module__.startswith("alembic"):
                    raise UserError(f"cannot migrate to {revision}: {exc}.") from exc
                raise
            return before, current_revision(conn)
    finally:
        engine.dispose()


def check_database(url: str) -> list[str]:
    """Every integrity problem found, one sentence each (empty when the database is sound)."""
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise UserError(f"{path}: no database here (build one with: skating-db rebuild).")
    engine = make_engine(url, read_only=True)
    problems: list[str] = []
    try:
        with connect(engine) as conn:
            current, head = current_revision(conn), head_revision()
            if current != head:
                return [f"the schema is at {current or 'no revision'}, not at head {head}."]
            views = set(inspect(conn).get_view_names())
            problems += [f"the view {v} is missing." for v in VIEW_NAMES if v not in views]
            if is_sqlite(url):
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                tables = sorted({row[0] for row in broken})
                if broken:
                    problems.append(
                        f"{len(broken)} rows break a foreign key (tables: {', '.join(tables)})."
                    )
            if problems:
                return problems
            for what, sql in ORPHAN_CHECKS:
                count = conn.execute(text(sql)).scalar_one()
                if count:
                    problems.append(f"{count} {what}.")
    finally:
        engine.dispose()
    return problems
