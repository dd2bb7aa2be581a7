"""Opening a SQLite database for reading with the standard library alone (no SQLAlchemy).

Three guards, each enough on its own: the file is opened read-only (`mode=ro`),
`PRAGMA query_only` is on, and an authorizer refuses every statement that writes.
`skating-db query` uses this path so that it starts as fast as `sqlite3` does.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from skating_db.errors import UserError, no_database

_WRITING_FUNCTIONS = {"load_extension", "writefile", "edit"}
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


def read_only_authorizer(
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


def open_read_only(path: Path, *, busy_seconds: float = 60.0) -> sqlite3.Connection:
    """`path` opened read-only with every guard; a folder without write permission works too."""
    _check_file(path)
    return read_only_connection(path, lambda options: _guarded(path, options, busy_seconds))


def read_only_connection(
    path: Path, open_with: Callable[[str], sqlite3.Connection]
) -> sqlite3.Connection:
    """`open_with("mode=ro")`, the URI options that open `path` read-only.

    A database in WAL mode needs its `-shm` file; where SQLite cannot create it (a folder
    we may not write to, read-only storage), the file is opened `immutable` instead. That is
    safe only there: nobody can be writing it, since a writer needs that folder for its
    journal or WAL. A `-wal` file holding changes not yet in the database is refused.
    """
    try:
        return open_with("mode=ro")
    except sqlite3.DatabaseError as exc:
        if not _cannot_create_beside(path, exc):
            raise UserError(describe_open_error(path, exc)) from exc
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise UserError(
            f"{path}: cannot be read: its folder is not writable and {wal.name} holds changes"
            " not yet in the database; open it once where it can be written."
        )
    try:
        return open_with("mode=ro&immutable=1")
    except sqlite3.DatabaseError as exc:
        raise UserError(describe_open_error(path, exc)) from exc


def tidy_after_read(path: Path, had_log: bool) -> None:
    """Remove the empty `-wal`/`-shm` files a read of a WAL database left, as SQLite does.

    A read-only connection cannot delete them, so a guarded connection that may write
    opens the file and closes it: SQLite then removes them if no one else has it open.
    """
    wal = Path(f"{path}-wal")
    if had_log or not wal.exists() or wal.stat().st_size > 0:
        return
    try:
        con = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    except sqlite3.Error:
        return
    try:
        con.execute("PRAGMA query_only = ON")
        con.set_authorizer(read_only_authorizer)
        con.execute("PRAGMA schema_version").fetchone()
    except sqlite3.Error:
        pass
    finally:
        con.close()


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise UserError(f"{path}: is a folder, not a database file.")
    if not path.is_file():
        raise UserError(no_database(path))
    if not os.access(path, os.R_OK):
        raise UserError(f"{path}: cannot be read (permission denied).")


def _guarded(path: Path, options: str, busy_seconds: float) -> sqlite3.Connection:
    con = sqlite3.connect(
        f"{path.as_uri()}?{options}",
        uri=True,
        timeout=busy_seconds,
        isolation_level=None,
        detect_types=sqlite3.PARSE_DECLTYPES,
        check_same_thread=False,
    )
    try:
        con.execute("PRAGMA query_only = ON")
        con.execute("PRAGMA schema_version").fetchone()  # reads the header and the WAL index
        con.set_authorizer(read_only_authorizer)
    except BaseException:
        con.close()
        raise
    return con


def _cannot_create_beside(path: Path, exc: sqlite3.DatabaseError) -> bool:
    reason = str(exc).lower()
    blocked = "unable to open" in reason or "readonly" in reason or "read-only" in reason
    return blocked and not os.access(path.parent, os.W_OK)


_SQLITE_COMPLAINTS = (
    ("file is not a database", "is not a SQLite database."),
    ("unable to open", "cannot open the database file."),
    ("malformed", "the database file is damaged ({reason}); rebuild it."),
    ("readonly", "cannot be read here: SQLite needs to write beside it ({reason})."),
)


def sqlite_complaint(where: object, reason: str) -> str:
    """A SQLite driver complaint about the file at `where`, as one sentence naming it."""
    reason = reason.strip().rstrip(".")
    for words, sentence in _SQLITE_COMPLAINTS:
        if words in reason:
            return f"{where}: " + sentence.format(reason=reason)
    return f"{where}: {reason}."


def describe_open_error(path: Path, exc: sqlite3.DatabaseError) -> str:
    """The driver's complaint about opening `path`, as one sentence that names it."""
    return sqlite_complaint(path, str(exc))
