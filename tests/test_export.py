"""`skating-db export`: every public table and view, deterministic bytes, a valid data package,
files that load back (sqlite-utils, psql) into the same row counts."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from skating_db import build, export
from skating_db.cli import cli
from skating_db.db import make_engine, resolve_url
from skating_db.migrate import downgrade
from skating_db.models import COMPUTED_COLUMNS, VIEW_NAMES, Base
from skating_db.search import search_athletes
from tests.conftest import _reset_postgres
from tests.helpers import SEEDS, TABLES, psql_file, rows, scalar

FORMATS = ("csv", "json", "ndjson", "sql")


def _export(db: Path, folder: Path, fmt: str = "csv") -> None:
    result = CliRunner().invoke(cli, ["export", str(folder), "--format", fmt, "--db", str(db)])
    assert result.exit_code == 0, result.output


def _views(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'view'")]
    finally:
        con.close()


def _count(db: Path, name: str) -> int:
    return int(scalar(resolve_url(str(db)), f"SELECT COUNT(*) FROM {name}"))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_csv_export_has_every_table_and_view_with_their_rows(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _export(db, out)
    names = {p.stem for p in out.glob("*.csv")}
    assert names == set(TABLES) | set(_views(db))
    assert set(VIEW_NAMES) <= names and "alembic_version" not in names
    for name in names:
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            assert sum(1 for _ in csv.reader(fh)) - 1 == _count(db, name), name


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_is_byte_for_byte_deterministic(db: Path, tmp_path: Path, fmt: str) -> None:
    _export(db, tmp_path / "a", fmt)
    _export(db, tmp_path / "b", fmt)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_small_batches_give_the_same_bytes(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows are streamed in batches; where the batches break must not show in the output."""
    _export(db, tmp_path / "big", "json")
    monkeypatch.setattr(export, "BATCH", 7)
    _export(db, tmp_path / "small", "json")
    assert _files(tmp_path / "big") == _files(tmp_path / "small")


def test_json_and_ndjson_hold_typed_rows(db: Path, tmp_path: Path) -> None:
    _export(db, tmp_path / "json", "json")
    _export(db, tmp_path / "ndjson", "ndjson")
    races = json.loads((tmp_path / "json" / "races.json").read_text(encoding="utf-8"))
    lines = (tmp_path / "ndjson" / "races.ndjson").read_text(encoding="utf-8").splitlines()
    assert len(races) == len(lines) == _count(db, "races")
    assert [json.loads(line) for line in lines] == races
    assert {type(r["is_relay"]) for r in races} == {bool}
    assert [r["id"] for r in races] == sorted(r["id"] for r in races)


def test_datapackage_describes_each_file_with_keys_and_licence(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _export(db, out)
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "CC-BY-SA-4.0"
    resources = {r["name"]: r for r in package["resources"]}
    assert {r["path"] for r in resources.values()} == {p.name for p in out.glob("*.csv")}
    for name, resource in resources.items():
        header = (out / resource["path"]).read_text(encoding="utf-8").splitlines()[0]
        assert header.split(",") == [f["name"] for f in resource["schema"]["fields"]], name
        assert resource["description"]
    placements = resources["placements"]["schema"]
    assert placements["primaryKey"] == ["id"]
    assert {
        "fields": ["race_id"],
        "reference": {"resource": "races", "fields": ["id"]},
    } in placements["foreignKeys"]
    fields = {f["name"]: f["type"] for f in placements["fields"]}
    assert fields["rank"] == "integer" and fields["status"] == "string"
    assert "primaryKey" not in resources["podiums"]["schema"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_every_field_of_the_datapackage_has_a_type(db: Path, tmp_path: Path, fmt: str) -> None:
    """View columns computed in SQL (counts, sums, a formatted time) have no declared type in
    SQLite; the data package still types them, from skating_db.models.views."""
    _export(db, tmp_path / "out", fmt)
    package = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    fields = [(r["name"], f) for r in package["resources"] for f in r["schema"]["fields"]]
    assert [f"{name}.{f['name']}" for name, f in fields if f["type"] == "any"] == []
    views = {r["name"]: r["schema"]["fields"] for r in package["resources"]}
    assert {"name": "gold", "type": "integer"} in views["medal_table"]
    assert {"name": "time", "type": "string"} in views["podiums"]


def test_computed_view_column_types_match_the_stored_values(db: Path) -> None:
    """Each type the models give a computed view column is the type of every value it holds."""
    storage = {"integer": {"integer"}, "string": {"text"}}
    url = resolve_url(str(db))
    for view, columns in COMPUTED_COLUMNS.items():
        for column, sql_type in columns.items():
            kinds = rows(url, f"SELECT DISTINCT typeof({column}) FROM {view}")
            found = {kind for (kind,) in kinds} - {"null"}
            assert found, f"{view}.{column} holds no value to check"
            assert found <= storage[export.field_type(sql_type)], (view, column, found)


def test_exported_csvs_load_back_with_sqlite_utils(db: Path, tmp_path: Path) -> None:
    tool = Path(sys.executable).with_name("sqlite-utils")
    if not tool.exists():
        pytest.skip("sqlite-utils is not installed (pip install -e '.[bench]')")
    out = tmp_path / "out"
    _export(db, out)
    target = tmp_path / "back.db"
    for path in sorted(out.glob("*.csv")):
        subprocess.run(
            [str(tool), "insert", str(target), path.stem, str(path), "--csv"],
            check=True,
            timeout=120,
        )
    for path in out.glob("*.csv"):
        back = rows(resolve_url(str(target)), f"SELECT COUNT(*) FROM {path.stem}")[0][0]
        assert back == _count(db, path.stem), path.stem


def test_export_refuses_a_file_as_folder(db: Path, tmp_path: Path) -> None:
    clash = tmp_path / "clash"
    clash.write_text("not a folder", encoding="utf-8")
    result = CliRunner().invoke(cli, ["export", str(clash), "--db", str(db)])
    assert result.exit_code != 0
    assert "is a file, not a folder" in result.output
    assert "Traceback" not in result.output


def test_export_of_a_missing_database_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["export", str(tmp_path / "out"), "--db", str(tmp_path / "none.db")]
    )
    assert result.exit_code != 0
    assert "no database here" in result.output


def test_sql_dump_loads_into_an_empty_postgresql_database(
    db: Path, tmp_path: Path, postgres_server: str
) -> None:
    _reset_postgres(postgres_server)
    out = tmp_path / "dump"
    _export(db, out, "sql")
    loaded = psql_file(postgres_server, out / "skating-db.sql")
    assert loaded.returncode == 0, loaded.stderr
    for name in [*(t.name for t in Base.metadata.sorted_tables), *_views(db)]:
        loaded = scalar(postgres_server, f"SELECT COUNT(*) FROM {name}")
        assert loaded == _count(db, name), name
    revision = scalar(postgres_server, "SELECT version_num FROM alembic_version")
    assert revision == scalar(resolve_url(str(db)), "SELECT version_num FROM alembic_version")
    # The id sequences continue past the loaded rows, so the next insert does not collide.
    top = scalar(postgres_server, "SELECT MAX(id) FROM nations")
    assert scalar(postgres_server, "SELECT nextval(pg_get_serial_sequence('nations', 'id'))") > top
    # The athlete search index and its triggers are there, filled, as the migrations make them.
    assert [hit.name for hit in search_athletes(postgres_server, "bedard")] == ["Éric Bédard"]
    assert scalar(postgres_server, "SELECT COUNT(*) FROM athletes_fts") == _count(db, "athletes")
    # The tables and columns keep the descriptions the migrations store (DBeaver shows them).
    described = "SELECT COUNT(*) FROM pg_description d JOIN pg_class c ON c.oid = d.objoid"
    described += " WHERE c.relname = 'placements' AND d.objsubid {} 0"
    assert scalar(postgres_server, described.format("=")) == 1
    assert scalar(postgres_server, described.format(">")) == len(
        Base.metadata.tables["placements"].c
    )
    engine = make_engine(postgres_server)
    try:
        with engine.begin() as conn:
            downgrade(conn, "base")  # drops what 0004 and 0005 made, by name
    finally:
        engine.dispose()


def test_export_reads_a_postgresql_database_too(tmp_path: Path, postgres_server: str) -> None:
    _reset_postgres(postgres_server)
    build.rebuild(postgres_server, SEEDS)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", str(out), "--db", postgres_server])
    assert result.exit_code == 0, result.output
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        with (out / resource["path"]).open(encoding="utf-8", newline="") as fh:
            written = sum(1 for _ in csv.reader(fh)) - 1
        expected = scalar(postgres_server, f"SELECT COUNT(*) FROM {resource['name']}")
        assert written == expected, resource["name"]
        assert all(f["type"] != "any" for f in resource["schema"]["fields"]), resource["name"]


def test_export_refuses_a_database_behind_the_models(db: Path, tmp_path: Path) -> None:
    con = sqlite3.connect(db)
    con.execute("UPDATE alembic_version SET version_num = '0001'")
    con.commit()
    con.close()
    result = CliRunner().invoke(cli, ["export", str(tmp_path / "out"), "--db", str(db)])
    assert result.exit_code != 0
    assert f"Error: {db}: the schema is at revision 0001, not " in result.output
    assert "run skating-db migrate" in result.output
    assert not (tmp_path / "out").exists()  # a failed export leaves no folder behind
