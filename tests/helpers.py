"""Small helpers shared by the database tests."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from skating_db.db import make_engine

# The form of every error (skating_db.errors.UserError): what it is about first (a file or
# a database, or two; maybe with its line or [[entry]]; an option; a quoted value), or else
# a capital letter.
ERROR_FORM = re.compile(
    r"Error: (?:[A-Z]|--|'|\S+(?: and \S+)?(?:, line \d+)?: (?:[a-z0-9(]|\[\[))"
)

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
EXPECTED = REPO / "tests" / "data" / "expected"
TABLES = (
    "nations",
    "venues",
    "seasons",
    "events",
    "races",
    "athletes",
    "athlete_aliases",
    "placements",
    "relay_members",
    "standings",
    "race_notes",
    "sources",
    "data_issues",
    "attestations",
)


def rows(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def scalar(url: str, sql: str, **params: Any) -> Any:
    return rows(url, sql, **params)[0][0]


def counts(url: str) -> dict[str, int]:
    return {t: scalar(url, f"SELECT COUNT(*) FROM {t}") for t in TABLES}


def copy_seeds(target: Path) -> Path:
    """A private copy of the seeds folder a test may edit."""
    shutil.copytree(SEEDS, target)
    return target


def snapshot(db: Path) -> tuple[dict[str, int], str]:
    """Every table's row count and a checksum of `podiums`: equal means nothing changed."""
    con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        counts = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
        podiums = con.execute("SELECT * FROM podiums ORDER BY placement_id").fetchall()
    finally:
        con.close()
    return counts, hashlib.sha256(repr(podiums).encode()).hexdigest()


def documented_seeds() -> list[Path]:
    """The seed documents that have an expected-facts file (others may sit beside them)."""
    return [SEEDS / p.name.removesuffix(".json") for p in sorted(EXPECTED.glob("*.json"))]


def copy_documented_seeds(target: Path) -> Path:
    """A folder holding the documented seeds and the corrections: what the totals describe."""
    target.mkdir(parents=True)
    for path in [*documented_seeds(), SEEDS / "corrections.toml"]:
        shutil.copy(path, target / path.name)
    return target


def expected_totals() -> Counter[str]:
    """What the expected-facts files add up to: their `counts` summed, `events` counted once
    per event (a championship is one event a season, whichever documents give it), and
    `documents` their number. Tests compare with this, never with totals of `seeds/`."""
    totals: Counter[str] = Counter()
    events: set[tuple[object, ...]] = set()
    for path in sorted(EXPECTED.glob("*.json")):
        facts = json.loads(path.read_text(encoding="utf-8"))
        totals.update({k: v for k, v in facts["counts"].items() if k != "events"})
        totals["documents"] += 1
        for e in facts["events"]:
            totals[f"events:{e['series']}"] += 1
            once = e["series"] != "world_cup"
            events.add((facts["season"], e["series"]) if once else (e["city"], e["start"]))
    totals["events"] = len(events)
    return totals


def psql_file(server_url: str, dump: Path) -> subprocess.CompletedProcess[str]:
    """`psql -v ON_ERROR_STOP=1 -f dump` into the server's database, as the README loads a
    dump (the test is skipped where the PostgreSQL client is not installed)."""
    psql = shutil.which("psql")
    if psql is None:
        pytest.skip("psql (the PostgreSQL client) is not installed")
    plain = make_url(server_url).set(drivername="postgresql").render_as_string(False)
    return subprocess.run(
        [psql, "-q", "-v", "ON_ERROR_STOP=1", "-d", plain, "-f", str(dump)],
        capture_output=True,
        text=True,
        timeout=300,
    )
