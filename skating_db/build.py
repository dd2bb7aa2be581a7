"""Rebuild and load: documents through the loaders and the store, one transaction each.

A SQLite rebuild writes a temporary file beside the target and moves it into
place only when it is complete; a PostgreSQL rebuild drops and recreates the
schema inside one transaction. Either way readers never see half a database.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.engine import URL

from skating_db.batch import Batch
from skating_db.connections import connect, pragma
from skating_db.corrections import FILE_NAME as CORRECTIONS_FILE
from skating_db.corrections import Corrections, load_corrections
from skating_db.db import make_engine, sqlite_path
from skating_db.documents import seed_paths
from skating_db.errors import UserError
from skating_db.gc_policy import fewer_collections
from skating_db.metadata import write_beside as write_metadata_beside
from skating_db.migrate import current_revision, downgrade, upgrade
from skating_db.pipeline import prepared
from skating_db.store import LoadResult, Store

SUMMARY_TABLES = (
    ("documents", "sources"),
    ("events", "events"),
    ("races", "races"),
    ("placements", "placements"),
    ("standings", "standings"),
    ("athletes", "athletes"),
    ("data issues", "data_issues"),
)
Progress = Callable[[Batch], None]


@dataclass(slots=True)
class Outcome:
    results: list[LoadResult] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)


@contextlib.contextmanager
def _documents(paths: list[Path], jobs: int | None) -> Iterator[Iterator[Batch]]:
    """The batches of `paths`, with the collector settings of a bulk load in force from
    before the parser processes fork (they inherit them) until the last batch is written."""
    with fewer_collections(), prepared(paths, jobs) as batches:
        yield batches


def write_documents(
    conn: Connection,
    batches: Iterable[Batch],
    corrections: Corrections,
    progress: Progress | None = None,
) -> list[LoadResult]:
    """Write each document's batch in turn, in the order they come."""
    store = Store(conn, corrections)
    results = []
    for batch in batches:
        results.append(store.write(batch))
        if progress is not None:
            progress(batch)
    return results


def summarize(conn: Connection) -> dict[str, int]:
    return {
        label: conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
        for label, table in SUMMARY_TABLES
    }


def rebuild(
    url: str, seeds: Path, progress: Progress | None = None, *, jobs: int | None = None
) -> Outcome:
    """Build a fresh database at head from every document in `seeds`, replacing `url` atomically.

    `jobs` counts the processes at work, the writer included (default: one per CPU; see
    `pipeline.prepared`).
    """
    paths = seed_paths(seeds)
    corrections = load_corrections(seeds / CORRECTIONS_FILE)
    target = sqlite_path(url)
    if target is None:
        with _documents(paths, jobs) as batches:
            return _rebuild_in_place(url, batches, corrections, progress)
    if not target.parent.is_dir():
        raise UserError(f"{target.parent}: no such folder for the database.")
    if target.is_dir():
        raise UserError(f"{target}: is a folder, not a database file.")
    if not _replaceable(target):
        raise UserError(f"{target}: is not a SQLite database; refusing to replace it.")
    _remove_stale_builds(target)
    temp = target.with_name(f".{target.name}.building-{os.getpid()}")
    engine = make_engine(URL.create("sqlite", database=str(temp)).render_as_string())
    try:
        with _documents(paths, jobs) as batches, engine.connect() as conn:
            pragma(conn, "journal_mode = MEMORY", "synchronous = OFF")
            with conn.begin():
                upgrade(conn)
                outcome = Outcome(write_documents(conn, batches, corrections, progress))
                outcome.summary = summarize(conn)
            pragma(conn, "journal_mode = WAL")
        engine.dispose()
        _fsync(temp)
        _retire(target)
        os.replace(temp, target)
        write_metadata_beside(url)  # metadata.json for `datasette skating.db -m metadata.json`
        return outcome
    finally:
        engine.dispose()
        _unlink_build(temp)


def _rebuild_in_place(
    url: str, batches: Iterable[Batch], corrections: Corrections, progress: Progress | None
) -> Outcome:
    engine = make_engine(url)
    try:
        with connect(engine) as conn, conn.begin():
            if current_revision(conn) is not None:
                downgrade(conn, "base")
            upgrade(conn)
            outcome = Outcome(write_documents(conn, batches, corrections, progress))
            outcome.summary = summarize(conn)
        return outcome
    finally:
        engine.dispose()


def load(
    url: str,
    paths: list[Path],
    corrections: Corrections,
    *,
    dry_run: bool = False,
    jobs: int | None = None,
) -> Outcome:
    """Upsert documents into the database (migrated to head first), all in one transaction.

    `jobs` counts the processes at work, the writer included (default: one per CPU; see
    `pipeline.prepared`).
    """
    target = sqlite_path(url)
    if target is not None and not target.parent.is_dir():
        raise UserError(f"{target.parent}: no such folder for the database.")
    created = target is not None and not target.exists()
    engine = make_engine(url)
    try:
        with _documents(paths, jobs) as batches, connect(engine) as conn:
            transaction = conn.begin()
            try:
                upgrade(conn)
                outcome = Outcome(write_documents(conn, batches, corrections))
                outcome.summary = summarize(conn)
            except BaseException:
                transaction.rollback()
                raise
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
            if target is not None and not dry_run:
                pragma(conn, "journal_mode = WAL")
        return outcome
    finally:
        engine.dispose()
        if created and target is not None and (dry_run or sys.exc_info()[0] is not None):
            _unlink_build(target)  # a dry or failed load leaves no new empty file behind


def _replaceable(target: Path) -> bool:
    """A rebuild may replace a missing file, an empty one, or a SQLite database: nothing else."""
    try:
        with target.open("rb") as fh:
            header = fh.read(16)
    except FileNotFoundError:
        return True
    except OSError as exc:
        raise UserError(f"{target}: cannot be read ({exc.strerror}).") from exc
    return header in (b"", b"SQLite format 3\x00")


def _remove_stale_builds(target: Path) -> None:
    """Delete temporary files of builds whose process is gone (killed, power lost)."""
    for path in target.parent.glob(f".{target.name}.building-*"):
        pid_text = path.name.rsplit("-", 1)[-1]
        if pid_text.isdigit() and _alive(int(pid_text)):
            continue
        _unlink_build(path)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _unlink_build(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _retire(target: Path) -> None:
    """Fold the old database's write-ahead log into it, so no stale log meets the new file."""
    if not Path(f"{target}-wal").exists():
        return
    try:
        conn = sqlite3.connect(target)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        pass
