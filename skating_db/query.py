"""Running a user's SQL, streamed: read-only unless --write, stopped by a time limit or a signal.

A read-only query on a SQLite file uses the standard library's `sqlite3` alone (see
`sqlite_read`), so it starts as fast as `sqlite3` does; writes and PostgreSQL go through
SQLAlchemy. Rows come in batches (`fetchmany`), so memory stays constant.
"""

from __future__ import annotations

import contextlib
import re
import signal
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from skating_db.errors import UserError
from skating_db.interrupts import handling
from skating_db.sqlite_read import open_read_only, tidy_after_read
from skating_db.where import location

BATCH = 1000
DEFAULT_TIMEOUT = 60.0
_WRITE_REFUSALS = (
    "not authorized",
    "readonly database",
    "read-only transaction",
    "attempt to write",
    "query_only",
    "prohibited",
    "authorization denied",
    "cannot vacuum",
)
Row = tuple[Any, ...]
Params = Mapping[str, Any]

sqlite3.register_converter("BOOLEAN", lambda raw: raw not in (b"0", b"0.0", b"false"))


@dataclass
class Stream:
    """The result of one statement: its columns and its rows, batch by batch, as fetched."""

    columns: list[str]
    batches: Iterator[list[Row]]
    changed: Callable[[], int | None] = field(default=lambda: None)  # once batches are read

    def rows_changed(self) -> int | None:
        """Rows the statement changed (known once its batches are read), None for a read."""
        return self.changed()


@dataclass(frozen=True, slots=True)
class QueryResult:
    columns: list[str]
    rows: list[Row]


def run_query(url: str, sql: str, *, write: bool = False, **options: Any) -> QueryResult:
    """Run one statement and collect every row (for client programs and tests)."""
    with stream_query(url, sql, write=write, **options) as stream:
        return QueryResult(stream.columns, [row for batch in stream.batches for row in batch])


@contextlib.contextmanager
def stream_query(
    db: str | None,
    sql: str,
    *,
    params: Params | None = None,
    write: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> Iterator[Stream]:
    """One statement on the database `db` (a path or URL, like --db), its rows streamed."""
    _refuse_unused(sql, params or {})
    url, path = "", _plain_path(db)
    if path is None:
        from skating_db.db import resolve_url, sqlite_path

        url = resolve_url(db)
        path = sqlite_path(url)
    if path is not None and not write:
        with _sqlite_read(path, sql, params or {}, Watch(timeout)) as stream:
            yield stream
    elif path is not None:
        with _sqlite_write(path, sql, params or {}, Watch(timeout)) as stream:
            yield stream
    else:
        from skating_db.pg_query import stream_postgres

        with stream_postgres(url, sql, params, write=write, timeout=timeout) as stream:
            yield stream


def parameters(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The --param NAME VALUE pairs as a mapping; an empty or repeated NAME is refused
    (one would match nothing, the other would silently drop a value)."""
    found: dict[str, str] = {}
    for name, value in pairs:
        if not name.strip():
            raise UserError("--param has an empty NAME; give the name of a :NAME in the SQL.")
        if name in found:
            raise UserError(f"--param {name} is given twice; give each parameter once.")
        found[name] = value
    return found


def _refuse_unused(sql: str, params: Params) -> None:
    """A --param whose :NAME the statement never writes would be dropped silently (a typo
    in the name); it is refused."""
    for name in params:
        if not re.search(rf":{re.escape(name)}(?!\w)", sql):
            raise UserError(f"--param {name} is not used: the statement has no :{name}.")


def is_empty_sql(sql: str) -> bool:
    """True when `sql` holds no statement: only blanks, semicolons and comments."""
    i, end = 0, len(sql)
    while i < end:
        if sql[i].isspace() or sql[i] == ";":
            i += 1
        elif sql.startswith("--", i):
            line_end = sql.find("\n", i)
            i = end if line_end < 0 else line_end + 1
        elif sql.startswith("/*", i):
            close = sql.find("*/", i + 2)
            if close < 0:
                return True  # a comment may run to the end, as SQLite reads it
            i = close + 2
        else:
            return False
    return True


def _plain_path(db: str | None) -> Path | None:
    """The SQLite file `db` names when it is a plain path (found without SQLAlchemy)."""
    raw = db if db is not None else location(None)
    if not raw or "://" in raw:
        return None
    return Path(raw).expanduser().resolve()


@dataclass
class Watch:
    """Stops a SQLite statement past its time limit (time spent in SQLite) or on a signal."""

    timeout: float
    spent: float = 0.0
    started: float | None = None
    signalled: int | None = None
    timed_out: bool = field(default=False)

    def check(self) -> int:
        """The progress handler: non-zero stops the statement."""
        if self.signalled is not None:
            return 1
        if self.timeout > 0 and self.started is not None:
            self.timed_out = self.spent + time.monotonic() - self.started > self.timeout
        return int(self.timed_out)

    def run(self, step: Callable[[], Any]) -> Any:
        """Run one step of the statement, counting its time and translating a stop."""
        self.started = time.monotonic()
        try:
            return step()
        except sqlite3.OperationalError as exc:
            self._raise_if_stopped(exc)
            raise
        finally:
            self.spent += time.monotonic() - self.started
            self.started = None

    def _raise_if_stopped(self, exc: Exception) -> None:
        if self.signalled is not None:
            raise KeyboardInterrupt from exc
        if self.timed_out:
            raise UserError(past_time_limit(self.timeout)) from exc

    def signals(self) -> contextlib.AbstractContextManager[None]:
        """SIGINT and SIGTERM stop the statement through the progress handler."""

        def handler(signum: int, _frame: FrameType | None) -> None:
            self.signalled = signum
            if self.started is None:  # not inside SQLite: stop right here
                raise KeyboardInterrupt

        return handling((signal.SIGINT, signal.SIGTERM), handler)


def _batches(cursor: sqlite3.Cursor, watch: Watch, path: Path) -> Iterator[list[Row]]:
    try:
        while batch := watch.run(lambda: cursor.fetchmany(BATCH)):
            yield batch
    except ValueError as exc:  # a declared DATE or TIMESTAMP that is not one
        raise UserError(f"{path}: a stored value cannot be read ({exc}).") from exc


@contextlib.contextmanager
def _sqlite_read(path: Path, sql: str, params: Params, watch: Watch) -> Iterator[Stream]:
    had_log = Path(f"{path}-wal").exists()
    con = open_read_only(path, busy_seconds=watch.timeout or 3600.0)
    con.set_progress_handler(watch.check, 10_000)
    try:
        with watch.signals():
            cursor = watch.run(lambda: con.execute(sql, params))
            columns = [d[0] for d in cursor.description or ()]
            yield Stream(columns, _batches(cursor, watch, path))
    except (sqlite3.Error, sqlite3.Warning) as exc:
        watch._raise_if_stopped(exc)
        raise UserError(describe_sql_error(path, exc, write=False)) from exc
    finally:
        con.close()
        tidy_after_read(path, had_log)


@contextlib.contextmanager
def _sqlite_write(path: Path, sql: str, params: Params, watch: Watch) -> Iterator[Stream]:
    """A statement that may write, in one IMMEDIATE transaction, through SQLAlchemy."""
    from skating_db.connections import opened

    with opened(f"sqlite:///{path}") as conn, watch.signals():
        transaction = conn.begin()
        raw: Any = conn.connection.driver_connection
        raw.set_progress_handler(watch.check, 10_000)
        try:
            cursor = watch.run(lambda: raw.execute(sql, params))
            columns = [d[0] for d in cursor.description or ()]
            batches = _with_booleans(columns, _batches(cursor, watch, path))
            yield Stream(columns, batches, lambda: _changed(cursor))
            transaction.commit()
        except (sqlite3.Error, sqlite3.Warning) as exc:
            watch._raise_if_stopped(exc)
            raise UserError(describe_sql_error(path, exc, write=True)) from exc
        finally:
            if transaction.is_active:
                transaction.rollback()


def _with_booleans(columns: list[str], batches: Iterator[list[Row]]) -> Iterator[list[Row]]:
    """0 and 1 as false and true in the models' boolean columns (a read gets them from the
    declared types; a statement that writes, RETURNING rows, goes by the column's name)."""
    from sqlalchemy import Boolean

    from skating_db.models import Base

    names = {
        c.name
        for t in Base.metadata.tables.values()
        for c in t.columns
        if isinstance(c.type, Boolean)
    }
    flags = [name in names for name in columns]
    if not any(flags):
        yield from batches
        return
    for batch in batches:
        yield [
            tuple(bool(v) if f and v in (0, 1) else v for v, f in zip(row, flags, strict=True))
            for row in batch
        ]


def _changed(cursor: Any) -> int | None:
    count = cursor.rowcount
    return count if isinstance(count, int) and count >= 0 else None


def past_time_limit(timeout: float) -> str:
    """The one sentence for a statement stopped at its time limit, on either backend."""
    return (
        f"The statement ran past its time limit of {timeout:g} s and was stopped"
        " (raise it with --timeout, 0 for none)."
    )


def describe_sql_error(where: Path | str, exc: Exception, *, write: bool) -> str:
    """The database's complaint about a statement, as one sentence."""
    reason = str(exc).strip().splitlines()[0].rstrip(".") if str(exc).strip() else repr(exc)
    if not write and any(word in reason.lower() for word in _WRITE_REFUSALS):
        return (
            f"The statement would change the database, and the query command is read-only"
            f" ({reason}); pass --write to allow it."
        )
    if "file is not a database" in reason:
        return f"{where}: is not a SQLite database."
    if "unable to open" in reason or "disk I/O error" in reason:
        return f"{where}: cannot read the database file ({reason})."
    return f"SQL error: {reason}."
