"""The few statements that differ between SQLite and PostgreSQL, behind one small class.

The writer talks to the driver's own cursor: each statement costs the database's work
and nothing more (no SQLAlchemy compilation or result objects per document).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Connection

CHUNK = 500
_NAMED = re.compile(r"(?<![:\w]):(\w+)")  # `:sid`, not a `::` cast
WRITER_LOCK = 0x5C47_1DB0  # the PostgreSQL advisory lock key all skating-db writers share


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# Every column's type in the schema the writer's tables are found in (`Sql._column_types`).
COLUMN_TYPES = (
    "SELECT c.relname, a.attname, t.typname FROM pg_attribute a"
    " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid"
    " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'"
    " AND a.attnum > 0 AND NOT a.attisdropped"
)
# What a send writes: ("copy", table, columns, rows) or ("many", sql, parameter rows), in order.
Statement = tuple[str, str, Sequence[Any], Sequence[Any]]


class _Behind:
    """Statements running on a thread of their own while the writer goes on; what they
    raised is raised again where the writer waits for them."""

    def __init__(self, work: Callable[[], None]) -> None:
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(work,), daemon=True)
        self.thread.start()

    def _run(self, work: Callable[[], None]) -> None:
        try:
            work()
        except BaseException as exc:  # raised in the writer's thread, in `join`
            self.error = exc

    def join(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


class Sql:
    """One connection's statements in its dialect: bulk inserts, updates, reads."""

    def __init__(self, driver: Any, *, postgres: bool) -> None:
        self.driver = driver  # the DB-API connection: sqlite3's or psycopg's
        self.postgres = postgres
        self.mark = "%s" if self.postgres else "?"
        self._locked = False
        self._behind: _Behind | None = None
        self._types: dict[tuple[str, str], str] | None = None  # (table, column) -> its type

    @classmethod
    def of(cls, conn: Connection) -> Sql:
        """The statements of a SQLAlchemy connection, sent through its driver."""
        driver = conn.connection.driver_connection
        assert driver is not None
        return cls(driver, postgres=conn.dialect.name == "postgresql")

    def _cursor(self) -> Any:
        self.wait()
        return self._driver_cursor()

    def _driver_cursor(self) -> Any:
        return self.driver.cursor()

    def send(self, statements: list[Statement], *, behind: bool = False) -> None:
        """Run `statements` in order. `behind` (PostgreSQL): on a thread, while the writer
        prepares the next rows (the server works through a `COPY` as long as the writer
        did to make it); any later statement waits for them first (`wait`)."""
        self.wait()
        if behind and self.postgres:
            self._behind = _Behind(lambda: self._run(statements))
        else:
            self._run(statements)

    def wait(self) -> None:
        """Until the statements sent behind have run; raises what they raised."""
        behind, self._behind = self._behind, None
        if behind is not None:
            behind.join()

    def _run(self, statements: list[Statement]) -> None:
        for kind, target, columns, rows in statements:
            if kind == "copy":
                self._insert(target, columns, rows)
            else:
                self._many(target, rows)

    def lock_writers(self) -> None:
        """On PostgreSQL, hold the writers' lock until the transaction ends, as SQLite's
        `BEGIN IMMEDIATE` does: loads queue, and the ids the writer draws cannot collide."""
        if not self._locked and self.postgres:
            self.rows("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))
        self._locked = True

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one statement, as plain tuples (`?` or `%s` placeholders: `mark`)."""
        return self._fetched(sql, tuple(params))

    def named(self, sql: str, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """The rows of one statement written with `:name` parameters, as SQLite takes them
        (psycopg's `%(name)s` on PostgreSQL)."""
        if self.postgres:
            sql = _NAMED.sub(r"%(\1)s", sql)
        return self._fetched(sql, dict(params))

    def _fetched(self, sql: str, params: tuple[Any, ...] | dict[str, Any]) -> list[tuple[Any, ...]]:
        cursor = self._cursor()
        try:
            cursor.execute(sql, params)
            return list(cursor.fetchall()) if cursor.description else []
        finally:
            cursor.close()

    def many(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        """One statement for each parameter row (one executemany)."""
        self.wait()
        self._many(sql, params)

    def _many(self, sql: str, params: Sequence[Sequence[Any]]) -> None:
        if not params:
            return
        cursor = self._driver_cursor()
        try:
            cursor.executemany(sql, list(params))
        finally:
            cursor.close()

    def insert(self, name: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        """New rows into table `name`: one executemany on SQLite, one `COPY` on PostgreSQL."""
        self.wait()
        self._insert(name, columns, rows)

    def _insert(self, name: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        listed = ", ".join(columns)
        if not self.postgres:
            self._many(
                f"INSERT INTO {name} ({listed}) VALUES ({', '.join('?' * len(columns))})", rows
            )
            return
        types = self._column_types(name, columns)
        binary = " (FORMAT BINARY)" if types is not None else ""
        cursor = self._driver_cursor()
        try:
            with cursor.copy(f"COPY {name} ({listed}) FROM STDIN{binary}") as copy:
                if types is not None:
                    copy.set_types(types)
                for row in rows:
                    copy.write_row(row)
        finally:
            cursor.close()

    def _column_types(self, name: str, columns: Sequence[str]) -> list[str] | None:
        """PostgreSQL: the types of table `name`'s `columns`, for a binary `COPY` (psycopg
        formats 100 k placements in a third of the CPU text takes, the server parses them in
        three quarters); None when the catalog does not name them all: the `COPY` is text."""
        if self._types is None:
            cursor = self._driver_cursor()
            try:
                cursor.execute(COLUMN_TYPES)
                self._types = {(table, column): kind for table, column, kind in cursor}
            finally:
                cursor.close()
        found = [self._types.get((name, column)) for column in columns]
        return None if None in found else [kind for kind in found if kind is not None]

    def max_id(self, name: str) -> int:
        """The largest id of table `name` (0 when it is empty)."""
        found = self.rows(f"SELECT MAX(id) FROM {name}")[0][0]
        return int(found or 0)

    def move_sequence(self, name: str) -> None:
        """PostgreSQL: the table's id sequence continues after its largest id, since the
        writer draws ids itself (a later insert without an id must not collide)."""
        if self.postgres:
            self.rows(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), MAX(id))"
                f" FROM {name} HAVING MAX(id) IS NOT NULL"
            )

    def select_by(
        self, columns: str, name: str, key: str, values: Iterable[int]
    ) -> list[tuple[Any, ...]]:
        """`columns` of the rows of table `name` whose integer `key` is one of `values`.

        On PostgreSQL the index is probed once per value whatever the planner believes of
        a table that grew inside this transaction (it has no statistics yet, and would
        scan the whole table for a long list).
        """
        wanted = list(dict.fromkeys(values))
        if not wanted:
            return []
        if self.postgres:
            return self.rows(
                f"SELECT r.* FROM unnest(%s::integer[]) AS k(v) CROSS JOIN LATERAL"
                f" (SELECT {columns} FROM {name} WHERE {key} = k.v OFFSET 0) AS r",
                (wanted,),
            )
        found: list[tuple[Any, ...]] = []
        for chunk in chunks(wanted):
            found += self.rows(
                f"SELECT {columns} FROM {name} WHERE {key} IN ({', '.join('?' * len(chunk))})",
                chunk,
            )
        return found

    def date(self, value: date | None) -> date | str | None:
        """A date as the driver takes it: SQLite stores ISO text, as SQLAlchemy's Date does."""
        if value is None or self.postgres:
            return value
        return value.isoformat()

    def timestamp(self, value: datetime) -> datetime | str:
        """A timestamp as SQLAlchemy's DateTime stores it: text on SQLite (no zone)."""
        if self.postgres:
            return value
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
