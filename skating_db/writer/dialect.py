"""The few statements that differ between SQLite and PostgreSQL, behind one small class.

Everything else in the writer is plain SQL both backends run as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection

from skating_db.writer.copy import STAGE_MIN, copy_rows
from skating_db.writer.keys import NATURAL_KEYS

CHUNK = 500
WRITER_LOCK = 0x5C47_1DB0  # the PostgreSQL advisory lock key all skating-db writers share


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Sql:
    """One connection's statements in its dialect: bulk inserts, upserts, id ranges, reads."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"
        self.mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
        self._locked = False

    def lock_writers(self) -> None:
        """On PostgreSQL, hold the writers' lock until the transaction ends, as SQLite's
        `BEGIN IMMEDIATE` does: loads queue, and ids the writer assigns cannot collide."""
        if not self._locked and self.postgres:
            self.conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)", {"key": WRITER_LOCK})
        self._locked = True

    def upsert(
        self, name: str, rows: Sequence[dict[str, Any]], update: dict[str, str] | None = None
    ) -> None:
        """Insert `rows`; a row whose natural key exists is skipped, or updated with `update`
        (column -> SQL expression, which may name `excluded.<column>`)."""
        if not rows:
            return
        columns = tuple(rows[0])
        action = "NOTHING"
        if update:
            action = "UPDATE SET " + ", ".join(f"{c} = {e}" for c, e in update.items())
        conflict = f"ON CONFLICT ({', '.join(NATURAL_KEYS[name])}) DO {action}"
        self._insert(name, columns, [tuple(r.values()) for r in rows], conflict)

    def bulk(
        self,
        name: str,
        columns: Sequence[str],
        rows: Sequence[tuple[Any, ...]],
        *,
        skip_known: bool = False,
    ) -> None:
        """Insert tuples in bulk, the hot path for fact rows (no ORM, no dicts).

        With `skip_known`, rows whose natural key exists are skipped
        (`INSERT … ON CONFLICT (…) DO NOTHING`, the same text on both backends).
        """
        conflict = f"ON CONFLICT ({', '.join(NATURAL_KEYS[name])}) DO NOTHING" if skip_known else ""
        self._insert(name, columns, rows, conflict)

    def _insert(
        self, name: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]], conflict: str
    ) -> None:
        """One executemany on SQLite; on PostgreSQL a COPY (through a staging table when
        rows may collide), which costs one round trip, not one per row."""
        if not rows:
            return
        if self.postgres and (not conflict or len(rows) >= STAGE_MIN):
            copy_rows(self.conn, name, columns, rows, conflict)
            return
        sql = (
            f"INSERT INTO {name} ({', '.join(columns)})"
            f" VALUES ({', '.join([self.mark] * len(columns))}) {conflict}"
        )
        self.conn.exec_driver_sql(sql, list(rows))

    def new_ids(self, name: str, count: int) -> Sequence[int]:
        """Ids for `count` rows about to be inserted into `name`, so no SELECT must find them.

        Writers never overlap (SQLite's `BEGIN IMMEDIATE`, PostgreSQL's advisory lock), so on
        SQLite the ids after the current maximum are free; PostgreSQL draws from the sequence.
        """
        if count == 0:
            return ()
        if self.postgres:  # one round trip: take the next value and move past `count`
            last = self.conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'),"
                f" nextval(pg_get_serial_sequence('{name}', 'id')) + %(n)s - 1)",
                {"n": count},
            ).scalar_one()
            return range(last - count + 1, last + 1)
        top = self.conn.exec_driver_sql(f"SELECT MAX(id) FROM {name}").scalar() or 0
        return range(top + 1, top + 1 + count)

    def date(self, value: date | None) -> date | str | None:
        """A date as the driver takes it: SQLite stores ISO text, as SQLAlchemy's Date does."""
        if value is None or self.postgres:
            return value
        return value.isoformat()

    def first_part(self, column: str) -> str:
        """SQL for the text of `column` before its first `|`."""
        if self.postgres:
            return f"split_part({column}, '|', 1)"
        return f"substr({column}, 1, instr({column}, '|') - 1)"

    def fetch_in(self, sql: str, values: Iterable[Any]) -> list[tuple[Any, ...]]:
        """Plain tuples of `sql` (ending in `IN`) for each chunk of `values`: the bulk read path."""
        values = list(dict.fromkeys(values))
        rows: list[tuple[Any, ...]] = []
        cursor = self.conn.connection.cursor()  # the driver's own: tuples, no Row objects
        try:
            for chunk in chunks(values):
                cursor.execute(f"{sql} ({', '.join([self.mark] * len(chunk))})", tuple(chunk))
                rows.extend(cursor.fetchall())
        finally:
            cursor.close()
        return rows

    def select_in(
        self, columns: str, name: str, key: str, values: Iterable[Any]
    ) -> list[tuple[Any, ...]]:
        """`columns` of the rows of table `name` whose `key` is in `values`."""
        return self.fetch_in(f"SELECT {columns} FROM {name} WHERE {key} IN", values)
