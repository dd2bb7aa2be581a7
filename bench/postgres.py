"""PostgreSQL measurements: `build.load` into a scratch database, and the `COPY` floor.

The floor is psycopg 3's `cursor.copy` of the loaded database's final rows, every
table, into a second scratch database made by the project's own migration (same
schema, same indexes and triggers), in one transaction. Both scratch databases
are created for the run and dropped after it. Nothing here runs unless a server
answers on 127.0.0.1:5432 (or at `$SKATING_DB_TEST_POSTGRES_URL`).
"""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.measure import load_in_child, make_schema

if TYPE_CHECKING:
    from psycopg import Connection

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
ENV_VAR = "SKATING_DB_TEST_POSTGRES_URL"


@dataclass(slots=True)
class PostgresResult:
    """The PostgreSQL load and floor of one corpus."""

    target: int
    placements: int
    load_s: float = 0.0
    floor_s: float = 0.0
    loaded: dict[str, int] = field(default_factory=dict)
    floor_counts: dict[str, int] = field(default_factory=dict)


def server_url() -> str:
    return os.environ.get(ENV_VAR) or DEFAULT_URL


def available() -> str | None:
    """None when a PostgreSQL server answers (and psycopg is installed), else why not."""
    from sqlalchemy.engine import make_url

    url = make_url(server_url())
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed"
    try:
        with socket.create_connection((url.host or "127.0.0.1", url.port or 5432), timeout=1):
            pass
    except OSError as exc:
        return f"no server answers on {url.host}:{url.port or 5432} ({exc.strerror})"
    return None


def _libpq(url: str) -> str:
    """The same URL in the form psycopg itself takes."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextlib.contextmanager
def scratch_database(name: str) -> Iterator[str]:
    """A fresh database `name` on the server (SQLAlchemy URL), dropped on the way out."""
    import psycopg
    from sqlalchemy.engine import make_url

    admin = psycopg.connect(_libpq(server_url()), autocommit=True)
    try:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield make_url(server_url()).set(database=name).render_as_string(hide_password=False)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()


def data_tables(conn: Connection[Any]) -> list[str]:
    """The data tables of a database, parents before children (the models' order)."""
    from bench.measure import in_model_order

    return in_model_order(
        row[0]
        for row in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            " AND table_type = 'BASE TABLE' AND table_name <> 'alembic_version'"
        )
    )


def written_columns(conn: Connection[Any], table: str) -> list[str]:
    """The columns a row is written with (generated columns left out)."""
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'"
        " AND table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position",
        (table,),
    )
    return [r[0] for r in rows]


def counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(_libpq(url)) as conn:
        return {
            t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]  # type: ignore[index]
            for t in data_tables(conn)
        }


def copy_floor(source: str, target: str) -> float:
    """Seconds to `COPY` every row of `source` into the fresh `target`, in one transaction."""
    import psycopg

    make_schema(target)
    with psycopg.connect(_libpq(source)) as src, psycopg.connect(_libpq(target)) as dst:
        elapsed = 0.0
        for table in data_tables(src):
            columns = ", ".join(f'"{c}"' for c in written_columns(src, table))
            rows = src.execute(f'SELECT {columns} FROM "{table}"').fetchall()
            start = time.perf_counter()
            with dst.cursor() as cur, cur.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            elapsed += time.perf_counter() - start
            del rows
        start = time.perf_counter()
        dst.commit()
        return elapsed + time.perf_counter() - start


def measure(target: int, placements: int, folder: Path) -> PostgresResult:
    """Load `folder` into a scratch database (default `--jobs`), then its `COPY` floor."""
    result = PostgresResult(target, placements)
    tag = f"skating_bench_{os.getpid()}"
    with scratch_database(f"{tag}_load") as load_url:
        result.load_s = load_in_child(load_url, folder)["seconds"]
        result.loaded = counts(load_url)
        with scratch_database(f"{tag}_floor") as floor_url:
            result.floor_s = copy_floor(load_url, floor_url)
            result.floor_counts = counts(floor_url)
    return result


__all__ = ["PostgresResult", "available", "measure"]
