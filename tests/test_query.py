"""`skating-db query`: formats, parameters, stdin, time limits, signals, streaming, start-up."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from wcwidth import wcswidth

from skating_db.cli import cli

ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c)"


def query(*args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, ["query", *args], input=stdin)


def command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from skating_db.cli import main; main()", "query", *args]


def one_error(result: Result) -> str:
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def test_every_format_gives_the_same_rows(db: Path) -> None:
    sql = "select rank, athlete, nation from podiums order by placement_id limit 7"
    expected = sqlite3.connect(db).execute(sql).fetchall()
    out = {f: query(sql, "--db", str(db), "--format", f).output for f in ("csv", "tsv", "json")}
    out["ndjson"] = query(sql, "--db", str(db), "--format", "ndjson").output
    as_csv = list(csv.reader(io.StringIO(out["csv"])))
    as_tsv = list(csv.reader(io.StringIO(out["tsv"]), delimiter="\t"))
    assert as_csv[0] == as_tsv[0] == ["rank", "athlete", "nation"]
    assert as_csv[1:] == as_tsv[1:] == [[str(r), a, n] for r, a, n in expected]
    records = json.loads(out["json"])
    assert records == [json.loads(line) for line in out["ndjson"].splitlines()]
    assert [(r["rank"], r["athlete"], r["nation"]) for r in records] == expected


def test_booleans_are_true_and_false_in_json(db: Path) -> None:
    sql = "select is_relay from podiums group by is_relay order by is_relay"
    records = json.loads(query(sql, "--db", str(db), "--format", "json").output)
    assert records and all(isinstance(r["is_relay"], bool) for r in records)


def test_non_finite_numbers_are_null_in_json(db: Path) -> None:
    sql = "select 1e999 as up, -1e999 as down, 2.5 as fine"
    for fmt in ("json", "ndjson"):
        output = query(sql, "--db", str(db), "--format", fmt).output
        assert "Infinity" not in output
        record = json.loads(output)
        assert (record[0] if fmt == "json" else record) == {"up": None, "down": None, "fine": 2.5}


def test_an_empty_result_is_valid_json(db: Path) -> None:
    assert (
        json.loads(query("select 1 as x where 0", "--db", str(db), "--format", "json").output) == []
    )


def test_the_table_aligns_wide_characters(db: Path) -> None:
    sql = "select '김동성' as name, 'KOR' as nation union all select 'Ohno', 'USA'"
    lines = query(sql, "--db", str(db)).output.splitlines()
    starts = {
        wcswidth(line[: line.index(code)])
        for line, code in zip(lines[2:], ("KOR", "USA"), strict=True)
    }
    assert len(starts) == 1 and starts == {wcswidth(lines[0][: lines[0].index("nation")])}


def test_parameters_are_bound(db: Path) -> None:
    sql = "select count(*) as n from podiums where nation = :nation and rank = :rank"
    result = query(sql, "--param", "nation", "KOR", "--param", "rank", "1", "--db", str(db))
    expected = sqlite3.connect(db).execute(sql, {"nation": "KOR", "rank": 1}).fetchone()[0]
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[2].strip() == str(expected) and expected > 0
    assert "binding" in one_error(query(sql, "--param", "nation", "KOR", "--db", str(db)))


def test_sql_from_stdin(db: Path) -> None:
    result = query("-", "--db", str(db), "--format", "csv", stdin=b"select 6 * 7 as answer")
    assert result.output == "answer\n42\n"


def test_sql_that_is_not_utf8_is_one_sentence(db: Path) -> None:
    assert "not valid UTF-8" in one_error(query("-", "--db", str(db), stdin=b"select '\xff'"))
    assert "not valid UTF-8" in one_error(query("select '\udcff'", "--db", str(db)))


@pytest.mark.parametrize("where", ["folder", "missing"])
def test_a_bad_db_is_one_sentence_naming_it(tmp_path: Path, where: str) -> None:
    target = tmp_path / "nothing.db"
    if where == "folder":
        target.mkdir()
    line = one_error(query("select 1", "--db", str(target)))
    assert str(target) in line


def test_write_reports_the_rows_changed(db: Path) -> None:
    result = CliRunner().invoke(
        cli, ["query", "update nations set name = name", "--write", "--db", str(db)]
    )
    count = sqlite3.connect(db).execute("select count(*) from nations").fetchone()[0]
    assert result.exit_code == 0, result.output
    assert f"{count} rows changed." in result.output


def test_timeout_stops_an_endless_query(db: Path) -> None:
    started = time.monotonic()
    result = query(f"{ENDLESS} SELECT count(*) FROM c", "--timeout", "1", "--db", str(db))
    assert "time limit of 1 s" in one_error(result)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_an_endless_query(db: Path, signum: int) -> None:
    sql = f"{ENDLESS} SELECT count(*) FROM c"
    proc = subprocess.Popen(
        command(sql, "--timeout", "0", "--db", str(db)), stderr=subprocess.PIPE, text=True
    )
    try:
        time.sleep(1.5)
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=10)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 130
    assert err.strip().startswith("Error: Interrupted") and "Traceback" not in err


def test_rows_stream_before_the_statement_ends(db: Path) -> None:
    """The first rows of an endless result are printed while SQLite is still producing rows."""
    sql = f"{ENDLESS} SELECT x FROM c"
    proc = subprocess.Popen(
        command(sql, "--timeout", "30", "--format", "ndjson", "--db", str(db)),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert proc.stdout is not None
        first = [json.loads(proc.stdout.readline()) for _ in range(3)]
        assert first == [{"x": 1}, {"x": 2}, {"x": 3}]
        assert proc.poll() is None, "the statement is still running"
    finally:
        proc.kill()
        proc.wait()


def _read_one_line_then_close(cmd: list[str]) -> None:
    """`| head -1`: the command ends quietly, status 0, once its reader goes away."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        assert proc.wait(timeout=30) == 0
        assert proc.stderr.read() == b""
    finally:
        proc.kill()
        proc.wait()


def test_a_closed_pipe_ends_quietly(db: Path) -> None:
    _read_one_line_then_close(command(f"{ENDLESS} SELECT x FROM c", "--db", str(db)))


@pytest.mark.parametrize("fmt", ["ndjson", "table"])
def test_a_closed_pipe_ends_quietly_on_postgresql(postgres_server: str, fmt: str) -> None:
    """The rest of the server's stream is cancelled, not waited on: the open stream held
    the connection's lock, and the rollback after it waited forever (an attacker's find)."""
    sql = "SELECT generate_series(1, 300000) AS x"
    _read_one_line_then_close(command(sql, "--format", fmt, "--db", postgres_server))


def test_a_read_only_query_imports_no_sqlalchemy(db: Path) -> None:
    code = (
        "import sys; from skating_db.cli import cli\n"
        f"cli(['query', 'select 1', '--db', {str(db)!r}], standalone_mode=False)\n"
        "assert 'sqlalchemy' not in sys.modules, 'SQLAlchemy was imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "-", "1"]


@pytest.fixture
def read_only_folder(db: Path) -> Iterator[Path]:
    """A copy of the database in a folder its reader may not write to."""
    folder = Path(tempfile.mkdtemp(prefix="skating-ro-"))
    target = folder / "skating.db"
    shutil.copy(db, target)
    os.chmod(target, 0o644)
    os.chmod(folder, 0o555)
    try:
        yield target
    finally:
        os.chmod(folder, 0o755)
        shutil.rmtree(folder)


def test_a_database_in_a_read_only_folder_can_be_queried(read_only_folder: Path) -> None:
    """Root ignores folder permissions, so as root the query runs as `nobody`."""
    as_nobody = os.geteuid() == 0
    if as_nobody and _fails_as_nobody([sys.executable, "-c", "import skating_db.cli"]):
        pytest.skip("running as root, and user nobody cannot run this interpreter and package")
    done = subprocess.run(
        command("select count(*) as n from nations", "--db", str(read_only_folder)),
        capture_output=True,
        text=True,
        user="nobody" if as_nobody else None,
        cwd=read_only_folder.parent,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.splitlines()[2]) > 0
    assert sorted(p.name for p in read_only_folder.parent.iterdir()) == ["skating.db"]


def _fails_as_nobody(args: list[str]) -> bool:
    try:
        return subprocess.run(args, capture_output=True, user="nobody", cwd="/").returncode != 0
    except OSError:
        return True


def test_a_read_leaves_no_log_files_behind(db: Path) -> None:
    before = db.read_bytes()
    assert query("select count(*) from podiums", "--db", str(db)).exit_code == 0
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]
    assert db.read_bytes() == before


def test_booleans_are_true_and_false_when_writing_too(db: Path) -> None:
    sql = "update races set is_relay = is_relay where id = 1 returning id, is_relay"
    result = query(sql, "--write", "--format", "ndjson", "--db", str(db))
    assert result.exit_code == 0, result.output
    record = json.loads(result.output.splitlines()[0])
    assert record["id"] == 1 and isinstance(record["is_relay"], bool)


def test_a_timeout_that_is_not_a_number_is_refused(db: Path) -> None:
    result = query("select 1", "--timeout", "nan", "--db", str(db))
    assert result.exit_code == 2
    assert "Invalid value for '--timeout': nan is not a number of seconds" in result.output


def test_an_output_encoding_that_cannot_write_a_value_is_one_sentence(db: Path) -> None:
    done = subprocess.run(
        command("select 'é' as x", "--format", "csv", "--db", str(db)),
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.decode() == (
        "Error: The output's encoding (ascii) cannot write 'é'; set PYTHONIOENCODING=utf-8"
        " or a UTF-8 locale.\n"
    )
