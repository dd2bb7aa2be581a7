"""Where the database is and how to connect to it: URL resolution and engine factories."""

from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from skating_db.errors import UserError
from skating_db.sqlite_read import read_only_authorizer as _read_only_authorizer
from skating_db.sqlite_read import read_only_connection
from skating_db.where import location

BUSY_TIMEOUT_MS = 60_000


def resolve_url(db: str | None = None) -> str:
    """The database URL: `db`, else $SKATING_DB_URL, else ./skating.db; a plain path is SQLite.

    A relative SQLite path, plain or in a URL, is made absolute against the current folder.
    """
    if db is not None and not db.strip():
        raise UserError("--db is empty; give a database file path or URL (or leave --db out).")
    raw = location(db)
    if "://" in raw:
        try:
            parsed = make_url(raw)
        except (ArgumentError, ValueError) as exc:  # ValueError: a port that is no number
            where = hide_password(raw)
            raise UserError(f"'{where}' is not a database URL or a file path.") from exc
        _remember_secrets(parsed)
        _check_driver(parsed)
        _refuse_memory(parsed)
        if parsed.get_backend_name() == "sqlite":
            _refuse_sqlite_options(parsed)
            absolute = str(Path(parsed.database or "").expanduser().resolve())
            return parsed.set(database=absolute).render_as_string(hide_password=False)
        return raw
    return URL.create("sqlite", database=str(Path(raw).expanduser().resolve())).render_as_string()


_SECRETS: set[str] = set()  # the parts of the URLs in use that are a password


def scrub(message: str) -> str:
    """`message` with every password of a URL this process was given written as ***: a
    driver's complaint may quote one (a host read from a password with an unescaped @)."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        message = message.replace(secret, "***")
    return message


def _remember_secrets(parsed: URL) -> None:
    pieces: list[object] = [parsed.password]
    for key, value in parsed.query.items():
        if "password" in key.lower():
            pieces += [value] if isinstance(value, str) else list(value)
    if parsed.host and "@" in parsed.host:  # `user:pa@ss@host`: all but the last part
        pieces += parsed.host.split("@")[:-1]
    _SECRETS.update(str(p) for p in pieces if p is not None and len(str(p)) >= 3)


def hide_password(url: str | URL) -> str:
    """A URL as a message shows it: a password, after `user:` or in the query string
    (`?password=`, libpq takes it there too), written as ***."""
    if isinstance(url, str):
        with contextlib.suppress(ArgumentError, ValueError):  # else masked as text below
            url = make_url(url)
    text = url.render_as_string(hide_password=True) if isinstance(url, URL) else url
    text = re.sub(r"(://[^/?#@:]*:)[^/?#]*@", r"\1***@", text)  # to the last @: an unescaped @
    return re.sub(r"(?i)([?&][^=&#]*password=)[^&#]*", r"\1***", text)


def _refuse_memory(parsed: URL) -> None:
    """An in-memory SQLite database would start empty and vanish when the command ends."""
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise UserError(
            f"'{hide_password(parsed)}' is a SQLite database in memory: it starts empty and"
            " nothing in it is kept; give a database file (a path or sqlite:///PATH)."
        )


def _check_driver(parsed: URL) -> None:
    """Refuse, in one sentence, a URL whose database kind or driver is not available."""
    where = hide_password(parsed)
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


def _refuse_sqlite_options(parsed: URL) -> None:
    """A SQLite URL with options (`?mode=ro&uri=true`) is refused: they would be ignored, or
    name another file, and the commands choose read-only or writable access themselves."""
    if parsed.query:
        options = ", ".join(sorted(parsed.query))
        raise UserError(
            f"'{hide_password(parsed)}': options in a SQLite URL ({options}) are not used;"
            " give the file's path (query, check, search and export open it read-only)."
        )


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


def _open(path: Path, options: str) -> sqlite3.Connection:
    """`path` opened with these URI options, its header read (so a failure shows now)."""
    con = sqlite3.connect(f"{path.as_uri()}?{options}", uri=True, check_same_thread=False)
    try:
        con.execute("PRAGMA schema_version").fetchone()
    except BaseException:
        con.close()
        raise
    return con


def make_engine(url: str, *, read_only: bool = False, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets foreign keys, a busy timeout and explicit transactions.

    With `read_only`, SQLite opens the file read-only with an authorizer that refuses
    every write, and PostgreSQL runs each transaction READ ONLY.
    """
    if is_sqlite(url):
        path = sqlite_path(url)
        if read_only and path is not None:
            engine = create_engine(
                url,  # kept for messages; the creator opens the file read-only
                creator=lambda: read_only_connection(path, functools.partial(_open, path)),
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
