"""`skating-db query` is read-only at the connection level: no statement changes the database.

Each statement is refused with one sentence and a non-zero exit, and the database file keeps
its checksum (and no new file appears). The protection lives in `skating_db/db.py` (a
read-only open, `query_only`, an authorizer); the tests at the bottom prove each layer on its
own, so removing any one of them fails a test.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from skating_db import build
from skating_db.cli import cli
from skating_db.db import _read_only_authorizer, make_engine
from tests.helpers import SEEDS

WRITES = {
    "insert": "INSERT INTO nations (code, name) VALUES ('XXX', 'Nowhere')",
    "update": "UPDATE placements SET rank = rank + 1",
    "delete": "DELETE FROM placements",
    "drop-table": "DROP TABLE placements",
    "drop-view": "DROP VIEW podiums",
    "create-table": "CREATE TABLE hack (x INTEGER)",
    "create-temp-table": "CREATE TEMP TABLE hack (x INTEGER)",
    "create-index": "CREATE INDEX hack ON placements (rank)",
    "create-trigger": "CREATE TRIGGER hack AFTER INSERT ON nations BEGIN SELECT 1; END",
    "alter-table": "ALTER TABLE nations ADD COLUMN hack INTEGER",
    "attach": "ATTACH DATABASE '{tmp}/x.db' AS x",
    "pragma-writable-schema": "PRAGMA writable_schema = ON",
    "pragma-query-only-off": "PRAGMA query_only = OFF",
    "pragma-foreign-keys-off": "PRAGMA foreign_keys = OFF",
    "pragma-journal-mode": "PRAGMA journal_mode = DELETE",
    "pragma-user-version": "PRAGMA user_version = 7",
    "pragma-wal-checkpoint": "PRAGMA wal_checkpoint(TRUNCATE)",
    "vacuum": "VACUUM",
    "vacuum-into-the-db": "VACUUM INTO '{db}'",
    "vacuum-into-new-file": "VACUUM INTO '{tmp}/copy.db'",
    "cte-delete": "WITH x AS (SELECT 1) DELETE FROM placements",
    "replace-into": "REPLACE INTO nations (id, code, name) VALUES (1, 'XXX', 'Nowhere')",
    "insert-returning": "INSERT INTO nations (code, name) VALUES ('XXX', 'Nowhere') RETURNING id",
    "upsert": "INSERT INTO nations (id, code, name) VALUES (1, 'XXX', 'x')"
    " ON CONFLICT (id) DO UPDATE SET name = 'x'",
    "reindex": "REINDEX",
    "analyze": "ANALYZE",
    "load-extension": "SELECT load_extension('/tmp/nothing')",
}


def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(*args: str) -> Result:
    return CliRunner().invoke(cli, ["query", *args])


@pytest.mark.parametrize("sql", WRITES.values(), ids=list(WRITES))
def test_query_cannot_write(sql: str, db: Path, tmp_path: Path) -> None:
    statement = sql.format(db=db, tmp=tmp_path)
    before = checksum(db)
    files = sorted(tmp_path.rglob("*"))
    result = query(statement, "--db", str(db))
    assert result.exit_code != 0, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and errors[0].endswith("."), result.output
    assert "Traceback" not in result.output
    assert checksum(db) == before
    wal = Path(f"{db}-wal")
    assert not wal.exists() or wal.stat().st_size == 0, "nothing may be written to the log"
    new_files = set(tmp_path.rglob("*")) - set(files) - {wal, Path(f"{db}-shm")}
    assert not new_files, "no new file may appear"


def test_attach_then_create_cannot_write_anywhere(db: Path, tmp_path: Path) -> None:
    """On one read-only connection, ATTACH is refused, so nothing can be created through it."""
    engine = make_engine(f"sqlite:///{db}", read_only=True)
    try:
        with engine.connect() as conn:
            with pytest.raises(DBAPIError):
                conn.exec_driver_sql(f"ATTACH DATABASE '{tmp_path}/x.db' AS x")
            with pytest.raises(DBAPIError):
                conn.exec_driver_sql("CREATE TABLE x.hack (a INTEGER)")
    finally:
        engine.dispose()
    assert not (tmp_path / "x.db").exists()


def test_write_flag_allows_a_plain_update(db: Path) -> None:
    before = checksum(db)
    result = query("UPDATE nations SET name = name || '' WHERE id = 1", "--write", "--db", str(db))
    assert result.exit_code == 0, result.output
    result = query("UPDATE nations SET name = 'Changed' WHERE id = 1", "--write", "--db", str(db))
    assert result.exit_code == 0, result.output
    con = sqlite3.connect(db)
    assert con.execute("SELECT name FROM nations WHERE id = 1").fetchone() == ("Changed",)
    con.close()
    assert checksum(db) != before


def test_reads_still_work(db: Path) -> None:
    for sql in (
        "select count(*) from podiums",
        "PRAGMA table_info(placements)",
        "PRAGMA foreign_key_check",
        "with x as (select 1 as a) select a from x",
    ):
        result = query(sql, "--db", str(db))
        assert result.exit_code == 0, (sql, result.output)


# -- each layer holds on its own -----------------------------------------------------------------

LAYER_WRITES = [
    "INSERT INTO nations (code, name) VALUES ('XXX', 'Nowhere')",
    "DELETE FROM placements",
    "DROP VIEW podiums",
]


def test_read_only_engine_refuses_writes_even_after_turning_query_only_off(db: Path) -> None:
    """The authorizer refuses the pragma, and the read-only open refuses the write anyway."""
    before = checksum(db)
    engine = make_engine(f"sqlite:///{db}", read_only=True)
    try:
        with engine.connect() as conn:
            with pytest.raises(DBAPIError):
                conn.exec_driver_sql("PRAGMA query_only = OFF")
            for sql in LAYER_WRITES:
                with pytest.raises(DBAPIError):
                    conn.exec_driver_sql(sql)
            assert conn.execute(text("SELECT COUNT(*) FROM placements")).scalar_one() > 0
    finally:
        engine.dispose()
    assert checksum(db) == before


def test_read_only_engine_opens_the_file_read_only(db: Path) -> None:
    engine = make_engine(f"sqlite:///{db}", read_only=True)
    try:
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            raw.set_authorizer(None)  # the other layers alone
            raw.execute("PRAGMA query_only = OFF")
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                raw.execute("DELETE FROM placements")
    finally:
        engine.dispose()


def test_read_only_engine_sets_query_only(db: Path) -> None:
    engine = make_engine(f"sqlite:///{db}", read_only=True)
    try:
        with engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            raw.set_authorizer(None)
            assert raw.execute("PRAGMA query_only").fetchone() == (1,)
    finally:
        engine.dispose()


@pytest.mark.parametrize("sql", [*LAYER_WRITES, "ATTACH DATABASE ':memory:' AS x", "VACUUM"])
def test_authorizer_alone_refuses_writes(sql: str, db: Path) -> None:
    """Even on a writable connection, the authorizer by itself refuses every write."""
    before = checksum(db)
    con = sqlite3.connect(db, isolation_level=None)
    try:
        con.set_authorizer(_read_only_authorizer)
        with pytest.raises(sqlite3.DatabaseError):
            con.execute(sql)
    finally:
        con.close()
    assert checksum(db) == before


# -- PostgreSQL ----------------------------------------------------------------------------------

PG_WRITES = {
    "insert": "INSERT INTO nations (code, name) VALUES ('XXX', 'Nowhere')",
    "update": "UPDATE placements SET rank = rank + 1",
    "delete": "DELETE FROM placements",
    "drop-view": "DROP VIEW podiums",
    "create-table": "CREATE TABLE hack (x INTEGER)",
    "cte-delete": "WITH x AS (SELECT 1) DELETE FROM placements",
    "insert-returning": "INSERT INTO nations (code, name) VALUES ('XXX', 'x') RETURNING id",
    "set-read-write": "SET TRANSACTION READ WRITE",
    "commit-then-delete": "COMMIT; DELETE FROM placements",
    "new-transaction-delete": "COMMIT; BEGIN READ WRITE; DELETE FROM placements; COMMIT",
}


@pytest.fixture(scope="module")
def pg_built(postgres_server: str) -> str:
    from tests.conftest import _reset_postgres

    _reset_postgres(postgres_server)
    build.rebuild(postgres_server, SEEDS)
    return postgres_server


def _pg_state(url: str) -> tuple[int, int, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return (
                conn.execute(text("SELECT COUNT(*) FROM placements")).scalar_one(),
                conn.execute(text("SELECT COUNT(*) FROM nations")).scalar_one(),
                conn.execute(text("SELECT COALESCE(SUM(rank), 0) FROM placements")).scalar_one(),
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize("sql", PG_WRITES.values(), ids=list(PG_WRITES))
def test_query_cannot_write_on_postgres(sql: str, pg_built: str) -> None:
    before = _pg_state(pg_built)
    result = query(sql, "--db", pg_built)
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    assert _pg_state(pg_built) == before


# -- PostgreSQL: nothing reaches the server's files, programs or processes -----------------------

PG_ESCAPES = {
    "copy-to-program": "COPY (SELECT 1) TO PROGRAM 'touch /tmp/skating-db-escape'",
    "copy-to-file": "COPY placements TO '/tmp/skating-db-escape'",
    "copy-after-comment": "/* a */ -- b\n COPY placements TO STDOUT",
    "read-file": "SELECT pg_read_file('/etc/hostname')",
    "read-file-quoted": 'SELECT "pg_catalog"."pg_read_file"(\'/etc/hostname\')',
    "lo-export": "SELECT lo_export(oid, '/tmp/skating-db-escape') FROM pg_largeobject_metadata",
    "terminate": "SELECT pg_terminate_backend(0)",  # no such process: harmless if it ran
    "cancel": "SELECT pg_cancel_backend(0)",
    "reload-conf": "SELECT pg_reload_conf()",
    "set-config-role": "SELECT set_config('role', 'none', true)",
    "sql-as-text": "SELECT query_to_xml('select 1', true, true, '')",
    "unicode-name": "SELECT U&\"pg_read_fil\\0065\"('/etc/hostname')",
    "do-block": "DO $$ BEGIN PERFORM 1; END $$",
}


@pytest.mark.parametrize("sql", PG_ESCAPES.values(), ids=list(PG_ESCAPES))
def test_query_cannot_reach_the_server_on_postgres(sql: str, pg_built: str) -> None:
    escape = Path("/tmp/skating-db-escape")
    escape.unlink(missing_ok=True)
    before = _pg_state(pg_built)
    result = query(sql, "--db", pg_built)
    assert result.exit_code != 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and lines[0].endswith(".")
    assert _pg_state(pg_built) == before
    assert not escape.exists()


def test_the_reader_role_alone_refuses_server_files(
    pg_built: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the statement check, the unprivileged role still cannot read a server file."""
    from skating_db import pg_query

    monkeypatch.setattr(pg_query, "refuse_unsafe", lambda _sql: None)
    result = query("SELECT pg_read_file('/etc/hostname')", "--db", pg_built)
    assert result.exit_code != 0 and "permission denied" in result.output, result.output
    ok = query("SELECT current_user AS who, count(*) AS n FROM podiums", "--db", pg_built)
    assert ok.exit_code == 0, ok.output
    assert "skating_db_reader" in ok.output


def test_timeout_stops_a_long_statement_on_postgres(pg_built: str) -> None:
    import time

    started = time.monotonic()
    result = query("SELECT pg_sleep(20)", "--timeout", "1", "--db", pg_built)
    assert result.exit_code != 0 and "time limit of 1 s" in result.output, result.output
    assert time.monotonic() - started < 10


def test_parameters_and_streaming_on_postgres(pg_built: str) -> None:
    import json

    sql = "SELECT n FROM generate_series(1, 2500) AS n WHERE n > CAST(:low AS int)"
    result = query(sql, "--param", "low", "2490", "--format", "json", "--db", pg_built)
    assert result.exit_code == 0, result.output
    assert [r["n"] for r in json.loads(result.output)] == list(range(2491, 2501))
    relay = query("SELECT DISTINCT is_relay FROM podiums", "--format", "json", "--db", pg_built)
    assert all(isinstance(r["is_relay"], bool) for r in json.loads(relay.output))


def test_least_privilege_login_role_from_the_readme(pg_built: str) -> None:
    """`CREATE ROLE skating_reader LOGIN; GRANT pg_read_all_data TO skating_reader;` reads."""
    from sqlalchemy.engine import make_url

    admin = make_engine(pg_built, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if (
                conn.exec_driver_sql(
                    "SELECT 1 FROM pg_roles WHERE rolname = 'skating_reader'"
                ).first()
                is None
            ):
                conn.exec_driver_sql("CREATE ROLE skating_reader LOGIN")
            conn.exec_driver_sql("GRANT pg_read_all_data TO skating_reader")
    finally:
        admin.dispose()
    reader = make_url(pg_built).set(username="skating_reader", password=None)
    url = reader.render_as_string(hide_password=False)
    before = _pg_state(pg_built)
    read = query("SELECT count(*) AS n FROM placements", "--format", "csv", "--db", url)
    assert read.exit_code == 0, read.output
    assert read.output.splitlines()[1] == str(before[0])
    for sql, flags in (("DELETE FROM placements", ["--write"]), (PG_ESCAPES["read-file"], [])):
        refused = query(sql, *flags, "--db", url)
        assert refused.exit_code != 0 and "Traceback" not in refused.output, refused.output
    assert _pg_state(pg_built) == before


def test_write_on_postgres_reports_the_rows_changed(pg_built: str) -> None:
    before = _pg_state(pg_built)
    sql = "UPDATE nations SET name = name WHERE code = :code"
    result = query(sql, "--param", "code", "KOR", "--write", "--db", pg_built)
    assert result.exit_code == 0, result.output
    assert "1 row changed." in result.output
    assert _pg_state(pg_built) == before
