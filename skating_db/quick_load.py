"""`skating-db load` into a SQLite file at head through the standard library's sqlite3.

Importing SQLAlchemy (and the ORM models) costs more than loading one changed document
into a million-placement database, so this path needs neither: the same `Store` writes
the same rows through the same driver, in one `BEGIN IMMEDIATE` transaction, under the
same writer lock. A replaced document's retraction runs the writer's own statements
(`writer.retraction`), with one hint SQLite needs (see `hinted`). Anything else (another
backend, an older schema, a file that is no database of ours) is left to `build.load`,
which says what is wrong or migrates first.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from skating_db.batch import Batch
from skating_db.corrections import Corrections
from skating_db.documents import document_name, refuse_same_names
from skating_db.errors import UserError
from skating_db.gc_policy import fewer_collections
from skating_db.locking import writer_lock
from skating_db.pipeline import Known, is_skipped, prepared, usable_cpus
from skating_db.store import SOURCE_COLUMNS, LoadResult, Store
from skating_db.unchanged import SUMMARY_TABLES, head_revision
from skating_db.where import location
from skating_db.writer import retraction as r
from skating_db.writer.dialect import CHUNK, chunks
from skating_db.writer.keys import ATTESTED, OWNED

if TYPE_CHECKING:
    from sqlalchemy import Connection

BUSY_TIMEOUT_MS = 60_000  # skating_db.db.BUSY_TIMEOUT_MS (importing it imports SQLAlchemy)

# An attestation filter on one table and one source: SQLite, which has no statistics of
# the tables, would read it through the primary key's `fact_table` prefix (every row of
# that kind, 440,000 aliases at a million placements) instead of the `source_id` index;
# `+` keeps the column out of index choice and changes nothing else.
_ONE_SOURCE = re.compile(
    r"(?<![\w.+])((?:a\.)?fact_table = '[^']*'(?: AND a\.fact_id = \w+\.id)?"
    r" AND (?:a\.)?source_id = :sid)"
)


def hinted(sql: str) -> str:
    """`sql` with each attestation filter on one source read through the source's index."""
    return _ONE_SOURCE.sub(r"+\1", sql)


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
        with fewer_collections(), prepared(paths, chosen, known) as batches:
            return _write(target, batches, corrections, dry_run, progress)


def default_jobs() -> int:
    """`build.default_jobs`: the writer, and a parser for each CPU other work leaves idle."""
    cpus = usable_cpus()
    try:
        idle = cpus - os.getloadavg()[0]
    except (OSError, AttributeError):  # no load average on this platform
        return cpus
    return max(1, min(cpus, 1 + round(idle)))


def _known(target: Path, names: set[str]) -> Known | None:
    """The hashes the database holds of the documents `names` (all it holds, for many);
    None unless it is ours at head (closed before parser processes fork)."""
    try:
        with _connected(target) as conn:
            conn.execute("BEGIN")
            if not _at_head(conn):
                return None
            if len(names) > CHUNK:
                return dict(conn.execute("SELECT name, sha256 FROM sources").fetchall())
            marks = ", ".join("?" * len(names))
            query = f"SELECT name, sha256 FROM sources WHERE name IN ({marks})"
            return dict(conn.execute(query, sorted(names)).fetchall())
    except sqlite3.Error:
        return None  # build.load says what is wrong, in a sentence


def _at_head(conn: sqlite3.Connection) -> bool:
    """One of our databases at this version's newest revision (what `build.load` would
    neither refuse nor migrate)."""
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    if not {"alembic_version", "sources"} <= tables:
        return False
    versions = [v for (v,) in conn.execute("SELECT version_num FROM alembic_version")]
    head = head_revision()
    return head is not None and versions == [head]


def _write(
    target: Path,
    batches: Iterable[Batch],
    corrections: Corrections,
    dry_run: bool,
    progress: Callable[[Batch], None] | None,
) -> Outcome | None:
    """Every batch written and the totals read in one transaction, committed unless
    `dry_run`; None if the database stopped being ours at head since it was read."""
    with _connected(target) as conn:
        conn.execute("BEGIN IMMEDIATE")
        if not _at_head(conn):
            return None
        store = QuickStore(conn, corrections)
        outcome = Outcome(write_documents(store, batches, progress))
        outcome.summary = {
            label: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for label, table in SUMMARY_TABLES
        }
        if dry_run:
            conn.execute("ROLLBACK")
            return outcome
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")
    return outcome


def write_documents(
    store: Store, batches: Iterable[Batch], progress: Callable[[Batch], None] | None = None
) -> list[LoadResult]:
    """Each batch written in turn (as `build.write_documents` does); every row is in the
    database, not yet committed, when this returns."""
    results = []
    for batch in batches:
        if is_skipped(batch) and store.held_sha(batch.name) != batch.sha256:
            raise UserError(
                f"{batch.name}: another load changed this document in the database while this"
                " load started; nothing was written: run the load again."
            )
        results.append(store.write(batch))
        if progress is not None:
            progress(batch)
    store.finish()
    return results


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


class _Dialect:
    name = "sqlite"


class _Driver:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.driver_connection = conn


class _Connection:
    """What the writer's `Sql` reads of a SQLAlchemy connection, over a sqlite3 one."""

    dialect = _Dialect()

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.connection = _Driver(conn)


class QuickStore(Store):
    """The writer's `Store` on a sqlite3 connection; a replaced document is retracted with
    the writer's statements, hinted, run by the driver."""

    def __init__(self, conn: sqlite3.Connection, corrections: Corrections) -> None:
        super().__init__(cast("Connection", _Connection(conn)), corrections)
        self.raw = conn

    def _replace(self, source_id: int, doc: Batch) -> LoadResult:
        """`Store._replace`, with the retraction below."""
        self.pending.send()  # the retraction's queries must see every row
        candidates = retract(self.raw, source_id)
        self._forget()
        listed = ", ".join(f"{c} = ?" for c in SOURCE_COLUMNS[1:])
        self.sql.rows(f"UPDATE sources SET {listed} WHERE id = ?", (*self._source(doc), source_id))
        result = self._write(source_id, doc, "replaced")
        self.pending.send()
        collect_garbage(self.raw, candidates)
        self._forget()
        return result


def retract(conn: sqlite3.Connection, source_id: int) -> r.Candidates:
    """`writer.retraction.retract`: the same statements in the same order, hinted."""
    sid = {"sid": source_id}
    cand = r.Candidates(
        {
            name: {v for (v,) in conn.execute(hinted(sql), sid)}
            for name, (sql, _) in r.CANDIDATES.items()
        }
    )
    for name in OWNED:
        conn.execute(f"DELETE FROM {name} WHERE source_id = :sid", sid)
    conn.execute(r.DELETE_PLACEMENTS, sid)
    for name in ATTESTED:
        conn.execute(hinted(f"DELETE FROM {name} WHERE " + r.ONLY_HERE.format(t=name)), sid)
    conn.execute(r.HAND_OVER, sid)
    conn.execute("DELETE FROM attestations WHERE source_id = :sid", sid)
    conn.execute(r.DROP_OWN)
    return cand


def collect_garbage(conn: sqlite3.Connection, cand: r.Candidates) -> None:
    """`writer.retraction.collect_garbage` through the driver."""
    for name, (_, unused) in r.CANDIDATES.items():
        for chunk in chunks(sorted(cand.ids[name])):
            marks = ", ".join("?" * len(chunk))
            conn.execute(f"DELETE FROM {name} WHERE id IN ({marks}) AND {unused}", list(chunk))
