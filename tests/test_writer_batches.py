"""The writer holds rows back and sends many documents' rows at once, drawing ids itself:
what the database holds does not depend on when rows are sent, nor on the backend."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from skating_db import build, store
from skating_db.connections import opened
from skating_db.writer import dialect
from tests.helpers import SEEDS, TABLES, copy_documented_seeds, rows

SEED_002 = "002_3564ec39acb5fb71.txt"
ORDER = {"attestations": "fact_table, fact_id, source_id"}  # the others: by id


def _plain(value: Any) -> Any:
    """A value as both backends can be compared: booleans as 0/1, dates as ISO text."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def every_row(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, ids included (the time a source was loaded left out)."""
    found = {}
    for table in TABLES:
        listed = "*"
        if table == "sources":
            listed = "id, name, sha256, title, format, url, license"
        query = f"SELECT {listed} FROM {table} ORDER BY {ORDER.get(table, 'id')}"
        found[table] = [tuple(_plain(v) for v in row) for row in rows(url, query)]
    return found


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """The documented seeds and a second Olympic document giving the same races, placements
    and relay teams (one time differs): the later document attests the earlier's rows."""
    folder = copy_documented_seeds(tmp_path / "documented")
    text = (SEEDS / SEED_002).read_text(encoding="utf-8").replace("1:29.109", "1:29.200")
    (folder / f"zz_{SEED_002}").write_text(text, encoding="utf-8")
    return folder


def test_rows_are_the_same_sent_per_document_or_all_at_once(
    db_url: str, tmp_path: Path, shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sent all at once (the seeds are far fewer rows than a send holds) on SQLite, and
    after every document on each backend: the second way reads the rows the later
    document shares from the database, the first finds them still waiting."""
    at_once = f"sqlite:///{tmp_path / 'at_once.db'}"
    build.rebuild(at_once, shared)
    monkeypatch.setattr(store, "FLUSH_ROWS", 1)
    build.rebuild(db_url, shared)
    expected = every_row(at_once)
    attested = {fact_table for fact_table, *_rest in expected["attestations"]}
    assert {"placements", "relay_members"} <= attested  # the second document shares them
    assert every_row(db_url) == expected


def test_a_row_inserted_without_an_id_after_a_load_takes_the_next_one(db_url: str) -> None:
    """The writer draws ids itself; on PostgreSQL the sequences are moved past them."""
    build.rebuild(db_url, SEEDS)
    last = rows(db_url, "SELECT MAX(id) FROM nations")[0][0]
    with opened(db_url) as conn, conn.begin():
        conn.exec_driver_sql("INSERT INTO nations (code, name) VALUES ('ZZZ', 'Nowhere')")
    assert rows(db_url, "SELECT id FROM nations WHERE code = 'ZZZ'") == [(last + 1,)]


def test_rows_still_waiting_are_found_in_races_already_sent(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first document's races are sent; a second document adds a placement to one of
    them (it waits); a third gives that placement too and attests it, as when all is sent
    at once, instead of adding it a second time."""
    folder = tmp_path / "three"
    folder.mkdir()
    text = (SEEDS / SEED_002).read_text(encoding="utf-8")
    (folder / SEED_002).write_text(text, encoding="utf-8")
    other = text.replace("Rusty Smith (USA)", "Apolo Anton Ohno (USA)")  # a new rank 3
    assert other != text
    for name in ("zz_" + SEED_002, "zzz_" + SEED_002):
        (folder / name).write_text(other, encoding="utf-8")
    at_once = f"sqlite:///{tmp_path / 'at_once.db'}"
    build.rebuild(at_once, folder)
    real = store.Store.write

    def sent_after_the_first(self: store.Store, doc: Any) -> store.LoadResult:
        result = real(self, doc)
        if doc.name == SEED_002:
            self.pending.send()
        return result

    monkeypatch.setattr(store.Store, "write", sent_after_the_first)
    build.rebuild(db_url, folder)
    expected = every_row(at_once)
    codes = [row[4] for row in expected["data_issues"]]
    assert codes.count("rank_conflict") == 1  # the second document's; the third attests it
    assert len(expected["placements"]) == 13  # the first document's 12, and the new rank 3
    assert every_row(db_url) == expected


def test_a_send_that_fails_behind_the_writer_fails_the_load(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL rows are sent on a thread while the writer goes on: what fails there
    fails the load, and the database keeps nothing of it."""
    build.rebuild(db_url, SEEDS)
    before = every_row(db_url)
    monkeypatch.setattr(store, "FLUSH_ROWS", 1)  # every document's rows sent behind
    real = dialect.Sql._insert
    calls = []

    def fails_on_the_third(self: dialect.Sql, name: str, *args: Any) -> None:
        calls.append(name)
        if len(calls) == 3:
            raise RuntimeError("the server went away")
        real(self, name, *args)

    monkeypatch.setattr(dialect.Sql, "_insert", fails_on_the_third)
    with pytest.raises(RuntimeError, match="went away"):
        build.rebuild(db_url, SEEDS, force=True)
    assert every_row(db_url) == before
