"""Datasette serves a built database with the metadata that rebuild writes: every table and
view answers, foreign keys show labels instead of bare ids, canned queries run."""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skating_db import build
from skating_db.db import resolve_url
from skating_db.models import VIEW_NAMES
from tests.helpers import SEEDS, TABLES, scalar

START_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status), response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def _wait(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"datasette exited with {server.returncode} before answering")
        try:
            if _get(f"{base}/-/versions.json")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"datasette did not answer within {START_SECONDS} s")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built from the seeds by rebuild, with the metadata it writes beside it."""
    target = tmp_path_factory.mktemp("served") / "skating.db"
    build.rebuild(resolve_url(str(target)), SEEDS)
    return target


@pytest.fixture(scope="module")
def served(db: Path) -> Iterator[str]:
    """`datasette serve skating.db -m skating.metadata.json` on a free port, always stopped."""
    if importlib.util.find_spec("datasette") is None:
        pytest.skip("datasette is not installed (pip install -e '.[test]')")
    metadata = db.with_name("skating.metadata.json")
    assert metadata.is_file(), "rebuild should have written skating.metadata.json beside it"
    port = _free_port()
    command = [sys.executable, "-m", "datasette", "serve", str(db), "-m", str(metadata)]
    server = subprocess.Popen(
        [*command, "-h", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base, server)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def _json(url: str) -> Any:
    status, body = _get(url)
    assert status == 200, f"{url}: {status} {body[:300]}"
    return json.loads(body)


def test_every_table_and_view_answers(served: str, db: Path) -> None:
    for name in (*TABLES, *VIEW_NAMES):
        rows = _json(f"{served}/skating/{name}.json?_shape=array&_size=5")
        expected = scalar(resolve_url(str(db)), f"SELECT COUNT(*) FROM {name}")
        assert len(rows) == min(5, expected), name


def test_foreign_keys_show_labels(served: str, db: Path) -> None:
    url = resolve_url(str(db))
    events = _json(f"{served}/skating/events.json?_shape=array&_labels=on&_size=max")
    with_venue = [e for e in events if e["venue_id"] is not None]
    assert with_venue
    first = with_venue[0]["venue_id"]
    city = scalar(url, "SELECT city FROM venues WHERE id = :id", id=first["value"])
    assert first["label"] == city
    placements = _json(f"{served}/skating/placements.json?_shape=array&_labels=on&_size=5")
    athlete = next(p["athlete_id"] for p in placements if p["athlete_id"] is not None)
    name = scalar(url, "SELECT name FROM athletes WHERE id = :id", id=athlete["value"])
    assert athlete["label"] == name
    assert placements[0]["race_id"]["label"] in ("final", "final_b", "semifinal", "heat")


def test_html_page_shows_labels_and_descriptions(served: str, db: Path) -> None:
    status, page = _get(f"{served}/skating/events")
    assert status == 200
    city = scalar(resolve_url(str(db)), "SELECT city FROM venues ORDER BY id")
    assert city in page
    assert "Competitions" in page  # the events table's description


def test_canned_query_answers(served: str, db: Path) -> None:
    athlete = scalar(
        resolve_url(str(db)), "SELECT athlete FROM podiums WHERE rank = 1 AND round = 'final'"
    )
    query = urllib.parse.urlencode({"athlete": athlete, "_shape": "array"})
    rows = _json(f"{served}/skating/athlete_podiums.json?{query}")
    assert rows and all(r["rank"] <= 3 for r in rows)


def test_alembic_version_is_hidden_from_the_index(served: str) -> None:
    tables = _json(f"{served}/skating.json")["tables"]
    hidden = {t["name"]: t["hidden"] for t in tables}
    assert hidden["alembic_version"] is True
    assert hidden["placements"] is False
