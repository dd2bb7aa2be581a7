"""`skating-db load` into a SQLite file at head through the standard library's sqlite3.

Importing SQLAlchemy (and the ORM models) costs more than loading one changed document
into a million-placement database, so this path needs neither: the same `Store` writes
the same rows through the same driver, in one `BEGIN IMMEDIATE` transaction, under the
same writer lock. Anything else (another
backend, an older schema, a file that is no database of ours) is left to `build.load`,
which says what is wrong or migrates first.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from skating_db.batch import Batch
from skating_db.corrections import Corrections
from skating_db.documents import document_name, refuse_same_names
from skating_db.gc_policy import fewer_collections
from skating_db.interrupts import committing
from skating_db.locking import writer_lock
from skating_db.pipeline import Known, default_jobs, prepared
from skating_db.store import LoadResult, Store, write_batches
from skating_db.unchanged import at_head, summary_of
from skating_db.where import location
from skating_db.writer.dialect import CHUNK, Sql

BUSY_TIMEOUT_MS = 60_000  # skating_db.db.BUSY_TIMEOUT_MS (importing it imports SQLAlchemy)


@dataclass(slots=True)
class Outcome:
    """What `build.Outcome` reports of a load: each document's result, then the totals."""

    results: list[LoadResult] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)


def sqlite_file(db: str | None) -> Path | None:
    """The existing file the CLI's --db names, as a plain path; None for a URL or no file."""
    raw = location(db)
    if not raw.strip() or "://" in raw:
        return None
    target = Path(raw).expanduser().resolve()
    return target if target.is_file() else None


def load(
    target: Path,
    paths: Sequence[Path],
    corrections: Corrections,
    *,
    dry_run: bool = False,
    reparse: bool = False,
    jobs: int | None = None,
    progress: Callable[[Batch], None] | None = None,
) -> Outcome | None:
    """Load `paths` into the SQLite file `target` when it is a database of ours at head,
    as `build.load` would; None, having written nothing, when it is not."""
    refuse_same_names(paths)
    with writer_lock(target):
        known = _known(target, {document_name(path) for path in paths})
        if known is None:
            return None
        chosen = default_jobs() if jobs is None else jobs
        store = functools.partial(Store, corrections=corrections, reparse=reparse)
        with fewer_collections(), prepared(paths, chosen, {} if reparse else known) as batches:
            return _write(target, batches, store, dry_run, progress)


def _known(target: Path, names: set[str]) -> Known | None:
    """The hashes the database holds of the documents `names` (all it holds, for many);
    None unless it is ours at head (closed before parser processes fork)."""
    try:
        with _connected(target) as conn:
            conn.execute("BEGIN")
            if not at_head(conn):
                return None
            if len(names) > CHUNK:
                return dict(conn.execute("SELECT name, sha256 FROM sources").fetchall())
            marks = ", ".join("?" * len(names))
            query = f"SELECT name, sha256 FROM sources WHERE name IN ({marks})"
            return dict(conn.execute(query, sorted(names)).fetchall())
    except sqlite3.Error:
        return None  # build.load says what is wrong, in a sentence


def _write(
    target: Path,
    batches: Iterable[Batch],
    make_store: Callable[[Sql], Store],
    dry_run: bool,
    progress: Callable[[Batch], None] | None,
) -> Outcome | None:
    """Every batch written and the totals read in one transaction, committed unless
    `dry_run`; None if the database stopped being ours at head since it was read."""
    with _connected(target) as conn:
        conn.execute("BEGIN IMMEDIATE")
        if not at_head(conn):
            return None
        store = make_store(Sql(conn, postgres=False))
        outcome = Outcome(write_batches(store, batches, progress))
        outcome.summary = summary_of(conn)
        if dry_run:
            conn.execute("ROLLBACK")
            return outcome
        with committing():
            conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")
    return outcome


@contextlib.contextmanager
def _connected(target: Path) -> Iterator[sqlite3.Connection]:
    """A connection as skating_db.db makes a writer's: foreign keys on, a busy timeout, and
    transactions begun by the caller; anything not committed is rolled back on close."""
    conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        yield conn
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()
