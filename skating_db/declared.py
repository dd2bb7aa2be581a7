"""The schema skating-db declares, as its migrations build it, and what a database holds beyond.

The reference is made by running the migrations into a scratch in-memory SQLite database
(for PostgreSQL, into a scratch schema inside a transaction that is rolled back), so it is
exactly what `skating-db migrate` makes and nothing here repeats the migrations' SQL.
`export` writes only what is declared; `check` names the rest and any redefined view.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError

from skating_db.errors import UserError
from skating_db.models import VIEW_NAMES, Base, is_mapped_name

_SQLITE_SHAPE = {
    "tables": "SELECT name FROM sqlite_master WHERE type = 'table'"
    " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    "columns": "SELECT m.name AS owner, c.name FROM sqlite_master m"
    " JOIN pragma_table_info(m.name) c WHERE m.type = 'table'",
    "views": "SELECT name, sql AS definition FROM sqlite_master WHERE type = 'view' ORDER BY rowid",
    "triggers": "SELECT name, tbl_name AS owner FROM sqlite_master WHERE type = 'trigger'",
}
_PG_SHAPE = {
    "tables": "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n"
    " ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'f')"
    " AND n.nspname = current_schema()",
    "columns": "SELECT c.relname AS owner, a.attname AS name FROM pg_attribute a"
    " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE c.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped"
    " AND n.nspname = current_schema()",
    "views": "SELECT c.relname AS name, pg_get_viewdef(c.oid) AS definition FROM pg_class c"
    " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v', 'm')"
    " AND n.nspname = current_schema() ORDER BY c.oid",
    "triggers": "SELECT t.tgname AS name, c.relname AS owner FROM pg_trigger t"
    " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE NOT t.tgisinternal AND n.nspname = current_schema()",
}


@dataclass(frozen=True, slots=True)
class Shape:
    """A schema's tables (with their columns), views (with their SQL, in creation order)
    and triggers (with their table)."""

    columns: dict[str, frozenset[str]]
    views: dict[str, str]
    triggers: dict[str, str]


def shape(conn: Connection) -> Shape:
    """What the schema `conn` works in holds (PostgreSQL: its current schema)."""
    queries = _SQLITE_SHAPE if conn.dialect.name == "sqlite" else _PG_SHAPE
    tables = {str(r.name) for r in conn.execute(text(queries["tables"]))}
    columns: dict[str, set[str]] = {name: set() for name in tables}
    for row in conn.execute(text(queries["columns"])):
        columns.setdefault(str(row.owner), set()).add(str(row.name))
    views = {str(r.name): str(r.definition) for r in conn.execute(text(queries["views"]))}
    triggers = {str(r.name): str(r.owner) for r in conn.execute(text(queries["triggers"]))}
    return Shape({t: frozenset(c) for t, c in columns.items()}, views, triggers)


@functools.cache
def sqlite_reference() -> Shape:
    """The schema the migrations build in a new SQLite database (built once per process)."""
    from skating_db.migrate import upgrade

    engine = create_engine("sqlite://")
    try:
        with engine.connect() as conn:
            with conn.begin():
                upgrade(conn)
            return shape(conn)
    finally:
        engine.dispose()


def postgres_reference(url: str) -> Shape:
    """The schema the migrations build on this PostgreSQL server, made in a scratch schema
    inside a transaction that is rolled back: the database is left as it was."""
    from skating_db.db import make_engine
    from skating_db.migrate import upgrade

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            transaction = conn.begin()
            try:
                scratch = f"skating_db_reference_{os.getpid()}"
                conn.exec_driver_sql(f'CREATE SCHEMA "{scratch}"')
                conn.exec_driver_sql(f'SET LOCAL search_path TO "{scratch}"')
                upgrade(conn)
                return shape(conn)
            finally:
                transaction.rollback()
    finally:
        engine.dispose()


def postgresql_statements() -> list[str]:
    """The PostgreSQL-only objects of the schema (the athlete search index, its functions
    and triggers), as the revisions that define `postgresql_statements()` make them, in
    revision order; the SQL dump runs them after the data."""
    import importlib.util

    from skating_db import resources

    statements: list[str] = []
    for path in sorted(resources.migrations_dir().glob("versions/[0-9]*.py")):
        spec = importlib.util.spec_from_file_location(f"skating_db_dump_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        make = getattr(module, "postgresql_statements", None)
        statements += make() if make is not None else []
    return [_terminated(sql) for sql in statements]


def view_statements() -> list[str]:
    """The CREATE VIEW statements of the declared views, as the migrations write them, in
    the order they make them (a view comes after those it reads)."""
    views = sqlite_reference().views
    return [_terminated(views[name]) for name in views if name in VIEW_NAMES]


def _terminated(sql: str) -> str:
    """One statement of the dump: its own text, ended by exactly one `;` and a newline."""
    return sql.strip().rstrip(";") + ";\n"


def _ours(table: str) -> bool:
    """A table skating-db makes: a model's, Alembic's, or the search index and its parts."""
    return (
        table in Base.metadata.tables
        or table == "alembic_version"
        or not is_mapped_name(table, "table")
    )


def extras(found: Shape, expected: Shape | None = None) -> list[str]:
    """What `found` holds beyond the data model, one phrase each (`view x`, `column t.c`).

    Without a reference of the same backend, tables, views and the models' columns are
    compared by name only; with one, every column and trigger too.
    """
    out = [f"table {_shown(t)}" for t in sorted(found.columns) if not _ours(t)]
    for table in sorted(t for t in found.columns if _ours(t)):
        declared = _declared_columns(table, expected)
        if declared is not None:
            out += [f"column {table}.{_shown(c)}" for c in sorted(found.columns[table] - declared)]
    out += [f"view {_shown(v)}" for v in found.views if v not in VIEW_NAMES]
    if expected is not None:
        out += [
            f"trigger {_shown(name)} (on {_shown(table)})"
            for name, table in sorted(found.triggers.items())
            if name not in expected.triggers
        ]
    return out


def _shown(name: str) -> str:
    """A name as a message shows it: quoted, escapes and all, unless it is a plain word."""
    return name if re.fullmatch(r"\w+", name, re.ASCII) else repr(name)


def _declared_columns(table: str, expected: Shape | None) -> frozenset[str] | None:
    """A table's declared columns; None for the search index without a reference (its
    columns differ between backends)."""
    if expected is not None and table in expected.columns:
        return expected.columns[table]
    model = Base.metadata.tables.get(table)
    if model is not None:
        return frozenset(c.name for c in model.columns)
    return frozenset({"version_num"}) if table == "alembic_version" else None


def redefined(found: Shape, expected: Shape) -> list[str]:
    """The declared views present in `found` whose SQL is not the migrations' own."""
    return [
        name
        for name in VIEW_NAMES
        if name in found.views
        and name in expected.views
        and _plain(found.views[name]) != _plain(expected.views[name])
    ]


def _plain(sql: str) -> str:
    """SQL without its outer blanks and final semicolon (how each backend keeps it)."""
    return re.sub(r"[\s;]+$", "", sql.strip())


def drift(conn: Connection, url: str, notes: list[str]) -> tuple[list[str], list[str]]:
    """For `check`: what the schema holds beyond the data model (one phrase each), and a
    sentence for each declared view whose SQL is not the migrations' own."""
    expected = _reference(conn, url, notes)
    found = shape(conn)
    changed = redefined(found, expected) if expected is not None else []
    return extras(found, expected), [
        f"the view {name} is not skating-db's: its SQL differs from the migrations';"
        " rebuild the database to restore it."
        for name in changed
    ]


def refuse_redefined(conn: Connection, url: str, where: str, doing: str) -> None:
    """Refuse, before `doing`, a database whose declared views have SQL other than the
    migrations' (what they return would not be the data model's)."""
    notes: list[str] = []
    expected = _reference(conn, url, notes)
    changed = redefined(shape(conn), expected) if expected is not None else []
    if changed:
        raise UserError(
            f"{where}: the view {changed[0]} is not skating-db's (its SQL differs from the"
            f" migrations'); rebuild the database before {doing} (skating-db check says more)."
        )


def _reference(conn: Connection, url: str, notes: list[str]) -> Shape | None:
    if conn.dialect.name == "sqlite":
        return sqlite_reference()
    try:
        return postgres_reference(url)
    except DBAPIError as exc:
        from skating_db.connections import first_line

        notes.append(
            "PostgreSQL: the reference schema could not be built in a scratch schema"
            f" ({first_line(exc)}), so triggers and view definitions were not compared."
        )
        return None
