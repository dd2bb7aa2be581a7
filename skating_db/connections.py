"""Opening a database: one context for every command, the driver's complaints as sentences."""

from __future__ import annotations

import contextlib
import sqlite3
import sys
from collections.abc import Iterator

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from skating_db.db import hide_password, is_sqlite, make_engine, sqlite_path
from skating_db.errors import UserError, no_database
from skating_db.sqlite_read import sqlite_complaint


def pragma(conn: Connection, *pragmas: str) -> None:
    """Run SQLite pragmas outside any transaction (some may not run inside one)."""
    raw = conn.connection.driver_connection
    assert raw is not None
    for statement in pragmas:
        raw.execute(f"PRAGMA {statement}")


def display_name(url: str) -> str:
    """The database as a message names it: its file, or its URL without the password."""
    path = sqlite_path(url)
    return str(path) if path is not None else hide_password(url)


def first_line(exc: BaseException) -> str:
    """The first line of a database error, from the driver's own message when there is one."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0].rstrip(".") if text else type(exc).__name__


@contextlib.contextmanager
def opened(url: str, *, read_only: bool = False, must_exist: bool = True) -> Iterator[Connection]:
    """A connection to `url` (engine made, connected, disposed), for a command's whole run.

    With `must_exist`, a SQLite path with no file behind it is refused in one sentence.
    """
    path = sqlite_path(url)
    if must_exist and path is not None and not path.is_file():
        raise UserError(no_database(path))
    engine = make_engine(url, read_only=read_only)
    try:
        with connect(engine) as conn:
            yield conn
    finally:
        engine.dispose()


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
        try:
            yield conn
        except DBAPIError as exc:
            raise UserError(_refused(engine, first_line(exc))) from exc
        except _driver_errors() as exc:  # statements the writer sends through the driver
            raise UserError(_refused(engine, first_line(exc))) from exc


def _driver_errors() -> tuple[type[Exception], ...]:
    """The drivers' own error classes (psycopg's only when it was imported)."""
    psycopg = sys.modules.get("psycopg")
    return (sqlite3.Error,) if psycopg is None else (sqlite3.Error, psycopg.Error)


def _refused(engine: Engine, reason: str) -> str:
    """A statement the database refused, as one sentence naming the database."""
    where = hide_password(engine.url)
    if is_sqlite(where):
        where = engine.url.database or where
    if "readonly" in reason or "read-only" in reason:
        return f"{where}: cannot be written ({reason}); nothing was written."
    return f"{where}: the database refused the operation: {reason}."


def describe_db_error(engine: Engine, exc: DBAPIError) -> str:
    where = hide_password(engine.url)
    if is_sqlite(where):
        where = engine.url.database or where
    return sqlite_complaint(where, first_line(exc))
