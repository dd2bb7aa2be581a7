"""A user's statement on PostgreSQL: read-only whatever the connecting role may do.

Without --write, three guards hold: the transaction is READ ONLY; the statement must be a
read (SELECT, WITH, VALUES, TABLE, SHOW, EXPLAIN: never COPY) and name none of the
functions that reach the server's files and processes; and, when the connecting role may,
it runs as `skating_db_reader`, a role with nothing but `pg_read_all_data`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from itertools import islice
from typing import Any

from skating_db.errors import UserError
from skating_db.query import BATCH, Row, Stream, describe_sql_error, past_time_limit

READER_ROLE = "skating_db_reader"
_READS = {"select", "with", "values", "table", "show", "explain"}
_LEADING = re.compile(r"(\s+|--[^\n]*|/\*.*?\*/|\()*", re.DOTALL)
# Functions that read or write the server's files, signal its processes, change its
# settings, run SQL given as text, or reach other servers.
_DENIED_FUNCTIONS = re.compile(
    r"\b(pg_read_file|pg_read_binary_file|pg_ls_\w+|pg_stat_file|pg_file_\w+|pg_logdir_ls"
    r"|lo_\w+|pg_terminate_backend|pg_cancel_backend|pg_signal_backend|pg_reload_conf"
    r"|pg_rotate_logfile\w*|pg_promote|pg_switch_wal|pg_log_backend_memory_contexts"
    r"|pg_create_\w+|pg_drop_replication_slot|pg_replication_\w+|pg_logical_\w+"
    r"|pg_import_system_collations|pg_notify|pg_advisory\w*|pg_try_advisory\w*"
    r"|dblink\w*|set_config|query_to_xml\w*|cursor_to_xml\w*)\b"
)
_STATE = (
    "SELECT r.rolsuper AS superuser,"
    " EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pg_read_all_data') AS read_all,"
    f" EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{READER_ROLE}') AS reader,"
    f" (SELECT pg_has_role(current_user, oid, 'MEMBER') FROM pg_roles"
    f"  WHERE rolname = '{READER_ROLE}') AS member"
    " FROM pg_roles r WHERE r.rolname = current_user"
)


def refuse_unsafe(sql: str) -> None:
    """Refuse, in one sentence, a statement a read-only query must not run on PostgreSQL."""
    start = _LEADING.match(sql)
    words = sql[start.end() if start else 0 :].split(None, 1)
    keyword = words[0].lower().rstrip(";") if words else ""
    if keyword == "copy":
        raise UserError(
            "COPY reaches the server's files and programs, and the query command is read-only;"
            " pass --write to run it."
        )
    if keyword and keyword not in _READS:
        raise UserError(
            f"The query command is read-only and runs only SELECT, WITH, VALUES, TABLE, SHOW"
            f" or EXPLAIN on PostgreSQL (this statement is {keyword.upper()}); pass --write to"
            " run it."
        )
    folded = sql.lower().replace('"', "")
    if 'u&"' in sql.lower():
        raise UserError('The query command is read-only and refuses Unicode-escaped names (U&"…").')
    found = _DENIED_FUNCTIONS.search(folded)
    if found:
        raise UserError(
            f"{found.group(1)} reaches the server's files, processes or settings, and the query"
            " command is read-only; pass --write to run it."
        )


@contextlib.contextmanager
def stream_postgres(
    url: str, sql: str, params: Mapping[str, Any] | None, *, write: bool, timeout: float
) -> Iterator[Stream]:
    """One statement in one transaction: READ ONLY and unprivileged unless `write`."""
    from skating_db.connections import connect
    from skating_db.db import make_engine

    if not write:
        refuse_unsafe(sql)
    engine = make_engine(url, read_only=not write)
    try:
        with connect(engine) as conn:
            transaction = conn.begin()
            conn.exec_driver_sql("SELECT 1")  # fixes the transaction's mode first
            raw: Any = conn.connection.driver_connection
            try:
                with raw.cursor() as cursor:
                    _prepare(cursor, url, timeout, write=write)
                    stream = _run(cursor, _bound(conn, sql, params), params, write=write)
                    try:
                        yield stream
                    finally:  # a stream left open holds the connection's lock: closing it
                        _close(stream.batches)  # cancels the rest, so nothing waits on it
                if write:
                    transaction.commit()
            except raw.Error as exc:
                raise UserError(_describe(url, exc, timeout, write)) from exc
            finally:
                if transaction.is_active:
                    transaction.rollback()
    finally:
        engine.dispose()


def _prepare(cursor: Any, url: str, timeout: float, *, write: bool) -> None:
    """The time limit, and for a read the unprivileged role when the connecting role may."""
    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [f"{timeout * 1000:.0f}"])
    if write:
        return
    state = cursor.execute(_STATE).fetchone()
    superuser, read_all, reader, member = state
    if superuser and read_all and not reader:
        _create_reader(url)
    if (superuser and read_all) or member:
        cursor.execute(f"SET LOCAL ROLE {READER_ROLE}")


def _create_reader(url: str) -> None:
    """Create the reader role once, in its own transaction (a concurrent twin may win)."""
    from sqlalchemy.exc import DBAPIError

    from skating_db.db import make_engine

    engine = make_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"CREATE ROLE {READER_ROLE} NOLOGIN")
            conn.exec_driver_sql(f"GRANT pg_read_all_data TO {READER_ROLE}")
    except DBAPIError as exc:
        if "already exists" not in str(exc):
            raise
    finally:
        engine.dispose()


def _bound(conn: Any, sql: str, params: Mapping[str, Any] | None) -> str:
    """`:name` parameters in the driver's style (`%(name)s`); the text as is without any."""
    if not params:
        return sql
    from sqlalchemy import text

    return str(text(sql).compile(dialect=conn.dialect))


def _run(cursor: Any, sql: str, params: Mapping[str, Any] | None, *, write: bool) -> Stream:
    """Reads stream from the server (one statement, extended protocol); writes fetch in batches."""
    if write:
        cursor.execute(sql, params or None, prepare=True)
        columns = [d.name for d in cursor.description or ()]
        batches: Iterator[list[Row]] = iter(())
        if cursor.description is not None:
            batches = iter(lambda: cursor.fetchmany(BATCH), [])
        return Stream(columns, batches, lambda: max(cursor.rowcount, 0))
    rows = cursor.stream(sql, params or None)
    first = list(islice(rows, BATCH))
    columns = [d.name for d in cursor.description or ()]
    return Stream(columns, _chunks(first, rows))


def _chunks(first: list[Row], rows: Iterator[Row]) -> Iterator[list[Row]]:
    try:
        batch = first
        while batch:
            yield batch
            batch = list(islice(rows, BATCH))
    finally:  # the reader went away: the server's stream is cancelled, not waited on
        _close(rows)


def _close(iterator: Iterator[Any]) -> None:
    close = getattr(iterator, "close", None)
    if close is not None:
        close()


def _describe(url: str, exc: Exception, timeout: float, write: bool) -> str:
    from skating_db.db import hide_password

    reason = str(exc).strip()
    if "statement timeout" in reason:
        return past_time_limit(timeout)
    if not write and "permission denied" in reason:
        first = reason.splitlines()[0].rstrip(".")
        return (
            f"The query command is read-only and runs without that privilege ({first});"
            " pass --write."
        )
    return describe_sql_error(hide_password(url), exc, write=write)
