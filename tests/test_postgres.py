"""PostgreSQL: the same commands and the same facts as SQLite, against a real server."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from skating_db import build
from skating_db.cli import cli
from skating_db.db import resolve_url
from tests.conftest import _reset_postgres
from tests.helpers import SEEDS, TABLES, copy_documented_seeds, counts, expected_totals, rows

PODIUMS = (
    "SELECT season, start_year, series, event, city, CAST(race_date AS VARCHAR(10)), gender,"
    " distance_m,"
    " CASE WHEN is_relay THEN 1 ELSE 0 END, race_no, rank, athlete, nation, time_ms, source"
    " FROM podiums ORDER BY source, source_line, rank, nation, athlete"
)


@pytest.fixture
def pg(postgres_server: str) -> str:
    _reset_postgres(postgres_server)
    return postgres_server


def test_rebuild_gives_identical_podiums_and_counts_on_both_backends(
    pg: str, tmp_path: Path
) -> None:
    lite = resolve_url(str(tmp_path / "parity.db"))
    folder = copy_documented_seeds(tmp_path / "documented")
    build.rebuild(lite, folder)
    build.rebuild(pg, folder)
    assert rows(pg, PODIUMS) == rows(lite, PODIUMS)
    assert len(rows(pg, PODIUMS)) == expected_totals()["placements"]
    assert counts(pg) == counts(lite)
    assert set(counts(pg)) == set(TABLES)


def test_every_command_runs_on_postgresql(pg: str, tmp_path: Path) -> None:
    runner = CliRunner()
    for args in (
        ["rebuild", "--seeds", str(copy_documented_seeds(tmp_path / "documented"))],
        ["load", str(SEEDS / "001_31e08c3cd8efef29.txt")],
        ["query", "select count(*) from placements"],
        ["issues", "--severity", "warning"],
        ["migrate"],
        ["check"],
    ):
        result = runner.invoke(cli, [*args, "--db", pg])
        assert result.exit_code == 0, (args, result.output)
    result = runner.invoke(cli, ["query", "select count(*) from placements", "--db", pg])
    assert result.output.splitlines()[2].strip() == str(expected_totals()["placements"])


def test_rebuild_twice_replaces_the_contents(pg: str) -> None:
    build.rebuild(pg, SEEDS)
    first = counts(pg)
    build.rebuild(pg, SEEDS)
    assert counts(pg) == first


@pytest.mark.parametrize(
    "sql",
    [
        "delete from placements",
        "update athletes set name = 'x'",
        "create table t (x int)",
        "with x as (select 1) delete from placements",
        "set transaction read write; delete from placements",
        "commit; delete from placements",
        "select 1; commit; set transaction read write; delete from placements",
    ],
)
def test_query_is_read_only_on_postgresql(pg: str, sql: str) -> None:
    build.rebuild(pg, SEEDS)
    before = counts(pg)
    result = CliRunner().invoke(cli, ["query", sql, "--db", pg])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert counts(pg) == before


def test_write_flag_allows_writes_on_postgresql(pg: str) -> None:
    build.rebuild(pg, SEEDS)
    result = CliRunner().invoke(cli, ["query", "delete from race_notes", "--db", pg, "--write"])
    assert result.exit_code == 0, result.output
    assert counts(pg)["race_notes"] == 0


def test_unreachable_server_is_one_sentence() -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/nothing"
    result = CliRunner().invoke(cli, ["query", "select 1", "--db", url])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_concurrent_loads_queue_and_both_land(pg: str, tmp_path: Path) -> None:
    """Two `load` processes at once, both starting with the same new document: they queue
    (the writers' advisory lock), and the second attests the first's placements."""
    from tests.test_concurrency import (
        CORRECTIONS,
        SEED_003,
        finish,
        make_documents,
        shifted,
        start,
    )

    first = make_documents(tmp_path / "a", "a", range(1931, 1941))
    second = make_documents(tmp_path / "b", "b", range(1941, 1951))
    shared = shifted(SEED_003, 2011, 1925)  # facts no other document gives
    for batch, name in ((first, "a_shared.txt"), (second, "b_shared.txt")):
        path = batch[0].parent / name
        path.write_text(shared, encoding="utf-8")
        batch.insert(0, path)
    build.rebuild(pg, SEEDS)
    procs = [start("load", *first, "--db", pg), start("load", *second, "--db", pg)]
    for proc in procs:
        status, output = finish(proc)
        assert status == 0, output
    lite = resolve_url(str(tmp_path / "one-after-the-other.db"))
    build.rebuild(lite, SEEDS)
    build.load(lite, first, CORRECTIONS)
    build.load(lite, second, CORRECTIONS)
    assert counts(pg) == counts(lite)
    facts = "SELECT season, event, gender, distance_m, race_no, rank, athlete, nation FROM podiums"
    assert sorted(rows(pg, facts), key=repr) == sorted(rows(lite, facts), key=repr)
    shared_attested = (
        "SELECT COUNT(*) FROM attestations a JOIN sources s ON s.id = a.source_id"
        " WHERE a.fact_table = 'placements' AND s.name LIKE '%_shared.txt'"
    )
    assert rows(pg, shared_attested) == rows(lite, shared_attested) != [(0,)]
