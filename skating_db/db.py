"""Where the database is and how to connect to it: URL resolution and engine factories."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from skating_db.errors import UserError

ENV_VAR = "SKATING_DB_URL"
DEFAULT_FILE = "skating.db"
BUSY_TIMEOUT_MS = 60_000


def resolve_url(db: str | None = None) -> str:
    """The database URL: `db`, else $SKATING_DB_URL, else ./skating.db; a plain path is SQLite."""
    raw = db or os.environ.get(ENV_VAR) or DEFAULT_FILE
    if "://" in raw:
        try:
            parsed = make_url(raw)
        except ArgumentError as exc:
            raise UserError(f"'{raw}' is not a database URL or a file path.") from exc
        _check_driver(parsed)
        return raw
    return URL.create("sqlite", database=str(Path(raw).expanduser().resolve())).render_as_string()


def _check_driver(parsed: URL) -> None:
    """Refuse, in one sentence, a URL whose database kind or driver is not available."""
    where = parsed.render_as_string(hide_password=True)
    try:
        dialect = parsed.get_dialect()
    except NoSuchModuleError as exc:
        raise UserError(
            f"'{where}' names a database kind skating-db does not know ({parsed.drivername});"
            " use a file path, sqlite:///PATH or postgresql+psycopg://."
        ) from exc
    try:
        dialect.import_dbapi()
    except ImportError as exc:
        raise UserError(
            f"'{where}' needs the Python driver {exc.name or parsed.drivername}, which is not"
            " installed; for PostgreSQL use postgresql+psycopg://"
            " (pip install 'skating-db[postgres]')."
        ) from exc


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for another backend or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_listeners(engine: Engine, *, read_only: bool) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
            dbapi_conn.set_authorizer(_read_only_authorizer)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # A writer takes the write lock up front, so two loads queue instead of deadlocking.
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


_DENIED = {
    sqlite3.SQLITE_ATTACH,
    sqlite3.SQLITE_DETACH,
    sqlite3.SQLITE_INSERT,
    sqlite3.SQLITE_UPDATE,
    sqlite3.SQLITE_DELETE,
    sqlite3.SQLITE_CREATE_INDEX,
    sqlite3.SQLITE_CREATE_TABLE,
    sqlite3.SQLITE_CREATE_TEMP_INDEX,
    sqlite3.SQLITE_CREATE_TEMP_TABLE,
    sqlite3.SQLITE_CREATE_TEMP_TRIGGER,
    sqlite3.SQLITE_CREATE_TEMP_VIEW,
    sqlite3.SQLITE_CREATE_TRIGGER,
    sqlite3.SQLITE_CREATE_VIEW,
    sqlite3.SQLITE_CREATE_VTABLE,
    sqlite3.SQLITE_DROP_INDEX,
    sqlite3.SQLITE_DROP_TABLE,
    sqlite3.SQLITE_DROP_TEMP_INDEX,
    sqlite3.SQLITE_DROP_TEMP_TABLE,
    sqlite3.SQLITE_DROP_TEMP_TRIGGER,
    sqlite3.SQLITE_DROP_TEMP_VIEW,
    sqlite3.SQLITE_DROP_TRIGGER,
    sqlite3.SQLITE_DROP_VIEW,
    sqlite3.SQLITE_DROP_VTABLE,
    sqlite3.SQLITE_ALTER_TABLE,
    sqlite3.SQLITE_REINDEX,
    sqlite3.SQLITE_ANALYZE,
}
# Pragmas that only read, even with an argument (a table or index name).
_READ_ARG_PRAGMAS = {
    "table_info",
    "table_xinfo",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
    "foreign_key_check",
    "integrity_check",
    "quick_check",
}
# Pragmas that only read; every other pragma (writable_schema, query_only, journal_mode…) is denied.
_READ_PRAGMAS = _READ_ARG_PRAGMAS | {
    "database_list",
    "collation_list",
    "function_list",
    "pragma_list",
    "table_list",
    "compile_options",
    "user_version",
    "schema_version",
    "page_count",
    "page_size",
    "freelist_count",
    "encoding",
    "data_version",  # FTS5 reads it (athletes_fts)
}


def _read_only_authorizer(
    action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None
) -> int:
    if action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master" and _trigger is None:
        # SQLite asks this when FTS5 opens athletes_fts; the file is opened read-only anyway,
        # and an UPDATE of sqlite_master by a statement is refused by SQLite itself.
        return sqlite3.SQLITE_OK
    if action in _DENIED:
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA:
        # A pragma with an argument (arg2) may write; only bare reads of known pragmas pass.
        name = (arg1 or "").lower()
        if name not in _READ_PRAGMAS or (arg2 is not None and name not in _READ_ARG_PRAGMAS):
            return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _WRITING_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


_WRITING_FUNCTIONS = {"load_extension", "writefile", "edit"}


def make_engine(url: str, *, read_only: bool = False, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets foreign keys, a busy timeout and explicit transactions.

    With `read_only`, SQLite opens the file read-only with an authorizer that refuses
    every write, and PostgreSQL runs each transaction READ ONLY.
    """
    if is_sqlite(url):
        path = sqlite_path(url)
        if read_only and path is not None:
            uri = f"{path.as_uri()}?mode=ro"
            engine = create_engine(
                url,  # kept for messages; the creator opens the file read-only
                creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
                **kwargs,
            )
        else:
            engine = create_engine(url, **kwargs)
        _sqlite_listeners(engine, read_only=read_only)
        return engine
    engine = create_engine(url, **kwargs)
    if read_only:
        engine = engine.execution_options(postgresql_readonly=True)
    return engine


def open_session(url: str | None = None) -> Session:
    """A session on a built database (`url` resolved like the CLI's --db), for client programs."""
    return sessionmaker(make_engine(resolve_url(url)))()
