"""Datasette metadata: written by rebuild, printed by `metadata`, described from the models."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from skating_db import build
from skating_db.cli import cli
from skating_db.db import make_engine, resolve_url
from skating_db.metadata import LABELS, build_metadata
from skating_db.models import VIEW_NAMES, Base
from tests.helpers import SEEDS, TABLES, scalar


def _printed(db: Path) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["metadata", "--db", str(db)])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.output)
    return document


def _tables(document: dict[str, Any]) -> dict[str, Any]:
    tables: dict[str, Any] = document["databases"]["skating"]["tables"]
    return tables


def test_rebuild_writes_the_printed_metadata_beside_the_database(tmp_path: Path) -> None:
    db = tmp_path / "skating.db"
    build.rebuild(resolve_url(str(db)), SEEDS)
    written = json.loads((tmp_path / "skating.metadata.json").read_text(encoding="utf-8"))
    assert written == _printed(db)


def test_two_databases_in_one_folder_keep_their_own_metadata(tmp_path: Path) -> None:
    """A second database built beside the first does not overwrite the first's metadata:
    each file names its own database, as Datasette calls it (the file's stem)."""
    for name in ("skating.db", "results.db"):
        build.rebuild(resolve_url(str(tmp_path / name)), SEEDS)
    files = sorted(p.name for p in tmp_path.glob("*.json"))
    assert files == ["results.metadata.json", "skating.metadata.json"]
    for stem in ("skating", "results"):
        written = json.loads((tmp_path / f"{stem}.metadata.json").read_text(encoding="utf-8"))
        assert list(written["databases"]) == [stem]


def test_metadata_names_licences_tables_labels_and_hides_alembic(db: Path) -> None:
    document = _printed(db)
    assert "CC BY-SA 4.0" in document["license"] and "MIT" in document["license"]
    assert document["license_url"].startswith("https://creativecommons.org/licenses/by-sa/4.0")
    tables = _tables(document)
    assert set(TABLES) <= set(tables)
    assert tables["alembic_version"] == {"hidden": True}
    assert all(tables[t]["description"] for t in TABLES)
    assert tables["venues"]["label_column"] == "city"
    assert tables["events"]["label_column"] == "name"
    assert tables["athletes"]["label_column"] == "name"
    assert "label_column" in tables["races"]
    columns = {c.name for c in Base.metadata.tables["races"].columns}
    for name, column in LABELS.items():
        assert column in {c.name for c in Base.metadata.tables[name].columns}, name
    assert tables["races"]["label_column"] in columns
    assert tables["seasons"]["sort_desc"] == "start_year"


def test_column_descriptions_come_from_the_models(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    city = Base.metadata.tables["venues"].c.city
    monkeypatch.setattr(city, "comment", "The city, as the documents write it.")
    monkeypatch.setitem(city.info, "description", "ignored: comment wins")
    tables = _tables(_printed(db))
    assert tables["venues"]["columns"]["city"] == "The city, as the documents write it."
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if column.comment:
                assert tables[table.name]["columns"][column.name] == column.comment


def _copy_with(db: Path, folder: Path, sql: str) -> Path:
    target = folder / "skating.db"
    folder.mkdir()
    shutil.copy(db, target)
    con = sqlite3.connect(target)
    try:
        con.execute(sql)
        con.commit()
    finally:
        con.close()
    return target


def test_athlete_search_is_declared_only_when_the_fts_table_exists(
    db: Path, tmp_path: Path
) -> None:
    without = _copy_with(db, tmp_path / "without", "DROP TABLE IF EXISTS athletes_fts")
    plain = _tables(_printed(without))
    assert "fts_table" not in plain["athletes"] and "athletes_fts" not in plain
    fts = "CREATE VIRTUAL TABLE athletes_fts USING fts5(name)"
    with_fts = _copy_with(without, tmp_path / "with", fts)
    tables = _tables(_printed(with_fts))
    assert tables["athletes"]["fts_table"] == "athletes_fts"
    assert tables["athletes"]["fts_pk"] == "id"
    assert tables["athletes_fts"] == {"hidden": True}


def test_canned_queries_run_and_answer(db: Path) -> None:
    url = resolve_url(str(db))
    engine = make_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            queries = build_metadata(conn, "skating")["databases"]["skating"]["queries"]
            season = scalar(url, "SELECT season FROM podiums WHERE rank = 1 AND round = 'final'")
            athlete = scalar(url, "SELECT athlete FROM podiums WHERE rank = 1 AND round = 'final'")
            event = scalar(url, "SELECT event FROM podiums WHERE rank = 1 AND round = 'final'")
            params = {"season": season, "athlete": athlete, "event": event, "opponent": athlete}
            for name, query in queries.items():
                found = conn.execute(text(query["sql"]), params).all()
                assert name == "two_athletes" or found, name  # an athlete never meets himself
            medals = conn.execute(text(queries["medal_table_of_season"]["sql"]), params).all()
    finally:
        engine.dispose()
    hyphen = dict(params, season=str(season).replace("–", "-"))
    engine = make_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            typed = conn.execute(text(queries["medal_table_of_season"]["sql"]), hyphen).all()
    finally:
        engine.dispose()
    assert typed == medals, "a season typed 2002-03 should find the 2002–03 medals"
    keys = [(m.nation, m.series) for m in medals]
    assert len(keys) == len(set(keys)), "a nation appears twice in one season's medal table"
    assert {"medal_table_of_season", "athlete_podiums", "event_podiums"} <= set(queries)


def test_metadata_of_a_missing_database_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["metadata", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0
    assert "no database here" in result.output


def test_no_canned_query_hides_a_table_or_view(db: Path) -> None:
    """Datasette serves a canned query in place of a table or view of the same name."""
    engine = make_engine(resolve_url(str(db)), read_only=True)
    try:
        with engine.connect() as conn:
            queries = build_metadata(conn, "skating")["databases"]["skating"]["queries"]
    finally:
        engine.dispose()
    assert not set(queries) & {*TABLES, *VIEW_NAMES}
