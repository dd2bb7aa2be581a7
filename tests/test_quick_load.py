"""A load into a SQLite file at head through sqlite3 alone (skating_db.quick_load) writes
exactly what build.load writes, and is the path `skating-db load` takes there."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from bench.corpus import mutate
from skating_db import build, quick_load
from skating_db.corrections import load_corrections
from skating_db.migrate import alembic_config, head_revision
from skating_db.writer import retraction as r
from skating_db.writer.dialect import Sql
from skating_db.writer.keys import ATTESTED
from tests.helpers import SEEDS, copy_documented_seeds

CORRECTIONS = load_corrections(SEEDS / "corrections.toml")
MASKED = {"loaded_at"}  # the time of the load


def _contents(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows (the search index's included), the time of the load masked."""
    con = sqlite3.connect(db)
    try:
        names = [n for (n,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        out = {}
        for name in names:
            columns = [c[1] for c in con.execute(f"PRAGMA table_info({name})")]
            kept = ", ".join(f'"{c}"' for c in columns if c not in MASKED)
            out[name] = sorted(con.execute(f"SELECT {kept} FROM {name}").fetchall(), key=repr)
        return out
    finally:
        con.close()


@pytest.fixture
def base(tmp_path: Path) -> tuple[Path, list[Path]]:
    """A database of the documented seeds but the last, and documents to load into it: two
    changed (one rewritten wholly, as another seed's text), one new."""
    folder = copy_documented_seeds(tmp_path / "seeds")
    *held, new = sorted(folder.glob("*.txt"))
    shutil.move(new, tmp_path / new.name)
    db = tmp_path / "base.db"
    build.rebuild(f"sqlite:///{db}", folder)
    changed = tmp_path / "changed"
    changed.mkdir()
    texts = {path: path.read_text(encoding="utf-8") for path in held}
    timed = next(path for path, text in texts.items() if mutate(text, seed=3) != text)
    other = next(path for path in held if path != timed)
    rewritten = next(path for path in held if path not in (timed, other))
    first, second = changed / timed.name, changed / other.name
    first.write_text(mutate(texts[timed], seed=3), encoding="utf-8")
    second.write_text(texts[rewritten], encoding="utf-8")
    return db, [first, second, tmp_path / new.name]


@pytest.mark.parametrize("dry_run", [False, True])
def test_quick_load_writes_what_build_load_writes(
    base: tuple[Path, list[Path]], tmp_path: Path, dry_run: bool
) -> None:
    db, documents = base
    quick, full = tmp_path / "quick.db", tmp_path / "full.db"
    shutil.copy(db, quick)
    shutil.copy(db, full)
    done = quick_load.load(quick, documents, CORRECTIONS, dry_run=dry_run, jobs=1)
    expected = build.load(f"sqlite:///{full}", documents, CORRECTIONS, dry_run=dry_run, jobs=1)
    assert done is not None
    assert [(x.source, x.status, x.counts) for x in done.results] == [
        (x.source, x.status, x.counts) for x in expected.results
    ]
    assert [x.status for x in done.results] == ["replaced", "replaced", "loaded"]
    assert done.summary == expected.summary
    assert _contents(quick) == _contents(full)
    assert (_contents(quick) == _contents(db)) is dry_run


def test_a_database_behind_head_is_left_to_build_load(base: tuple[Path, list[Path]]) -> None:
    db, documents = base
    con = sqlite3.connect(db)
    con.execute("UPDATE alembic_version SET version_num = 'not_head'")
    con.commit()
    con.close()
    before = db.read_bytes()
    assert quick_load.load(db, documents, CORRECTIONS, jobs=1) is None
    assert db.read_bytes() == before
    assert quick_load.sqlite_file(f"sqlite:///{db}") is None  # URLs too go the whole way


def test_the_command_loads_a_changed_document_without_sqlalchemy(
    base: tuple[Path, list[Path]],
) -> None:
    db, documents = base
    code = (
        "import sys\nfrom skating_db.cli import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "loaded = [m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic'))]\n"
        "assert not loaded, loaded"
    )
    args = ["load", str(documents[0]), "--db", str(db)]
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"{documents[0].name}: replaced" in done.stdout


def _plans(sql: str, db: Path) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return [row[3] for row in con.execute(f"EXPLAIN QUERY PLAN {sql}", {"sid": 1})]
    finally:
        con.close()


def test_hints_read_one_source_s_attestations_by_its_index(tmp_path: Path) -> None:
    """Without statistics SQLite reads `fact_table = 'x' AND source_id = ?` through the
    primary key's prefix (every attestation of that kind); hinted, through `source_id`."""
    db = tmp_path / "seeds.db"
    build.rebuild(f"sqlite:///{db}", copy_documented_seeds(tmp_path / "seeds"))
    sqlite = Sql(None, postgres=False)
    statements = [(sql, {}) for sql, _ in r.CANDIDATES.values()] + [
        (f"DELETE FROM {t} WHERE " + r.ONLY_HERE, {"t": t}) for t in ATTESTED
    ]
    hinted = 0
    for text, names in statements:
        better, sql = r.hinted(sqlite, text, **names), text.format(hint="", **names)
        assert better.replace("+", "") == sql.replace("+", "")  # only hints added
        hinted += better.count("+") - sql.count("+")
        assert not [p for p in _plans(better, db) if p.endswith("(fact_table=?)")], better
        if better != sql:
            assert [p for p in _plans(sql, db) if p.endswith("(fact_table=?)")], sql
    assert hinted == 4 + len(ATTESTED)  # every attestation filter on one source is hinted


def test_a_database_behind_head_is_migrated_and_loaded_by_the_command(
    base: tuple[Path, list[Path]],
) -> None:
    """The whole way (build.load migrates first); a -j above the CPU count is noted once."""
    db, documents = base
    head = head_revision()
    script = ScriptDirectory.from_config(alembic_config()).get_revision(head)
    before = script.down_revision if script is not None else None
    assert isinstance(before, str)
    cli = [sys.executable, "-c", "from skating_db.cli import main; main()"]
    down = subprocess.run([*cli, "migrate", before, "--down", "--db", str(db)], capture_output=True)
    assert down.returncode == 0, down.stderr
    assert quick_load.load(db, documents[:1], CORRECTIONS, jobs=1) is None
    args = ["load", str(documents[0]), "--db", str(db), "-j", "512"]
    done = subprocess.run([*cli, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"{documents[0].name}: replaced" in done.stdout
    assert done.stderr.count("Note: -j 512 is more than") == 1, done.stderr
    con = sqlite3.connect(db)
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]
    con.close()


def test_the_quick_connection_waits_as_long_as_the_engine_s() -> None:
    from skating_db import db

    assert quick_load.BUSY_TIMEOUT_MS == db.BUSY_TIMEOUT_MS
