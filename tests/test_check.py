"""`skating-db check` passes on a fresh rebuild and fails, saying what is wrong, on a database
broken behind its back with raw sqlite3."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from skating_db.cli import cli


def check(db: Path) -> Result:
    return CliRunner().invoke(cli, ["check", "--db", str(db)])


def tamper(db: Path, *statements: str) -> None:
    con = sqlite3.connect(db, isolation_level=None)
    try:
        con.execute("PRAGMA foreign_keys = OFF")
        for sql in statements:
            con.execute(sql)
    finally:
        con.close()


def test_fresh_rebuild_passes(tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"
    assert CliRunner().invoke(cli, ["rebuild", "--db", str(db)]).exit_code == 0
    result = check(db)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK")


BREAKAGES = {
    "placement-of-missing-race": (
        ["DELETE FROM races WHERE id = (SELECT MIN(race_id) FROM placements)"],
        ("foreign key", "placements"),
    ),
    "placement-of-missing-athlete": (
        ["DELETE FROM athletes WHERE id = (SELECT MIN(athlete_id) FROM placements)"],
        ("foreign key", "placements"),
    ),
    "orphan-alias": (
        ["INSERT INTO athlete_aliases (athlete_id, alias) VALUES (999999, 'Nobody At All')"],
        ("foreign key", "athlete_aliases"),
    ),
    "relay-member-of-missing-placement": (
        [
            "DELETE FROM placements WHERE id = (SELECT MIN(placement_id) FROM relay_members)",
        ],
        ("foreign key", "relay_members"),
    ),
    "dropped-view": (["DROP VIEW podiums"], ("view podiums is missing",)),
    "dropped-medal-table": (["DROP VIEW medal_table"], ("view medal_table is missing",)),
    "schema-not-at-head": (
        ["UPDATE alembic_version SET version_num = 'x'"],
        ("schema is at x", "not at head"),
    ),
    "schema-without-revision": (["DELETE FROM alembic_version"], ("no revision",)),
    "podiums-view-inconsistent": (
        [
            "DROP VIEW podiums",
            "CREATE VIEW podiums AS SELECT p.*, p.id AS placement_id FROM placements p"
            " WHERE p.rank = 1",
        ],
        ("podiums rows that differ",),
    ),
    "attestation-of-missing-placement": (
        ["INSERT INTO attestations VALUES ('placements', 987654, 1, 1)"],
        ("attestations of a missing placement",),
    ),
    "placement-attested-by-its-owner": (
        [
            "INSERT INTO attestations SELECT 'placements', id, source_id, source_line"
            " FROM placements WHERE id = (SELECT MIN(id) FROM placements)"
        ],
        ("attested again by their own source",),
    ),
}


@pytest.mark.parametrize(("statements", "says"), BREAKAGES.values(), ids=list(BREAKAGES))
def test_broken_database_fails_the_check(
    statements: list[str], says: tuple[str, ...], db: Path
) -> None:
    assert check(db).exit_code == 0
    tamper(db, *statements)
    result = check(db)
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    fails = [line for line in result.output.splitlines() if line.startswith("FAIL ")]
    assert fails, result.output
    for words in says:
        assert any(words in line for line in fails), (words, result.output)
    assert result.output.rstrip().splitlines()[-1].startswith("Error: ")


def test_orphan_alias_found_without_foreign_key_pragma(db: Path) -> None:
    """The orphan checks hold on their own, e.g. where foreign keys are not declared."""
    from skating_db.admin import ORPHAN_CHECKS

    tamper(db, "INSERT INTO athlete_aliases (athlete_id, alias) VALUES (999999, 'Nobody')")
    con = sqlite3.connect(db)
    try:
        found = {what: con.execute(sql).fetchone()[0] for what, sql in ORPHAN_CHECKS}
    finally:
        con.close()
    assert found["aliases of a missing athlete"] == 1
    assert sum(found.values()) == 1


def test_check_of_a_missing_database_is_one_sentence(tmp_path: Path) -> None:
    result = check(tmp_path / "absent.db")
    assert result.exit_code != 0
    assert result.output.count("Error: ") == 1
    assert "absent.db" in result.output
    assert not (tmp_path / "absent.db").exists()
