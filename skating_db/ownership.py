"""Whose database is this: refusals before anything is written.

skating-db writes only into an empty database or one of its own (an `alembic_version`
row holding one of its revisions, and a `sources` table).
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

from skating_db.errors import UserError
from skating_db.migrate import current_revision
from skating_db.unchanged import head_revision, shipped_revisions


def refusal(conn: Connection, where: str) -> str | None:
    """Why skating-db must not write into this database, or None when it may."""
    tables = set(inspect(conn).get_table_names())
    others = tables - {"alembic_version"}
    if others and "alembic_version" not in tables:
        return (
            f"{where}: holds tables of another application ({_sample(others)}), not a"
            " skating-db database; use a new file or an empty database."
        )
    if "alembic_version" not in tables:
        return None
    columns = {c["name"] for c in inspect(conn).get_columns("alembic_version")}
    if "version_num" not in columns:
        return f"{where}: its alembic_version table is not Alembic's; use a new file."
    query = text("SELECT version_num FROM alembic_version")
    versions = [row.version_num for row in conn.execute(query)]
    if len(versions) > 1:
        return (
            f"{where}: its alembic_version table holds {len(versions)} revisions"
            f" ({', '.join(map(str, versions))}); it is shared with another application or"
            " damaged: rebuild into a new file."
        )
    if not versions:
        if others:
            return (
                f"{where}: holds tables of another application ({_sample(others)}) and no"
                " schema revision, not a skating-db database; use a new file."
            )
        return None
    if versions[0] in shipped_revisions():
        return None
    if "sources" in tables:
        return (
            f"{where}: its schema is at revision {versions[0]}, newer than this skating-db"
            " knows; upgrade skating-db (pip install -U skating-db) to use it."
        )
    return (
        f"{where}: its alembic_version ({versions[0]}) belongs to another application, not"
        " skating-db; use a new file."
    )


def refuse_unless_ours(conn: Connection, where: str) -> None:
    reason = refusal(conn, where)
    if reason is not None:
        raise UserError(reason)


def require_head(conn: Connection, where: str, doing: str) -> None:
    """Refuse a database of ours whose schema is behind this version's (its views and
    tables are not the ones `doing` reads), saying how to bring it up to date."""
    current, head = current_revision(conn), head_revision()
    if current != head:
        raise UserError(
            f"{where}: the schema is at revision {current or 'none'}, not {head};"
            f" run skating-db migrate (or rebuild) before {doing}."
        )


def _sample(tables: set[str]) -> str:
    names = sorted(tables)
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
