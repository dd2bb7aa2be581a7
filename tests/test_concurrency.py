"""Concurrency on one SQLite file, with real `skating-db` subprocesses.

Two loads at once both succeed and every fact of both is there afterwards; a query running
during a load sees the old state or the new one, never a half-written one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from skating_db import build
from skating_db.admin import check_database
from skating_db.corrections import load_corrections
from skating_db.db import resolve_url
from skating_db.query import run_query
from tests.helpers import SEEDS, TABLES

CLI = Path(sys.executable).parent / "skating-db"
TIMEOUT = 180
SEED_001 = SEEDS / "001_31e08c3cd8efef29.txt"
SEED_003 = SEEDS / "003_ce91681f36087575.txt"
CORRECTIONS = load_corrections(SEEDS / "corrections.toml")


def _season(start: int) -> str:
    return f"{start}–{(start + 1) % 100:02d}"


def shifted(seed: Path, year: int, new_year: int) -> str:
    """The seed document moved from the season starting in `year` to one starting in `new_year`."""
    text = seed.read_text(encoding="utf-8")
    for delta in (-1, 0, 1):
        text = text.replace(_season(year + delta), _season(new_year + delta))
    for delta in (0, 1):
        text = text.replace(str(year + delta), f"@{new_year + delta}@")
    return text.replace("@", "")


def make_documents(folder: Path, prefix: str, years: range) -> list[Path]:
    """Documents with facts of their own: the calendar seeds moved to other seasons."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for year in years:
        for seed, original in ((SEED_001, 2002), (SEED_003, 2011)):
            path = folder / f"{prefix}_{year}_{seed.name}"
            path.write_text(shifted(seed, original, year), encoding="utf-8")
            paths.append(path)
    return paths


def counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def facts(db: Path) -> set[tuple[object, ...]]:
    con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        return set(
            con.execute(
                "SELECT season, event, race_date, gender, distance_m, race_no, rank, athlete,"
                " nation, time_ms, source, source_line FROM podiums"
            ).fetchall()
        )
    finally:
        con.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("template") / "skating.db"
    build.rebuild(f"sqlite:///{db}", SEEDS)
    return db


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], list[Path]]:
    folder = tmp_path_factory.mktemp("docs")
    return (
        make_documents(folder, "a", range(1911, 1961)),
        make_documents(folder, "b", range(1961, 2001)),
    )


@pytest.fixture(scope="module")
def expected(
    template: Path, batches: tuple[list[Path], list[Path]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The database after loading both batches one after the other, in this process."""
    db = tmp_path_factory.mktemp("expected") / "skating.db"
    shutil.copy(template, db)
    for batch in batches:
        build.load(f"sqlite:///{db}", batch, CORRECTIONS)
    return db


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "skating.db"
    shutil.copy(template, target)
    return target


def start(*args: str | Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(CLI), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "SKATING_DB_URL": ""},
    )


def finish(proc: subprocess.Popen[bytes]) -> tuple[int, str]:
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    return proc.returncode, (out + err).decode()


def test_two_loads_at_once_both_succeed_and_keep_every_fact(
    db: Path, batches: tuple[list[Path], list[Path]], expected: Path
) -> None:
    first, second = batches
    procs = [start("load", *first, "--db", db), start("load", *second, "--db", db)]
    outcomes = [finish(p) for p in procs]
    for status, output in outcomes:
        assert status == 0, output
        assert "Traceback" not in output
    assert counts(db) == counts(expected)
    assert facts(db) == facts(expected)
    assert check_database(f"sqlite:///{db}") == []


def test_four_loads_at_once_all_succeed(
    db: Path, batches: tuple[list[Path], list[Path]], expected: Path
) -> None:
    first, second = batches
    halves = [first[::2], first[1::2], second[::2], second[1::2]]
    procs = [start("load", *half, "--db", db) for half in halves]
    outcomes = [finish(p) for p in procs]
    for status, output in outcomes:
        assert status == 0, output
    assert counts(db) == counts(expected)
    assert facts(db) == facts(expected)


def test_query_during_a_load_sees_the_old_or_the_new_state(
    db: Path, batches: tuple[list[Path], list[Path]], tmp_path: Path
) -> None:
    docs = batches[0] + batches[1]
    sql = "select count(*) from placements"
    old = counts(db)["placements"]
    after = tmp_path / "after.db"
    shutil.copy(db, after)
    build.load(f"sqlite:///{after}", docs, CORRECTIONS)
    new = counts(after)["placements"]
    assert new > old

    url = resolve_url(str(db))
    loader = start("load", *docs, "--db", db)
    seen: list[int] = []
    cli_seen: list[str] = []
    deadline = time.monotonic() + TIMEOUT
    try:
        while loader.poll() is None and time.monotonic() < deadline and len(seen) < 5000:
            seen.append(run_query(url, sql).rows[0][0])
            if len(cli_seen) < 6 and len(seen) % 20 == 0:
                result = subprocess.run(
                    [str(CLI), "query", sql, "--format", "csv", "--db", str(db)],
                    capture_output=True,
                    timeout=TIMEOUT,
                    check=False,
                )
                assert result.returncode == 0, result.stderr.decode()
                cli_seen.append(result.stdout.decode().splitlines()[-1])
    finally:
        status, output = finish(loader)
    assert status == 0, output
    assert seen, "the load ended before any query ran"
    assert set(seen) <= {old, new}, sorted(set(seen))
    assert set(cli_seen) <= {str(old), str(new)}, cli_seen
    assert counts(db)["placements"] == new
