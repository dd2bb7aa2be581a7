"""Rows decided but not yet sent: the writer sends many documents' rows in one statement
per table, and draws their ids itself.

An id is the one after the largest in its table, as SQLite gives a row inserted without
one, so both backends number rows alike and nothing needs reading back. The rows wait
here until enough have gathered (or a read needs them in the database): then each table
gets one executemany (SQLite) or one `COPY` (PostgreSQL), parents before children, and
the queued fills of empty columns follow. A later document finds the rows still
waiting by a column (`waiting_by`) without a query; they are indexed only then.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from skating_db.tables import TABLE_ORDER
from skating_db.writer.dialect import Sql, Statement

FLUSH_ROWS = 10_000  # rows gathered before they are sent: a short pause for parsers ahead


class Pending:
    """The rows and fills waiting to be sent, and the ids drawn for them."""

    def __init__(self, sql: Sql) -> None:
        self.sql = sql
        self._next: dict[str, int] = {}  # table -> the next id to draw
        self._unsent_from: dict[str, int] = {}  # table -> the first id drawn since the last send
        self._drawn: set[str] = set()  # tables whose PostgreSQL sequence must move at the end
        self._rows: dict[str, tuple[Sequence[str], list[tuple[Any, ...]]]] = {}
        self._fills: dict[str, list[tuple[Any, ...]]] = {}  # UPDATE -> parameter rows, in order
        self.count = 0
        # (table, column) -> the rows waiting by that column's value, and how many are indexed
        self._by: dict[tuple[str, str], tuple[defaultdict[Any, list[tuple[Any, ...]]], int]] = {}

    def ids(self, table: str, count: int) -> range:
        """Ids for `count` new rows of `table`: after the largest it holds or was given."""
        if not count:
            return range(0)
        start = self._next.get(table)
        if start is None:
            start = self.sql.max_id(table) + 1
        self._next[table] = start + count
        self._unsent_from.setdefault(table, start)
        self._drawn.add(table)
        return range(start, start + count)

    def unsent(self, table: str, row_id: int) -> bool:
        """The row `row_id` of `table` waits here, so the database does not hold it yet."""
        first = self._unsent_from.get(table)
        return first is not None and row_id >= first

    def add(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """Rows for `table` (the same columns each time for one table)."""
        if not rows:
            return
        held = self._rows.get(table)
        if held is None:
            self._rows[table] = (columns, rows)
        else:
            assert held[0] == columns, (table, held[0], columns)
            held[1].extend(rows)
        self.count += len(rows)

    def waiting_by(self, table: str, column: str) -> dict[Any, list[tuple[Any, ...]]]:
        """The rows of `table` waiting here, by the value of `column` (indexed on demand:
        most documents share no rows with the ones before them)."""
        index, done = self._by.get((table, column), (defaultdict(list), 0))
        held = self._rows.get(table)
        if held is not None:
            position = list(held[0]).index(column)
            for row in held[1][done:]:
                index[row[position]].append(row)
            done = len(held[1])
        self._by[table, column] = (index, done)
        return index

    def fill(self, sql: str, params: tuple[Any, ...]) -> None:
        """An UPDATE that fills an empty column, run after the rows it may concern."""
        self._fills.setdefault(sql, []).append(params)

    def fill_empty(self, table: str, column: str, row_id: int, value: Any) -> None:
        """Give row `row_id` its missing `column`, as `COALESCE` in an upsert would."""
        mark = self.sql.mark
        sql = f"UPDATE {table} SET {column} = {mark} WHERE id = {mark} AND {column} IS NULL"
        self.fill(sql, (value, row_id))

    def send(self, *, behind: bool = False) -> None:
        """Write everything waiting, parents first, then the fills; `behind`: while the
        writer goes on (PostgreSQL, see `Sql.send`), the rows no longer its to change."""
        statements: list[Statement] = []
        for table in TABLE_ORDER:
            held = self._rows.pop(table, None)
            if held is not None:
                statements.append(("copy", table, *held))
        assert not self._rows, sorted(self._rows)
        statements += [("many", sql, (), params) for sql, params in self._fills.items()]
        self._fills = {}
        self._unsent_from.clear()
        self._by.clear()
        self.count = 0
        self.sql.send(statements, behind=behind)

    def forget_ids(self) -> None:
        """Rows were deleted (nothing waits): draw ids from the tables again."""
        assert not self.count and not self._fills
        self._next.clear()

    def finish(self) -> None:
        """Send everything; on PostgreSQL, move each sequence past the ids drawn."""
        self.send()
        for table in sorted(self._drawn):
            self.sql.move_sequence(table)
        self._drawn.clear()
