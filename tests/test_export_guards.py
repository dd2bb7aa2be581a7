"""`export` against a hostile database file: it writes only skating-db's own tables and views,
only inside FOLDER, and its SQL dump holds only SQL skating-db makes (attack findings 1, 2,
14, 15)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from skating_db.errors import UserError
from skating_db.export_files import check_names
from skating_db.models import VIEW_NAMES
from tests.conftest import _reset_postgres
from tests.helpers import TABLES, psql_file, scalar
from tests.test_bad_input import assert_one_sentence, invoke, output_of
from tests.test_safety import foreign_db, sql


def _ok(*args: str | Path) -> str:
    result = invoke(*args)
    assert result.exit_code == 0, output_of(result)
    return output_of(result)


def test_view_names_never_become_paths_outside_the_folder(db: Path, tmp_path: Path) -> None:
    outside = tmp_path / "absview"
    sql(
        db,
        f"CREATE VIEW \"{outside}\" AS SELECT 'owned' AS a",
        'CREATE VIEW "../evilview" AS SELECT 1 AS a',
        "CREATE VIEW datapackage AS SELECT 1 AS a",
        "CREATE TABLE mine (x)",
    )
    out = tmp_path / "work" / "ex"
    for fmt in ("json", "csv"):
        said = _ok("export", out / fmt, "--db", db, "--format", fmt)
        assert not list(tmp_path.glob("absview*")) and not list(out.glob("evilview*"))
        names = {p.name for p in (out / fmt).iterdir()}
        assert names == {f"{t}.{fmt}" for t in [*TABLES, *VIEW_NAMES]} | {"datapackage.json"}
        note = [line for line in said.splitlines() if line.startswith("Note: not exported")]
        assert len(note) == 1 and "'../evilview'" in note[0] and "table mine" in note[0]
        assert "view datapackage" in note[0] and repr(str(outside)) in note[0]


@pytest.mark.parametrize(
    "names",
    [["../evil.csv"], [f"{Path.cwd()}/x.csv"], ["a/b.csv"], [".hidden.csv"], ["x.csv", "X.csv"]],
)
def test_a_name_that_is_not_a_plain_file_inside_the_folder_is_refused(
    tmp_path: Path, names: list[str]
) -> None:
    with pytest.raises(UserError, match="nothing written"):
        check_names(tmp_path / "out", names)


def _hostile(db: Path, marker: Path) -> None:
    """A view whose SQL holds psql meta-commands, and a name whose value tries to break out
    (a declared view redefined so is refused: see the test below)."""
    sql(
        db,
        f"CREATE VIEW pv AS SELECT 1 AS [a \\! touch {marker}-view\n]",
        f"UPDATE athletes SET name = 'x' || char(10) || '\\! touch {marker}-data' WHERE id = 1",
    )


@pytest.mark.parametrize("fmt", ["csv", "sql"])
def test_a_database_whose_view_was_redefined_is_not_exported(
    db: Path, tmp_path: Path, fmt: str
) -> None:
    """An export of such a view would hand on whatever it now returns as skating-db's."""
    sql(db, "DROP VIEW podiums", "CREATE VIEW podiums AS SELECT 'EVIL' AS season")
    result = invoke("export", tmp_path / "out", "--db", db, "--format", fmt)
    assert_one_sentence(result, str(db), "the view podiums is not skating-db's")
    assert not (tmp_path / "out").exists()


def _backslash_lines(dump: Path) -> set[str]:
    text = dump.read_text(encoding="utf-8")
    return {line for line in text.split("\n") if line.startswith("\\")}


def test_the_sql_dump_has_no_line_starting_with_a_backslash_but_copy_ends(
    db: Path, tmp_path: Path
) -> None:
    _hostile(db, tmp_path / "PWNED")
    _ok("export", tmp_path / "dump", "--db", db, "--format", "sql")
    dump = tmp_path / "dump" / "skating-db.sql"
    assert _backslash_lines(dump) == {"\\."}
    text = dump.read_text(encoding="utf-8")
    assert "touch" not in "\n".join(re.findall(r"CREATE VIEW[^;]*;", text))
    assert "CREATE VIEW pv" not in text


def test_a_row_that_would_start_with_a_backslash_is_refused(db: Path, tmp_path: Path) -> None:
    sql(db, "INSERT INTO attestations VALUES ('\\! touch x', 1, 1, NULL)")
    result = invoke("export", tmp_path / "dump", "--db", db, "--format", "sql")
    assert_one_sentence(result, "attestations", "backslash")
    assert not (tmp_path / "dump").exists()


def test_loading_a_hostile_dump_with_psql_runs_nothing(
    db: Path, tmp_path: Path, postgres_server: str
) -> None:
    marker = tmp_path / "PWNED"
    _hostile(db, marker)
    _ok("export", tmp_path / "dump", "--db", db, "--format", "sql")
    _reset_postgres(postgres_server)
    loaded = psql_file(postgres_server, tmp_path / "dump/skating-db.sql")
    assert loaded.returncode == 0, loaded.stderr
    assert not list(tmp_path.glob("PWNED*"))
    views = scalar(
        postgres_server,
        "SELECT string_agg(viewname, ',' ORDER BY viewname) FROM pg_views"
        " WHERE schemaname = current_schema()",
    )
    assert views.split(",") == sorted(VIEW_NAMES)
    assert scalar(postgres_server, "SELECT COUNT(*) FROM podiums") > 0
    name = scalar(postgres_server, "SELECT name FROM athletes WHERE id = 1")
    assert name == f"x\n\\! touch {marker}-data"


def test_a_failed_export_leaves_no_folder_behind(tmp_path: Path) -> None:
    theirs = foreign_db(tmp_path / "other.db")
    notdb = tmp_path / "notdb.db"
    notdb.write_text("not a database\n", encoding="utf-8")
    for source in (theirs, notdb):
        out = tmp_path / "deep" / "er" / f"out_{source.stem}"
        assert_one_sentence(invoke("export", out, "--db", source), str(source))
        assert not (tmp_path / "deep").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notdb.db", "other.db"]


def test_existing_files_are_replaced_only_with_force(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "ex2"
    out.mkdir()
    (out / "athletes.csv").write_text("keep\n", encoding="utf-8")
    (out / "mine.txt").write_text("keep\n", encoding="utf-8")
    assert_one_sentence(invoke("export", out, "--db", db), str(out), "athletes.csv", "--force")
    assert sorted(p.name for p in out.iterdir()) == ["athletes.csv", "mine.txt"]
    assert (out / "athletes.csv").read_text(encoding="utf-8") == "keep\n"
    _ok("export", out, "--db", db, "--force")
    assert (out / "athletes.csv").read_text(encoding="utf-8").startswith("id,")
    assert (out / "mine.txt").read_text(encoding="utf-8") == "keep\n"
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_force_replaces_a_symbolic_link_not_its_target(db: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("mine\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "nations.csv").symlink_to(victim)
    _ok("export", out, "--db", db, "--force")
    assert victim.read_text(encoding="utf-8") == "mine\n"
    assert not (out / "nations.csv").is_symlink()


def test_an_empty_folder_argument_is_refused(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    assert_one_sentence(invoke("export", "", "--db", db), "FOLDER", "empty")
    assert not list(here.iterdir())


def test_export_into_an_existing_empty_folder_works(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    said = _ok("export", out, "--db", db)
    assert "Note" not in said
    assert len(list(out.iterdir())) == len(TABLES) + len(VIEW_NAMES) + 1


def test_the_views_in_the_dump_come_in_the_order_the_migrations_make_them(
    db: Path, tmp_path: Path
) -> None:
    """A view comes after any view it reads; the order is the migrations', not the file's."""
    con = sqlite3.connect(db)
    (made,) = con.execute("SELECT sql FROM sqlite_master WHERE name = 'medal_table'").fetchone()
    con.execute("DROP VIEW medal_table")
    con.execute(made)  # the same SQL under a new rowid: last in the file's own order
    con.commit()
    con.close()
    _ok("export", tmp_path / "dump", "--db", db, "--format", "sql")
    text = (tmp_path / "dump" / "skating-db.sql").read_text(encoding="utf-8")
    order = re.findall(r"^CREATE VIEW (\w+) AS", text, re.MULTILINE)
    assert sorted(order) == sorted(VIEW_NAMES) and order[0] == "medal_table"
