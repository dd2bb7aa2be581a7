"""Running a user's SQL: read-only at the connection level unless --write is given."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import DBAPIError, ResourceClosedError, StatementError

from skating_db.build import connect, describe_db_error
from skating_db.db import make_engine, sqlite_path
from skating_db.errors import UserError

_WRITE_REFUSALS = (
    "not authorized",
    "readonly database",
    "read-only transaction",
    "attempt to write",
    "query_only",
    "prohibited",
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
        with connect(engine) as conn, conn.begin():
            try:
                result = conn.exec_driver_sql(sql)
            except DBAPIError as exc:
                raise UserError(_describe(engine, exc, write)) from exc
            except StatementError as exc:
                raise UserError(f"SQL error: {exc.orig or exc}.") from exc
            try:
                columns = list(result.keys())
                rows = [tuple(r) for r in result.all()]
            except ResourceClosedError:
                columns, rows = [], []
        return QueryResult(columns, rows)
    finally:
        engine.dispose()


def _describe(engine: Any, exc: DBAPIError, write: bool) -> str:
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    if not write and any(word in reason.lower() for word in _WRITE_REFUSALS):
        return (
            f"the statement would change the database, and query is read-only ({reason});"
            " pass --write to allow it."
        )
    if "file is not a database" in reason or "unable to open" in reason:
        return describe_db_error(engine, exc)
    return f"SQL error: {reason}."
