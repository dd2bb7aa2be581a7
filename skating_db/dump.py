"""A PostgreSQL dump of a skating-db database (SQLite or PostgreSQL): schema, COPY data, views.

The tables are made from the models compiled for PostgreSQL, filled with `COPY … FROM
stdin` in foreign-key order, indexed, their id sequences moved past the data, and the
views made last, so `psql -f` loads the dump into an empty database in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy import Connection, Integer, Table, inspect, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from skating_db.declared import view_statements
from skating_db.errors import UserError

Batches = Callable[[Connection, Table], Iterator[Sequence[Sequence[Any]]]]
HEADER = """\
-- skating-db: a PostgreSQL dump. Load it into an empty database:
--   psql -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d skating -f skating-db.sql
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SET timezone = 'UTC';
BEGIN;
"""
# psql reads a line that starts with a backslash as a meta-command (`\!` runs a shell
# command) wherever a COPY has failed, so no row may start with one: only `\.` does.
_LEADING_BACKSLASH = (
    "{table}: a row starts with a NULL or a backslash ({line!r}) where skating-db writes a"
    " key; a SQL dump cannot hold it safely, so none was written (export another format)."
)
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value: Any) -> str:
    """A value in COPY's text format: NULL as \\N, booleans as t/f, specials escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value).translate(_ESCAPES)


_POSTGRESQL = postgresql.psycopg.dialect()  # type: ignore[no-untyped-call]


def _ddl(element: CreateTable | CreateIndex) -> str:
    return str(element.compile(dialect=_POSTGRESQL)).strip() + ";\n"


def _copy(conn: Connection, table: Table, out: IO[str], batches: Batches) -> None:
    names = ", ".join(f'"{c.name}"' for c in table.columns)
    out.write(f'COPY "{table.name}" ({names}) FROM stdin;\n')
    for batch in batches(conn, table):
        lines = ["\t".join(copy_value(v) for v in row) + "\n" for row in batch]
        for line in lines:
            if line.startswith("\\"):
                raise UserError(_LEADING_BACKSLASH.format(table=table.name, line=line[:40]))
        out.writelines(lines)
    out.write("\\.\n")


def _sequence(table: Table) -> str | None:
    """The statement that moves a table's id sequence past its rows, if it has one."""
    keys = list(table.primary_key.columns)
    if len(keys) != 1 or not isinstance(keys[0].type, Integer):
        return None
    key = keys[0].name
    return (
        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{key}'), MAX(\"{key}\"))"
        f' FROM "{table.name}" HAVING MAX("{key}") IS NOT NULL;\n'
    )


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if version is not None and not str(version).isalnum():
        raise UserError(f"The schema revision {str(version)!r} is not skating-db's.")
    return None if version is None else str(version)


def write_dump(conn: Connection, tables: list[Table], out: IO[str], batches: Batches) -> None:
    """Write the dump of `tables` (in foreign-key order) and skating-db's views to `out`."""
    out.write(HEADER)
    for table in tables:
        out.write(_ddl(CreateTable(table)))
    revision = _revision(conn)
    if revision is not None:
        out.write(
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL,"
            " CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));\n"
            f"INSERT INTO alembic_version (version_num) VALUES ('{revision}');\n"
        )
    for table in tables:
        _copy(conn, table, out, batches)
    for table in tables:
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            out.write(_ddl(CreateIndex(index)))
        statement = _sequence(table)
        if statement is not None:
            out.write(statement)
    out.writelines(view_statements())  # skating-db's own SQL, never the database's
    out.write("COMMIT;\n")
