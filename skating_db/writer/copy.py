"""PostgreSQL's bulk path: rows go in with `COPY`, through a staging table when they may
collide with rows already there (then one set-based `INSERT … SELECT … ON CONFLICT`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

INT4 = 23  # the OID of `integer`
STAGE_MIN = 32  # fewer rows that may collide go in with one executemany instead


def copy_rows(
    conn: Connection,
    name: str,
    columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    conflict: str,
) -> None:
    """Write `rows` into table `name`; `conflict` is the `ON CONFLICT` clause, or '' for none."""
    listed = ", ".join(columns)
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor:
        types = column_types(cursor, name, columns)
        if not conflict:
            with cursor.copy(f"COPY {name} ({listed}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(types)
                for row in rows:
                    copy.write_row(row)
            return
        stage = f"skating_stage_{name}"
        # The ordinal keeps the document's order, so ids drawn from a sequence follow it.
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ON COMMIT DELETE ROWS AS"
            f" SELECT 0 AS ordinal, {listed} FROM {name} WITH NO DATA"
        )
        with cursor.copy(f"COPY {stage} (ordinal, {listed}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types([INT4, *types])
            for ordinal, row in enumerate(rows):
                copy.write_row((ordinal, *row))
        cursor.execute(
            f"INSERT INTO {name} ({listed})"
            f" SELECT {listed} FROM {stage} ORDER BY ordinal {conflict}"
        )
        cursor.execute(f"TRUNCATE {stage}")


def column_types(cursor: Any, name: str, columns: Sequence[str]) -> list[int]:
    """Type OIDs of `columns` of table `name`, as a binary COPY needs them (asked once)."""
    key = (name, tuple(columns))
    if key not in _TYPES:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {name} LIMIT 0")
        _TYPES[key] = [d.type_code for d in cursor.description]
    return _TYPES[key]


_TYPES: dict[tuple[str, tuple[str, ...]], list[int]] = {}  # built-in types: stable OIDs
