"""A load in which nothing changed, answered with the standard library only.

Loading documents that a SQLite database at the newest schema already holds, byte for
byte, writes nothing. Seeing that needs no SQLAlchemy, Alembic or parser, whose imports
cost most of such a run; anything else (another backend, a changed or new document, an
older schema, a database that is not ours) goes the whole way through `build.load`.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from skating_db import resources
from skating_db.documents import read_document, refuse_same_names
from skating_db.locking import writer_lock

SUMMARY_TABLES = (
    ("documents", "sources"),
    ("events", "events"),
    ("races", "races"),
    ("placements", "placements"),
    ("standings", "standings"),
    ("athletes", "athletes"),
    ("data issues", "data_issues"),
)
_REVISION = re.compile(r"^(down_)?revision\b[^=]*=\s*['\"]?(\w+)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Unchanged:
    names: list[str]
    summary: dict[str, int]


def all_unchanged(db: str, paths: Sequence[Path]) -> Unchanged | None:
    """The answer of a load of `paths` into the SQLite file `db` (a plain path) when every
    document is unchanged; None when the load has work to do (or `db` is not such a file)."""
    target = Path(db).expanduser().resolve()
    if "://" in db or not target.is_file():
        return None
    refuse_same_names(paths)
    documents = [read_document(p) for p in paths]
    head = head_revision()
    if head is None:
        return None
    try:
        with writer_lock(target), _reading(target) as conn:
            if not at_head(conn):
                return None
            held = dict(conn.execute("SELECT name, sha256 FROM sources").fetchall())
            if any(held.get(d.name) != d.sha256 for d in documents):
                return None
            summary = summary_of(conn)
    except sqlite3.Error:
        return None  # the whole load path says what is wrong, in a sentence
    return Unchanged([d.name for d in documents], summary)


def head_revision() -> str | None:
    """The newest migration, read from the scripts' text (None when that is not clear)."""
    revisions, parents = _scripts()
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else None


def shipped_revisions() -> frozenset[str]:
    """Every migration revision this version ships, read from the scripts' text (what
    Alembic's script directory lists, without importing Alembic)."""
    return _scripts()[0]


@functools.cache
def _scripts() -> tuple[frozenset[str], frozenset[str]]:
    """(revisions, the revisions some script names as its parent) of the shipped scripts."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in resources.migrations_dir().glob("versions/*.py"):
        for match in _REVISION.finditer(script.read_text(encoding="utf-8")):
            (parents if match.group(1) else revisions).add(match.group(2))
    return frozenset(revisions), frozenset(parents)


def at_head(conn: sqlite3.Connection) -> bool:
    """One of our databases at this version's newest revision (what `build.load` would
    neither refuse nor migrate)."""
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    if not {"alembic_version", "sources"} <= tables:
        return False
    versions = [v for (v,) in conn.execute("SELECT version_num FROM alembic_version")]
    head = head_revision()
    return head is not None and versions == [head]


def summary_of(conn: sqlite3.Connection) -> dict[str, int]:
    """The totals a load prints, by label."""
    return {
        label: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for label, table in SUMMARY_TABLES
    }


@contextlib.contextmanager
def _reading(target: Path) -> Iterator[sqlite3.Connection]:
    """One read transaction on the file (a hot journal left by a crash is rolled back)."""
    conn = sqlite3.connect(target, timeout=60, isolation_level=None)
    try:
        conn.execute("BEGIN")
        yield conn
    finally:
        conn.close()
