"""The command line as a user meets it: output, exit codes, and one-sentence errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from skating_db.cli import COMMANDS, GROUP_HELP, cli
from tests.helpers import ERROR_FORM, SEEDS, copy_documented_seeds, counts, expected_totals


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "skating.db"
    result = run("rebuild", "--db", str(path))
    assert result.exit_code == 0, result.output
    return str(path)


def test_every_command_has_help_with_an_example() -> None:
    assert set(COMMANDS) >= {"rebuild", "load", "query", "issues", "migrate", "check"}
    for name in COMMANDS:
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output, name
        command = cli.get_command(click.Context(cli), name)
        assert command is not None and command.name == name and command.help, name


def test_the_command_list_loads_no_command_and_fits_a_line() -> None:
    """`skating-db --help` lists every command on one line of 80 columns, from the table in
    skating_db.cli, without importing a command's module (that is what keeps it fast)."""
    code = (
        "import sys; from skating_db.cli import main; sys.argv = ['skating-db', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in sys.modules if m.startswith('skating_db.commands.')]\n"
        "assert not loaded and 'pathlib' not in sys.modules, loaded"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    listed = done.stdout.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == sorted(COMMANDS)
    assert all(len(line) <= 80 for line in listed)


def test_the_stored_group_help_is_what_click_prints() -> None:
    """`skating-db --help` prints GROUP_HELP without importing click: it must stay the text
    click prints for the group at the stored width (a pipe, or a terminal of 80 or more)."""
    printed = CliRunner().invoke(cli, ["--help"], prog_name="skating-db", env={"COLUMNS": "80"})
    assert printed.exit_code == 0
    assert printed.output == GROUP_HELP, (
        "skating_db/cli.py GROUP_HELP is out of date; paste this in:\n" + printed.output
    )


@pytest.mark.parametrize(("columns", "stored"), [("", True), ("120", True), ("60", False)])
def test_help_is_click_s_at_any_width(columns: str, stored: bool) -> None:
    """The entry point prints what the click group prints, from the stored text where its
    width applies (without importing click) and through click at any other width."""
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"} | (
        {"COLUMNS": columns} if columns else {}
    )
    said = "atexit.register(lambda: print('click' in sys.modules, file=sys.stderr))"
    entry = [
        sys.executable,
        "-c",
        f"import atexit, sys; {said}; from skating_db.cli import main; main()",
    ]
    group = "from skating_db.commands.group import cli; cli(prog_name='skating-db')"
    for args in (["--help"], ["-h"]):
        fast = subprocess.run([*entry, *args], capture_output=True, text=True, env=env)
        slow = subprocess.run([sys.executable, "-c", group, *args], capture_output=True, env=env)
        assert fast.returncode == slow.returncode == 0, fast.stderr
        assert fast.stdout == slow.stdout.decode()
        assert fast.stderr.strip() == str(not stored)


def test_help_into_a_closed_pipe_ends_quietly() -> None:
    """A reader that goes away before the help is written (`skating-db --help | true`): exit
    status 1 and nothing on stderr, as click's own help does."""
    reader = subprocess.Popen(["true"], stdin=subprocess.PIPE)
    reader.wait()
    assert reader.stdin is not None
    done = subprocess.run(
        [sys.executable, "-c", "from skating_db.cli import main; main()", "--help"],
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
    )
    reader.stdin.close()
    assert (done.returncode, done.stderr) == (1, b"")


def test_rebuild_prints_a_summary(db: str, tmp_path: Path) -> None:
    folder = copy_documented_seeds(tmp_path / "documented")
    result = run("rebuild", "--seeds", str(folder), "--db", db)
    assert result.exit_code == 0
    t = expected_totals()
    assert (
        f"{t['documents']} documents, {t['events']} events, {t['races']} races,"
        f" {t['placements']} placements, {t['standings']} standings, " in result.output
    )


def test_default_database_is_skating_db_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SKATING_DB_URL", raising=False)
    result = run("rebuild")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "skating.db").is_file()


def test_environment_variable_names_the_database(tmp_path: Path) -> None:
    target = tmp_path / "from-env.db"
    result = run("rebuild", env={"SKATING_DB_URL": str(target)})
    assert result.exit_code == 0, result.output
    assert target.is_file()


def test_query_prints_a_table(db: str) -> None:
    result = run("query", "select athlete, nation from podiums where rank = 1 limit 2", "--db", db)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["athlete", "nation"]
    assert set(lines[1]) == {"-", " "}
    assert len(lines) == 4


def test_query_csv_and_json(db: str) -> None:
    sql = "select rank, athlete, time_ms from podiums where athlete = 'Steven Bradbury'"
    csv_out = run("query", sql, "--db", db, "--format", "csv").output
    assert csv_out == "rank,athlete,time_ms\n1,Steven Bradbury,89109\n"
    records = json.loads(run("query", sql, "--db", db, "--format", "json").output)
    assert records == [{"rank": 1, "athlete": "Steven Bradbury", "time_ms": 89109}]


def test_query_refuses_writes_without_write_flag(db: str) -> None:
    before = counts(f"sqlite:///{db}")
    result = run("query", "delete from placements", "--db", db)
    assert result.exit_code != 0
    assert "read-only" in result.output and "--write" in result.output
    assert "Traceback" not in result.output
    assert counts(f"sqlite:///{db}") == before


def test_query_write_flag_allows_a_write(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    assert run("rebuild", "--db", str(path)).exit_code == 0
    result = run("query", "delete from race_notes", "--db", str(path), "--write")
    assert result.exit_code == 0, result.output
    assert counts(f"sqlite:///{path}")["race_notes"] == 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["query", "selec nothing"], "SQL error"),
        (["query", "select * from no_such_table"], "no such table"),
        (["load", "/no/such/file.txt"], "/no/such/file.txt: no such file"),
        (["rebuild", "--seeds", "/no/such/folder"], "/no/such/folder: no such folder"),
        (["issues", "--source", "nope.txt"], ": no document named nope.txt."),
        (["migrate", "--down"], "--down needs a REVISION"),
        (["migrate", "nope"], ": cannot migrate to nope ("),
        (["query", "-"], "The SQL text is empty"),
    ],
    ids=[
        "bad-sql",
        "unknown-table",
        "missing-file",
        "missing-seeds",
        "unknown-source",
        "down",
        "unknown-revision",
        "empty-sql",
    ],
)
def test_errors_are_one_sentence(db: str, args: list[str], expected: str) -> None:
    result = run(*args, "--db", db)
    assert result.exit_code != 0
    assert expected in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert ERROR_FORM.match(result.output), result.output


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("this is not sqlite\n" * 100)
    for args in (["query", "select 1"], ["load", str(SEEDS / "000_13be0ce3a66683ec.txt")]):
        result = run(*args, "--db", str(bogus))
        assert result.exit_code != 0
        assert "is not a SQLite database" in result.output, result.output
        assert "Traceback" not in result.output
    assert bogus.read_text() == "this is not sqlite\n" * 100


def test_query_on_a_missing_database_does_not_create_it(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.db"
    result = run("query", "select 1", "--db", str(missing))
    assert result.exit_code != 0
    assert "no database here" in result.output
    assert not missing.exists()


def test_issues_report_filters(db: str) -> None:
    everything = run("issues", "--db", db)
    warnings = run("issues", "--db", db, "--severity", "warning")
    one = run("issues", "--db", db, "--source", "002_3564ec39acb5fb71.txt", "--format", "csv")
    assert everything.exit_code == warnings.exit_code == one.exit_code == 0
    assert "info" in everything.output
    assert " info " not in warnings.output
    sources = {line.split(",")[0] for line in one.output.splitlines()[1:]}
    assert sources == {"002_3564ec39acb5fb71.txt"}


def test_load_dry_run_and_load(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    doc = SEEDS / "001_31e08c3cd8efef29.txt"
    dry = run("load", str(doc), "--db", str(path), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "rolled back" in dry.output
    assert not path.exists()
    real = run("load", str(doc), "--db", str(path))
    assert real.exit_code == 0
    assert "001_31e08c3cd8efef29.txt: loaded" in real.output
    again = run("load", str(doc), "--db", str(path))
    assert "001_31e08c3cd8efef29.txt: unchanged" in again.output
    assert counts(f"sqlite:///{path}")["placements"] == 180


def test_migrate_down_and_up(tmp_path: Path) -> None:
    path = str(tmp_path / "m.db")
    assert run("rebuild", "--db", path).exit_code == 0
    down = run("migrate", "base", "--down", "--db", path)
    assert down.exit_code == 0 and "to empty" in down.output
    up = run("migrate", "--db", path)
    assert up.exit_code == 0 and "from empty to" in up.output


def test_migrate_at_head_says_so(db: str) -> None:
    from skating_db.migrate import head_revision

    before = Path(db).read_bytes()
    result = run("migrate", "--db", db)
    assert result.exit_code == 0, result.output
    assert result.output == f"{db} is already at head ({head_revision()}); nothing to migrate.\n"
    assert Path(db).read_bytes() == before


def test_check_passes_on_a_fresh_build(db: str) -> None:
    result = run("check", "--db", db)
    assert result.exit_code == 0
    assert result.output.startswith("OK")


def test_issues_of_a_database_without_the_schema_say_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    result = run("issues", "--db", str(empty))
    assert result.exit_code == 1
    assert result.output == f"Error: {empty}: holds no skating-db data yet; run skating-db" + (
        " rebuild or load first.\n"
    )


def test_issues_find_a_document_by_its_name_in_either_unicode_form(tmp_path: Path) -> None:
    case = Path(__file__).parent / "data" / "cases" / "championship_unreadable_times_en.txt"
    composed = tmp_path / "caf\u00e9.txt"
    composed.write_bytes(case.read_bytes())
    path = str(tmp_path / "n.db")
    assert run("load", str(composed), "--db", path).exit_code == 0
    decomposed = run("issues", "--db", path, "--source", "cafe\u0301.txt", "--format", "csv")
    assert decomposed.exit_code == 0, decomposed.output
    assert (
        decomposed.output
        == run("issues", "--db", path, "--source", composed.name, "--format", "csv").output
    )
    assert "caf\u00e9.txt," in decomposed.output


def test_load_reparse_reads_a_document_held_byte_for_byte_again(tmp_path: Path) -> None:
    case = Path(__file__).parent / "data" / "cases" / "championship_unreadable_times_en.txt"
    path = str(tmp_path / "r.db")
    assert run("load", str(case), "--db", path).exit_code == 0
    before = counts(f"sqlite:///{path}")
    assert f"{case.name}: unchanged" in run("load", str(case), "--db", path).output
    for db in (path, f"sqlite:///{path}"):  # the quick SQLite path and build.load
        again = run("load", str(case), "--db", db, "--reparse")
        assert again.exit_code == 0, again.output
        assert f"{case.name}: replaced" in again.output
        assert counts(f"sqlite:///{path}") == before
