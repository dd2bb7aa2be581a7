"""Running a user's SQL: read-only at the connection level unless --write is given."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, ResourceClosedError, StatementError

from skating_db.connections import connect, describe_db_error
from skating_db.db import make_engine, sqlite_path
from skating_db.errors import UserError

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


@dataclass(frozen=True, slots=True)
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]


def run_query(url: str, sql: str, *, write: bool = False) -> QueryResult:
    """Run one SQL statement; without `write`, any attempt to change the database fails."""
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        raise UserError(f"{path}: no database here (build one with: skating-db rebuild).")
    engine = make_engine(url, read_only=not write)
    try:
        with connect(engine) as conn:
            transaction = conn.begin()
            try:
                columns, rows = _execute(conn, sql)
            except DBAPIError as exc:
                raise UserError(_describe(engine, exc, write)) from exc
            except StatementError as exc:
                raise UserError(f"SQL error: {exc.orig or exc}.") from exc
            finally:
                if write and transaction.is_active and sys.exc_info()[0] is None:
                    transaction.commit()
                elif transaction.is_active:
                    transaction.rollback()
        return QueryResult(columns, rows)
    finally:
        engine.dispose()


def _execute(conn: Connection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run exactly one statement.

    SQLite's driver refuses a second statement by itself; on PostgreSQL the
    statement goes through the extended protocol (prepare=True), which refuses
    `…; …`, so no `COMMIT; DELETE …` can escape the read-only transaction.
    """
    if conn.dialect.name != "postgresql":
        result = conn.exec_driver_sql(sql)
        try:
            return list(result.keys()), [tuple(r) for r in result.all()]
        except ResourceClosedError:
            return [], []
    conn.exec_driver_sql("SELECT 1")  # fixes the transaction's mode before the user's statement
    raw: Any = conn.connection.driver_connection
    with raw.cursor() as cursor:
        try:
            cursor.execute(sql, prepare=True)
        except raw.Error as exc:
            raise DBAPIError(sql, None, exc) from exc
        if cursor.description is None:
            return [], []
        return [d.name for d in cursor.description], [tuple(r) for r in cursor.fetchall()]


def _describe(engine: Any, exc: DBAPIError, write: bool) -> str:
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    reason = reason.rstrip(".")
    if not write and any(word in reason.lower() for word in _WRITE_REFUSALS):
        return (
            f"the statement would change the database, and query is read-only ({reason});"
            " pass --write to allow it."
        )
    if "file is not a database" in reason or "unable to open" in reason:
        return describe_db_error(engine, exc)
    return f"SQL error: {reason}."
