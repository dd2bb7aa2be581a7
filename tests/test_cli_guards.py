"""Each case of the attack report (findings 8, 10, 11, 12, 16, 19) gets one plain sentence or
works: no password in clear, no column lost, no internal error, nothing kept in memory only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from skating_db import build
from skating_db.db import hide_password
from tests.conftest import _reset_postgres
from tests.helpers import SEEDS
from tests.test_bad_input import assert_one_sentence, invoke, output_of
from tests.test_safety import foreign_db

SECRET = "S3cretPW"
CLI = [sys.executable, "-c", "from skating_db.cli import main; main()"]


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+psycopg://postgres@127.0.0.1:1/nowhere?password={SECRET}&port=1",
        f"postgresql+psycopg://postgres:{SECRET}@127.0.0.1:1/nowhere",
        f"postgresql+psycopg://postgres@127.0.0.1:1/nowhere?sslpassword={SECRET}",
        f"postgresql+psycopg://postgres:{SECRET}@[::1/nowhere?password={SECRET}",
        f"nosuchdb://u:{SECRET}@h/x?password={SECRET}",
        f"postgresql+psycopg://postgres:{SECRET[:3]}@{SECRET[3:]}@127.0.0.1:1/nowhere",
    ],
)
def test_a_password_in_the_url_is_never_shown(url: str) -> None:
    for command in ("check", "issues", "metadata", "search x", "query select+1"):
        args = [a.replace("+", " ") for a in command.split()]
        result = invoke(*args, "--db", url)
        assert_one_sentence(result)
        assert SECRET not in output_of(result), command
        assert SECRET[3:] not in output_of(result), command  # an unescaped @ in it
        assert "***" in output_of(result)


def test_the_built_line_of_rebuild_hides_a_password_in_the_query(postgres_server: str) -> None:
    _reset_postgres(postgres_server)
    url = f"{postgres_server}?password={SECRET}"  # trust: libpq ignores the password
    result = invoke("rebuild", "--db", url, "--seeds", SEEDS)
    assert result.exit_code == 0, output_of(result)
    assert SECRET not in output_of(result) and "password=***" in output_of(result)


def test_hide_password_keeps_everything_else() -> None:
    url = "postgresql+psycopg://me:pw@db.example:5433/skating?sslmode=require&password=pw"
    assert hide_password(url) == (
        "postgresql+psycopg://me:***@db.example:5433/skating?password=***&sslmode=require"
    )
    assert hide_password("sqlite:////tmp/x.db") == "sqlite:////tmp/x.db"


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite://"])
@pytest.mark.parametrize(
    "command", [["load", str(SEEDS / "corrections.toml")], ["rebuild"], ["query", "select 1"]]
)
def test_a_database_in_memory_is_refused(url: str, command: list[str]) -> None:
    assert_one_sentence(invoke(*command, "--db", url), url, "memory")


def test_a_malformed_url_is_one_sentence() -> None:
    result = invoke("check", "--db", "postgresql+psycopg://postgres@[::1/atk")
    assert "unexpected" not in assert_one_sentence(result, "not a database URL")


def test_json_keeps_every_column_of_a_repeated_name(db: Path) -> None:
    sql = "select 1 as a, 2 as a, 3 as a_2"
    out = invoke("query", sql, "--db", db, "--format", "json")
    assert json.loads(out.stdout) == [{"a": 1, "a_3": 2, "a_2": 3}]
    assert "Note: repeated column names" in out.stderr
    lines = invoke("query", sql, "--db", db, "--format", "ndjson").stdout.splitlines()
    assert [json.loads(line) for line in lines] == [{"a": 1, "a_3": 2, "a_2": 3}]


def test_a_huge_search_limit_means_every_match(db: Path) -> None:
    huge = invoke("search", "li", "--db", db, "--limit", "99999999999999999999999")
    assert huge.exit_code == 0, output_of(huge)
    assert huge.stdout == invoke("search", "li", "--db", db, "--limit", "1000").stdout


def test_closed_standard_output_is_one_sentence_and_writes_nothing(db: Path) -> None:
    before = db.read_bytes()
    for command in ("query 'select 1'", f"load {SEEDS / '000_13be0ce3a66683ec.txt'}"):
        done = subprocess.run(
            ["bash", "-c", f'"$@" {command} --db {db} >&-', "bash", *CLI],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 1
        assert done.stderr.startswith("Error: Standard output is closed"), done.stderr
        assert "unexpected" not in done.stderr
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    ("params", "words"),
    [
        (["a", "1", "a", "2"], ["--param a", "twice"]),
        (["", "x"], ["empty NAME"]),
        (["a", "1", "ab", "2"], ["--param ab is not used", "no :ab"]),
    ],
)
def test_a_repeated_empty_or_unused_parameter_name_is_refused(
    db: Path, params: list[str], words: list[str]
) -> None:
    args = [x for i in range(0, len(params), 2) for x in ("--param", *params[i : i + 2])]
    assert_one_sentence(invoke("query", "select :a", "--db", db, *args), *words)


@pytest.mark.parametrize("sql", [";", " ; ;", " -- nothing\n;", "/* a */ ; /* b"])
def test_sql_with_no_statement_is_empty(db: Path, sql: str) -> None:
    assert_one_sentence(invoke("query", sql, "--db", db), "empty")


def test_metadata_of_another_applications_database_is_refused(tmp_path: Path) -> None:
    theirs = foreign_db(tmp_path / "other.db")
    assert_one_sentence(invoke("metadata", "--db", theirs), str(theirs), "another application")


def test_metadata_of_a_built_database_still_works(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    build.rebuild(f"sqlite:///{db}", SEEDS)
    result = invoke("metadata", "--db", db)
    assert result.exit_code == 0, output_of(result)
    assert result.stdout == (tmp_path / "x.metadata.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("through", ["sqlalchemy", "driver"])
def test_a_statement_the_database_refuses_is_a_sentence_naming_it(
    tmp_path: Path, through: str
) -> None:
    """A command's statement that fails (through SQLAlchemy or the driver, as the writer
    sends rows) ends in one sentence naming the database, not "Unexpected …"."""
    from sqlalchemy import text

    from skating_db.connections import opened
    from skating_db.errors import UserError

    path = tmp_path / "named.db"
    expected = f"{path}: the database refused the operation: no such table: nope."
    with pytest.raises(UserError) as caught, opened(f"sqlite:///{path}", must_exist=False) as conn:
        if through == "driver":
            conn.connection.driver_connection.execute("SELECT * FROM nope")  # type: ignore[union-attr]
        else:
            conn.execute(text("SELECT * FROM nope"))
    assert str(caught.value) == expected


@pytest.mark.parametrize(
    "command", [["load", str(SEEDS / "corrections.toml")], ["query", "select 1"]]
)
def test_a_sqlite_url_with_options_is_refused(tmp_path: Path, command: list[str]) -> None:
    """`?mode=ro&uri=true` was ignored (a write went through) or named another file."""
    url = f"sqlite:///{tmp_path / 'u.db'}?mode=ro&uri=true"
    assert_one_sentence(invoke(*command, "--db", url), "options in a SQLite URL (mode, uri)")
    assert list(tmp_path.iterdir()) == []
