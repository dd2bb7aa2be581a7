"""Opening a connection: the driver's complaint about a bad database as one sentence."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from skating_db.db import is_sqlite
from skating_db.errors import UserError


def pragma(conn: Connection, *pragmas: str) -> None:
    """Run SQLite pragmas outside any transaction (some may not run inside one)."""
    raw = conn.connection.driver_connection
    assert raw is not None
    for statement in pragmas:
        raw.execute(f"PRAGMA {statement}")


@contextlib.contextmanager
def connect(engine: Engine) -> Iterator[Connection]:
    """A connection, with the driver's complaint about a bad database turned into a sentence."""
    try:
        conn = engine.connect()
        if conn.dialect.name == "sqlite":
            pragma(conn, "schema_version")  # reads the header: fails now on a non-database
    except DBAPIError as exc:
        raise UserError(describe_db_error(engine, exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise UserError(describe_db_error(engine, DBAPIError(None, None, exc))) from exc
    with conn:
        yield conn


def describe_db_error(engine: Engine, exc: DBAPIError) -> str:
    where = engine.url.render_as_string(hide_password=True)
    if is_sqlite(where):
        where = engine.url.database or where
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    if "file is not a database" in reason:
        return f"{where}: is not a SQLite database."
    if "unable to open database file" in reason:
        return f"{where}: cannot open the database file."
    return f"{where}: {reason}."
