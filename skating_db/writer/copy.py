"""PostgreSQL's bulk path: rows go in with `COPY`, through a staging table when they may
collide with rows already there (then one set-based `INSERT … SELECT … ON CONFLICT`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

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
        if not conflict:
            with cursor.copy(f"COPY {name} ({listed}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        stage = f"skating_stage_{name}"
        # The ordinal keeps the document's order, so ids drawn from a sequence follow it.
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} ON COMMIT DELETE ROWS AS"
            f" SELECT 0 AS ordinal, {listed} FROM {name} WITH NO DATA"
        )
        with cursor.copy(f"COPY {stage} (ordinal, {listed}) FROM STDIN") as copy:
            for ordinal, row in enumerate(rows):
                copy.write_row((ordinal, *row))
        cursor.execute(
            f"INSERT INTO {name} ({listed})"
            f" SELECT {listed} FROM {stage} ORDER BY ordinal {conflict}"
        )
        cursor.execute(f"TRUNCATE {stage}")
