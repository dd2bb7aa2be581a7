"""Athlete search: folded, over every alias, kept in step by triggers, on both backends."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from skating_db.cli import cli
from skating_db.db import make_engine
from skating_db.errors import UserError
from skating_db.loaders.vocabulary import fold
from skating_db.migrate import upgrade
from skating_db.search import search_athletes

# (id, name, gender, aliases in the order a writer would add them)
PEOPLE = [
    (1, "Éric Bédard", "men", ["Éric Bédard", "Eric Bedard"]),
    (2, "Kim Dong-sung", "men", ["Kim Dong-sung", "김동성"]),
    (3, "Łukasz Ødegård", "men", []),
    (4, "Kim Ah-lang", "women", ["Kim A-lang"]),
]


def _write(url: str, *statements: tuple[str, dict[str, object]]) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        for sql, params in statements:
            conn.execute(text(sql), params)
    engine.dispose()


@pytest.fixture
def url(db_url: str) -> str:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        upgrade(conn)
        conn.execute(text("INSERT INTO nations (id, code, name) VALUES (1, 'CAN', 'Canada')"))
        for athlete, name, gender, aliases in PEOPLE:
            conn.execute(
                text(
                    "INSERT INTO athletes (id, name, gender, nation_id, natural_key)"
                    " VALUES (:i, :n, :g, CASE WHEN :i = 1 THEN 1 END, :n)"
                ),
                {"i": athlete, "n": name, "g": gender},
            )
            for alias in aliases:
                conn.execute(
                    text("INSERT INTO athlete_aliases (athlete_id, alias) VALUES (:i, :a)"),
                    {"i": athlete, "a": alias},
                )
    engine.dispose()
    return db_url


def _found(url: str, query: str) -> list[tuple[int, str | None]]:
    return [(hit.id, hit.matched) for hit in search_athletes(url, query)]


def test_search_folds_case_and_diacritics(url: str) -> None:
    hits = search_athletes(url, "bedard")
    assert [(h.id, h.name, h.nation, h.gender) for h in hits] == [(1, "Éric Bédard", "CAN", "men")]
    assert _found(url, "ÉRIC BÉD") == [(1, "Éric Bédard")]


def test_search_matches_aliases_and_hangul_paired_by_a_document(url: str) -> None:
    assert _found(url, "김동성") == [(2, "김동성")]
    assert _found(url, "a-lang") == [(4, "Kim A-lang")]  # an alias, not the name
    assert _found(url, "kim") == [(4, "Kim A-lang"), (2, "Kim Dong-sung")]  # by name


def test_search_folds_letters_that_do_not_decompose(url: str) -> None:
    assert _found(url, "lukasz odegard") == [(3, "Łukasz Ødegård")]  # the name: no alias


def test_triggers_keep_the_index_in_step(url: str) -> None:
    _write(url, ("DELETE FROM athlete_aliases WHERE alias = '김동성'", {}))
    assert _found(url, "김동성") == []
    _write(url, ("UPDATE athlete_aliases SET alias = 'Kim Alang' WHERE athlete_id = 4", {}))
    assert _found(url, "alang") == [(4, "Kim Alang")]
    _write(url, ("UPDATE athletes SET name = 'Eric Bedard-Roy' WHERE id = 1", {}))
    assert _found(url, "roy") == [(1, "Eric Bedard-Roy")]
    _write(
        url,
        ("DELETE FROM athlete_aliases WHERE athlete_id = 3", {}),
        ("DELETE FROM athletes WHERE id = 3", {}),
    )
    assert _found(url, "lukasz") == []


def test_search_limits_and_refuses_an_empty_query(url: str) -> None:
    assert len(search_athletes(url, "kim", limit=1)) == 1
    with pytest.raises(UserError, match="no letters or digits"):
        search_athletes(url, "  -- ")
    for wildcard in ("_", "%", "_%_"):  # LIKE's wildcards are no letters: they match nothing
        with pytest.raises(UserError, match="no letters or digits"):
            search_athletes(url, wildcard)
    assert _found(url, "eric_bedard") == _found(url, "eric bedard") != []


def test_a_loaded_database_finds_each_athlete_by_a_folded_alias(db: Path) -> None:
    """The writer needs no change: the triggers index what `rebuild` writes."""
    con = sqlite3.connect(db)
    aliases = con.execute("SELECT athlete_id, alias FROM athlete_aliases ORDER BY id").fetchall()
    con.close()
    assert aliases
    url = f"sqlite:///{db}"
    for athlete, alias in aliases[:: max(1, len(aliases) // 25)]:
        assert athlete in [hit.id for hit in search_athletes(url, fold(alias), limit=1000)]


def test_cli_search_prints_table_and_json(url: str) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["search", "bedard", "--db", url])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split() == ["id", "name", "nation", "gender", "matched"]
    assert "Éric Bédard" in result.output.splitlines()[2]
    result = runner.invoke(cli, ["search", "김동성", "--db", url, "--format", "json"])
    assert json.loads(result.output) == [
        {"id": 2, "name": "Kim Dong-sung", "nation": None, "gender": "men", "matched": "김동성"}
    ]


def test_cli_search_without_a_hit_says_so(url: str) -> None:
    """No hit is an answer (exit 0): one line in the table format, no rows in csv and json."""
    runner = CliRunner()
    result = runner.invoke(cli, ["search", "nobody here", "--db", url])
    assert result.exit_code == 0, result.output
    assert result.output == "No athlete matches 'nobody here' (by name or alias).\n"
    result = runner.invoke(cli, ["search", "nobody", "--db", url, "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output) == []
    result = runner.invoke(cli, ["search", "nobody", "--db", url, "--format", "csv"])
    assert result.exit_code == 0 and result.output == "id,name,nation,gender,matched\n"


def test_cli_search_without_a_database_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["search", "ohno", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0
    assert "no database here" in result.output


def test_a_database_behind_the_search_index_is_told_to_migrate(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.begin() as conn:
        upgrade(conn, "0003")  # before the athlete search index
    engine.dispose()
    with pytest.raises(UserError, match=r"revision 0003, not \w+; run skating-db migrate"):
        search_athletes(db_url, "bedard")
