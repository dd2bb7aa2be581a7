"""Second round of robustness (issue 12): concurrent writers, foreign databases, broken
pipes, damaged files, silent fallbacks, identity of sources and inputs that cost too much.

Each case is refused with one sentence naming the file or database and leaves the database
as it was, or works, as the README promises.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import unicodedata
from pathlib import Path

import pytest
from click.testing import Result

from skating_db import build
from tests.helpers import SEEDS
from tests.test_bad_input import (
    SEED_000,
    SEED_001,
    assert_one_sentence,
    invoke,
    output_of,
    snapshot,
)

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def sources(db: Path) -> list[str]:
    con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        return [name for (name,) in con.execute("SELECT name FROM sources ORDER BY name")]
    finally:
        con.close()


def sql(db: Path, *statements: str) -> None:
    con = sqlite3.connect(db)
    try:
        for statement in statements:
            con.execute(statement)
        con.commit()
    finally:
        con.close()


def foreign_db(path: Path) -> Path:
    """Another application's SQLite database: one table of notes."""
    sql(
        path,
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
        "INSERT INTO notes VALUES (1, 'x')",
    )
    return path


def ok(result: Result) -> Result:
    assert result.exit_code == 0, output_of(result)
    return result


# -- point 2: a rebuild and a load of one file ------------------------------------------------


def test_a_load_during_a_rebuild_lands_in_the_new_file(db: Path, tmp_path: Path) -> None:
    """A load started while a rebuild runs waits for it, then writes into the database the
    rebuild left, never into the file the rebuild retired."""
    from skating_db.db import resolve_url

    doc = tmp_path / "new_document.txt"
    shutil.copy(SEED_000, doc)
    started = threading.Event()

    def slowly(_batch: object) -> None:
        started.set()
        time.sleep(0.5)

    rebuilder = threading.Thread(target=build.rebuild, args=(resolve_url(str(db)), SEEDS, slowly))
    rebuilder.start()
    assert started.wait(60)
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "from skating_db.cli import main; main()",
            "load",
            str(doc),
            "--db",
            str(db),
        ],
        capture_output=True,
        timeout=300,
    )
    rebuilder.join(300)
    assert loaded.returncode == 0, loaded.stderr.decode()
    assert doc.name in sources(db)
    ok(invoke("check", "--db", db))


def test_rebuild_does_not_replay_a_crashed_writers_journal(db: Path, tmp_path: Path) -> None:
    """A hot rollback journal beside the old file is settled, not replayed into the new one."""
    sql(db, "PRAGMA journal_mode = DELETE")
    crash = (
        "import sqlite3, os, sys\n"
        "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "con.execute('PRAGMA cache_size = 1')\n"
        "con.execute('BEGIN IMMEDIATE')\n"
        "con.execute('DELETE FROM data_issues')\n"
        "con.execute('UPDATE placements SET source_line = source_line + 1')\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", crash, str(db)], check=True)
    assert Path(f"{db}-journal").exists(), "the crash left no hot journal to test with"
    ok(invoke("rebuild", "--seeds", SEEDS, "--db", db))
    assert not Path(f"{db}-journal").exists()
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        con.close()
    ok(invoke("check", "--db", db))


# -- point 3: a dry run never deletes what another load committed -----------------------------


def test_a_dry_run_does_not_delete_a_database_committed_meanwhile(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "new.db"
    real = build.write_documents

    def another_load_commits(*args: object, **kwargs: object) -> object:
        shutil.copy(db, tmp_path / "other.db")
        os.replace(tmp_path / "other.db", target)  # another load's committed database
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build, "write_documents", another_load_commits)
    ok(invoke("load", SEED_000, "--db", target, "--dry-run"))
    assert target.exists() and sources(target) == sources(db)


# -- point 4: what a rebuild, a load or a migration may write into -----------------------------


def _newer(db: Path) -> str:
    sql(db, "UPDATE alembic_version SET version_num = '9999'")
    return "newer"


def _two_revisions(db: Path) -> str:
    sql(db, "INSERT INTO alembic_version VALUES ('0001')")
    return "alembic_version"


def _foreign_revision(db: Path) -> str:
    foreign_db(db)
    sql(db, "CREATE TABLE alembic_version (version_num VARCHAR(32))")
    sql(db, "INSERT INTO alembic_version VALUES ('ae1027a6acf')")
    return "another application"


def _foreign(db: Path) -> str:
    foreign_db(db)
    return "another application"


FOREIGN = {
    "newer-schema": (_newer, True),
    "two-revisions": (_two_revisions, True),
    "other-apps-alembic": (_foreign_revision, False),
    "other-apps-tables": (_foreign, False),
}


@pytest.mark.parametrize("command", ["rebuild", "load", "migrate"])
@pytest.mark.parametrize(("make", "ours"), FOREIGN.values(), ids=list(FOREIGN))
def test_a_database_that_is_not_ours_is_refused(
    make: object, ours: bool, command: str, db: Path, tmp_path: Path
) -> None:
    target = db if ours else tmp_path / "theirs.db"
    says = make(target)  # type: ignore[operator]
    before = target.read_bytes()
    args = {"rebuild": ("rebuild", "--seeds", SEEDS), "load": ("load", SEED_000)}.get(
        command, ("migrate",)
    )
    message = assert_one_sentence(invoke(*args, "--db", target), str(target), says)
    assert target.read_bytes() == before
    if command == "rebuild":
        assert "--force" in message


def test_rebuild_force_replaces_a_foreign_database(tmp_path: Path) -> None:
    target = foreign_db(tmp_path / "theirs.db")
    ok(invoke("rebuild", "--seeds", SEEDS, "--db", target, "--force"))
    assert sources(target)


def test_rebuild_refuses_a_read_only_database_and_force_keeps_its_mode(db: Path) -> None:
    db.chmod(0o444)
    before = snapshot(db)
    # Refused by its mode even for root, whom the file system would let write it.
    assert_one_sentence(invoke("rebuild", "--seeds", SEEDS, "--db", db), str(db), "read-only")
    assert snapshot(db) == before
    assert db.stat().st_mode & 0o777 == 0o444
    ok(invoke("rebuild", "--seeds", SEEDS, "--db", db, "--force"))
    assert db.stat().st_mode & 0o777 == 0o444


def test_rebuild_keeps_the_mode_of_the_file_it_replaces(db: Path) -> None:
    db.chmod(0o640)
    ok(invoke("rebuild", "--seeds", SEEDS, "--db", db))
    assert db.stat().st_mode & 0o777 == 0o640


# -- point 5: a closed pipe after the commit -------------------------------------------------


def test_load_into_a_closed_pipe_commits_and_exits_quietly(tmp_path: Path) -> None:
    target = tmp_path / "piped.db"
    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head -0`: the reader is gone before we print
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "from skating_db.cli import main; main()",
                "load",
                str(SEED_000),
                "--db",
                str(target),
            ],
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr.decode() == ""
    assert sources(target) == [SEED_000.name]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("command", ["load", "rebuild", "export"])
def test_work_done_stands_when_its_report_cannot_be_printed(tmp_path: Path, command: str) -> None:
    """Output to a full disk after the work is done: exit 0 and a note, since it stands."""
    target = tmp_path / "full.db"
    args = ["load", str(SEED_000)] if command == "load" else ["rebuild", "--seeds", str(SEEDS)]
    if command == "export":
        ok(invoke("load", SEED_000, "--db", target))
        args = ["export", str(tmp_path / "out")]
    cli = [sys.executable, "-c", "from skating_db.cli import main; main()"]
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [*cli, *args, "--db", str(target)], stdout=full, stderr=subprocess.PIPE, timeout=300
        )
    assert done.returncode == 0, done.stderr.decode()
    assert "the report could not be printed (No space left on device)" in done.stderr.decode()
    assert SEED_000.name in sources(target)
    if command == "export":
        assert (tmp_path / "out" / "datapackage.json").is_file()


def test_rebuild_names_what_it_does_not_read(tmp_path: Path) -> None:
    """A subfolder or a FIFO in the seeds folder is passed over, and said to be."""
    seeds = tmp_path / "seeds"
    (seeds / "older").mkdir(parents=True)
    shutil.copy(SEED_000, seeds / SEED_000.name)
    if hasattr(os, "mkfifo"):
        os.mkfifo(seeds / "pipe.txt")
    result = invoke("rebuild", "--seeds", seeds, "--db", tmp_path / "r.db")
    assert result.exit_code == 0, output_of(result)
    assert "not read (not documents)" in result.stderr and "older/" in result.stderr
    assert sources(tmp_path / "r.db") == [SEED_000.name]


def test_a_built_database_stands_when_its_metadata_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "r.metadata.json").mkdir()  # where rebuild writes the Datasette metadata
    result = invoke("rebuild", "--seeds", SEEDS, "--db", tmp_path / "r.db")
    assert result.exit_code == 0, output_of(result)
    assert "r.metadata.json: not written (Is a directory)" in result.stderr
    assert SEED_000.name in sources(tmp_path / "r.db")


# -- point 6: check verifies the storage --------------------------------------------------------


def test_check_finds_a_damaged_file(db: Path) -> None:
    """A damaged index page that no ordinary query reads: check must still say so."""
    con = sqlite3.connect(db)
    try:
        (root,) = con.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sources'"
        ).fetchone()
        (page_size,) = con.execute("PRAGMA page_size").fetchone()
    finally:
        con.close()
    with db.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * 64)
    for args in (("check", "--db", db), ("check", "--full", "--db", db)):
        result = invoke(*args)
        assert result.exit_code != 0, result.output
        fails = [line for line in result.output.splitlines() if line.startswith("FAIL ")]
        assert any("_check" in line and "rebuild" in line for line in fails), result.output


def test_check_full_runs_the_integrity_check(db: Path) -> None:
    result = ok(invoke("check", "--db", db, "--full"))
    assert "storage sound" in result.output


# -- point 8: no silent fallbacks -------------------------------------------------------------


def test_a_missing_corrections_file_is_named(db: Path, tmp_path: Path) -> None:
    before = snapshot(db)
    missing = tmp_path / "missing.toml"
    assert_one_sentence(
        invoke("load", SEED_000, "--db", db, "--corrections", missing), str(missing)
    )
    assert snapshot(db) == before


def test_an_empty_db_option_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert_one_sentence(invoke("load", SEED_000, "--db", ""), "--db")
    assert not (tmp_path / "skating.db").exists()


def test_a_relative_sqlite_url_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ok(invoke("load", SEED_000, "--db", "sqlite:///relative.db"))
    ok(invoke("query", "select count(*) from sources", "--db", "sqlite:///relative.db"))
    ok(invoke("check", "--db", "sqlite:///relative.db"))
    assert sources(tmp_path / "relative.db") == [SEED_000.name]


@pytest.mark.skipif(ROOT, reason="root reads a file whatever its mode")
def test_an_unreadable_document_is_exit_1_naming_it(db: Path, tmp_path: Path) -> None:
    doc = tmp_path / "secret.txt"
    shutil.copy(SEED_000, doc)
    doc.chmod(0)
    result = invoke("load", doc, "--db", db)
    assert result.exit_code == 1
    assert_one_sentence(result, str(doc))


def test_a_symlink_loop_says_so(db: Path, tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    before = snapshot(db)
    assert_one_sentence(invoke("load", loop, "--db", db), str(loop), "loops")
    assert snapshot(db) == before


# -- point 9: sentences instead of "unexpected" ------------------------------------------------


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses non-UTF-8 file names")
def test_a_file_name_that_is_not_utf8_is_named(db: Path, tmp_path: Path) -> None:
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/r\xe9sultats.txt"))
    shutil.copy(SEED_000, odd)
    before = snapshot(db)
    message = assert_one_sentence(invoke("load", odd, "--db", db), "not UTF-8", "rename")
    assert "unexpected" not in message
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        ('[[alias]]\ngender = "men"\nalias = "A B"\nathlete = 42\n', "athlete must be text"),
        ('[[alias]]\ngender = "men"\nalias = "A B"\n', "lacks the field athlete"),
        ('[[distinct]]\ngender = "men"\nnames = "A B"\n', "names must be a list"),
        ("alias = 3\n", "[[alias]]"),
        (
            '[[alias]]\ngender = "men"\nalias = "A B"\nathlete = "C D"\n'
            '[[alias]]\ngender = "men"\nalias = "C D"\nathlete = "A B"\n',
            "makes an alias itself",
        ),
        (
            '[[alias]]\ngender = "men"\nalias = "A B"\nathlete = "C D"\n'
            '[[alias]]\ngender = "men"\nalias = "a b"\nathlete = "E F"\n',
            "another athlete than entry 1",
        ),
        ('[[unknown]]\ngender = "men"\n', "[[unknown]] is not a kind of correction"),
        ('[[alias]]\ngender = "men"\nalias = "A B"\nathelte = "C D"\n', "unknown field athelte"),
        ('[[alias]]\ngender = "mens"\nalias = "A B"\nathlete = "C D"\n', "gender is 'mens'"),
    ],
    ids=[
        "number",
        "missing-field",
        "names-not-a-list",
        "not-a-table",
        "cycle",
        "two-athletes",
        "unknown-kind",
        "misspelt-field",
        "unknown-gender",
    ],
)
def test_a_corrections_entry_of_the_wrong_type_is_named(
    toml: str, says: str, db: Path, tmp_path: Path
) -> None:
    corrections = tmp_path / "corrections.toml"
    corrections.write_text(toml, encoding="utf-8")
    before = snapshot(db)
    assert_one_sentence(
        invoke("load", SEED_000, "--db", db, "--corrections", corrections), str(corrections), says
    )
    assert snapshot(db) == before


# -- point 10: identity of sources --------------------------------------------------------------


def test_two_documents_of_one_name_are_refused(db: Path, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "same.txt", tmp_path / "b" / "same.txt"
    shutil.copy(SEED_000, first)
    shutil.copy(SEED_001, second)
    before = snapshot(db)
    assert_one_sentence(invoke("load", first, second, "--db", db), str(first), str(second))
    assert snapshot(db) == before


def test_nfc_and_nfd_spellings_of_a_name_are_one_source(tmp_path: Path) -> None:
    target = tmp_path / "n.db"
    nfc = unicodedata.normalize("NFC", "Résultats.txt")
    nfd = unicodedata.normalize("NFD", "Résultats.txt")
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    shutil.copy(SEED_000, tmp_path / "one" / nfc)
    shutil.copy(SEED_000, tmp_path / "two" / nfd)
    ok(invoke("load", tmp_path / "one" / nfc, "--db", target))
    result = ok(invoke("load", tmp_path / "two" / nfd, "--db", target))
    assert "unchanged" in result.output
    assert sources(target) == [nfc]


# -- point 11: inputs that cost too much --------------------------------------------------------


def test_a_line_longer_than_the_cap_is_refused_with_its_line(db: Path, tmp_path: Path) -> None:
    from skating_db.documents import MAX_LINE_BYTES

    doc = tmp_path / "one_line.txt"
    doc.write_bytes(b"title\nsecond\n" + b"x" * (MAX_LINE_BYTES + 10) + b"\nlast\n")
    before = snapshot(db)
    assert_one_sentence(invoke("load", doc, "--db", db), str(doc), "longer", line=3)
    assert snapshot(db) == before


def test_jobs_above_the_cpu_count_are_capped_with_a_notice(tmp_path: Path) -> None:
    result = ok(invoke("load", SEED_000, "--db", tmp_path / "j.db", "-j", "100000"))
    assert "using" in output_of(result) and "-j 100000" in output_of(result)


# -- point 12: line numbers count on \n, \r\n and \r only -----------------------------------------


def _placement_lines(db: Path) -> list[int]:
    con = sqlite3.connect(db)
    try:
        found = con.execute("SELECT source_line FROM placements ORDER BY source_line")
        return [line for (line,) in found]
    finally:
        con.close()


def test_unicode_line_separators_do_not_shift_line_numbers(tmp_path: Path) -> None:
    text = SEED_000.read_text(encoding="utf-8")
    first_break = text.index("\n")
    odd = text[:first_break] + " \u2028 \x0c \x85" + text[first_break:]
    (tmp_path / "plain").mkdir()
    (tmp_path / "odd").mkdir()
    (tmp_path / "plain" / "doc.txt").write_text(text, encoding="utf-8")
    (tmp_path / "odd" / "doc.txt").write_text(odd, encoding="utf-8")
    ok(invoke("load", tmp_path / "plain" / "doc.txt", "--db", tmp_path / "plain.db"))
    ok(invoke("load", tmp_path / "odd" / "doc.txt", "--db", tmp_path / "odd.db"))
    assert _placement_lines(tmp_path / "odd.db") == _placement_lines(tmp_path / "plain.db")


# -- issue 15: an unchanged document is not parsed ----------------------------------------------


def test_an_unchanged_document_is_skipped_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "u.db"
    ok(invoke("load", SEED_000, "--db", target))
    before = snapshot(target)

    def no_parsing(_text: str) -> None:
        raise AssertionError("an unchanged document was parsed")

    monkeypatch.setattr("skating_db.pipeline.parse_document", no_parsing)
    result = ok(invoke("load", SEED_000, "--db", target))
    assert f"{SEED_000.name}: unchanged" in result.output
    assert snapshot(target)[:2] == before[:2]


def test_load_is_silent_when_output_is_not_a_terminal(tmp_path: Path) -> None:
    result = ok(invoke("load", SEED_000, "--db", tmp_path / "q.db"))
    assert "Loading" not in output_of(result)


# -- PostgreSQL: the same refusals, and check says what it could not verify -------------------


def test_postgres_foreign_schema_is_refused_and_check_notes_amcheck(postgres_server: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
            conn.execute(text("CREATE TABLE notes (id int)"))
        message = assert_one_sentence(invoke("load", SEED_000, "--db", postgres_server), "notes")
        assert "another application" in message
        with engine.connect() as conn:
            tables = conn.execute(
                text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            ).scalar_one()
            assert tables == 1
            conn.execute(text("DROP TABLE notes"))
        ok(invoke("load", SEED_000, "--db", postgres_server))
        result = ok(invoke("check", "--full", "--db", postgres_server))
        with engine.connect() as conn:
            has_amcheck = conn.execute(
                text("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'")
            ).first()
        assert ("amcheck" in result.output) == (has_amcheck is None)
    finally:
        engine.dispose()


def test_an_all_unchanged_load_says_what_a_full_load_says(tmp_path: Path) -> None:
    target = tmp_path / "same.db"
    first = ok(invoke("load", SEED_000, SEED_001, "--db", target)).output.splitlines()
    again = ok(invoke("load", SEED_001, SEED_000, "--db", target)).output.splitlines()
    assert again[:2] == [f"{SEED_001.name}: unchanged", f"{SEED_000.name}: unchanged"]
    assert again[-1] == first[-1]  # the same summary


def test_an_unchanged_load_still_migrates_an_older_schema(tmp_path: Path) -> None:
    from skating_db.unchanged import head_revision

    target = tmp_path / "old.db"
    ok(invoke("load", SEED_000, "--db", target))
    ok(invoke("migrate", "0002", "--down", "--db", target))
    ok(invoke("load", SEED_000, "--db", target))
    con = sqlite3.connect(target)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (head_revision(),)
        ]
    finally:
        con.close()


# -- found by the second round of attacks ------------------------------------------------------


@pytest.mark.parametrize("command", ["rebuild", "load"])
def test_a_device_as_the_database_is_refused(command: str, tmp_path: Path) -> None:
    """`rebuild --db /dev/null` used to replace the device with a regular file."""
    args = ("rebuild", "--seeds", SEEDS) if command == "rebuild" else ("load", SEED_000)
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    assert_one_sentence(invoke(*args, "--db", fifo), str(fifo), "not a regular file")
    assert fifo.is_fifo()


def test_a_file_name_with_a_line_break_is_refused(db: Path, tmp_path: Path) -> None:
    odd = tmp_path / "a\nb.txt"
    shutil.copy(SEED_000, odd)
    before = snapshot(db)
    assert_one_sentence(invoke("load", odd, "--db", db), "control character")
    assert snapshot(db) == before


def test_issues_on_another_applications_database_says_so(tmp_path: Path) -> None:
    theirs = foreign_db(tmp_path / "theirs.db")
    assert_one_sentence(invoke("issues", "--db", theirs), str(theirs), "another application")


@pytest.mark.skipif(ROOT, reason="root may write into any folder")
def test_rebuild_in_a_read_only_folder_says_so(db: Path) -> None:
    db.parent.chmod(0o555)
    try:
        before = snapshot(db)
        assert_one_sentence(invoke("rebuild", "--seeds", SEEDS, "--db", db), "not writable")
        assert snapshot(db) == before
    finally:
        db.parent.chmod(0o755)
