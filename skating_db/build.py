"""Rebuild and load: documents through the loaders and the store, one transaction each.

A SQLite rebuild writes a temporary file beside the target and moves it into
place only when it is complete; a PostgreSQL rebuild drops and recreates the
schema inside one transaction. Either way readers never see half a database.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, select, text
from sqlalchemy.engine import URL

from skating_db import models as m
from skating_db.batch import Batch
from skating_db.connections import display_name, opened, pragma
from skating_db.corrections import FILE_NAME as CORRECTIONS_FILE
from skating_db.corrections import Corrections, load_corrections
from skating_db.db import sqlite_path
from skating_db.documents import refuse_same_names, seed_paths
from skating_db.errors import UserError
from skating_db.gc_policy import fewer_collections
from skating_db.interrupts import committing
from skating_db.locking import writer_lock
from skating_db.metadata import write_beside as write_metadata_beside
from skating_db.migrate import current_revision, downgrade, upgrade
from skating_db.ownership import refusal, refuse_unless_ours
from skating_db.pipeline import Known, default_jobs, prepared
from skating_db.store import LoadResult, Store, write_batches
from skating_db.unchanged import SUMMARY_TABLES, head_revision
from skating_db.writer.dialect import Sql

Progress = Callable[[Batch], None]


@dataclass(slots=True)
class Outcome:
    results: list[LoadResult] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # said after the work, which stands


@contextlib.contextmanager
def _documents(
    paths: list[Path], jobs: int | None, known: Known | None = None, *, server: bool = False
) -> Iterator[Iterator[Batch]]:
    """The batches of `paths`, with the collector settings of a bulk load in force from
    before the parser processes fork (they inherit them) until the last batch is written."""
    chosen = default_jobs(server=server) if jobs is None else jobs
    with fewer_collections(), prepared(paths, chosen, known) as batches:
        yield batches


def write_documents(
    conn: Connection,
    batches: Iterable[Batch],
    corrections: Corrections,
    progress: Progress | None = None,
    *,
    reparse: bool = False,
) -> list[LoadResult]:
    """Write each document's batch in turn, in the order they come; every row is in the
    database (not yet committed) when this returns."""
    store = Store(Sql.of(conn), corrections, reparse=reparse)
    return write_batches(store, batches, progress)


def summarize(conn: Connection) -> dict[str, int]:
    return {
        label: conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
        for label, table in SUMMARY_TABLES
    }


def rebuild(
    url: str,
    seeds: Path,
    progress: Progress | None = None,
    *,
    jobs: int | None = None,
    force: bool = False,
) -> Outcome:
    """Build a fresh database at head from every document in `seeds`, replacing `url` atomically.

    Only an empty file or a skating-db database of this version is replaced, unless `force`.
    `jobs` counts the processes at work, the writer included (see `pipeline.prepared`).
    """
    paths = seed_paths(seeds)
    corrections = load_corrections(seeds / CORRECTIONS_FILE)
    target = sqlite_path(url)
    if target is None:
        with _documents(paths, jobs, server=True) as batches:
            return _rebuild_in_place(url, batches, corrections, progress, force)
    _refuse_odd_target(target)
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise UserError(
            f"{target.parent}: the folder is not writable, and a rebuild writes the new database"
            " beside the old one; choose another --db or make the folder writable."
        )
    with writer_lock(target):  # loads wait, then write into the new file
        if not force:
            _refuse_to_replace(target, url)
        return _build_and_replace(target, paths, corrections, progress, jobs)


def _build_and_replace(
    target: Path,
    paths: list[Path],
    corrections: Corrections,
    progress: Progress | None,
    jobs: int | None,
) -> Outcome:
    _remove_stale_builds(target)
    temp = target.with_name(f".{target.name}.building-{os.getpid()}")
    temp_url = URL.create("sqlite", database=str(temp)).render_as_string()
    try:
        with _documents(paths, jobs) as batches, opened(temp_url, must_exist=False) as conn:
            pragma(conn, "journal_mode = MEMORY", "synchronous = OFF")
            with conn.begin():
                upgrade(conn)
                outcome = Outcome(write_documents(conn, batches, corrections, progress))
                outcome.summary = summarize(conn)
            pragma(conn, "journal_mode = WAL")
        _keep_mode(target, temp)
        _fsync(temp)
        _retire(target)
        with committing():
            os.replace(temp, target)
        target_url = URL.create("sqlite", database=str(target)).render_as_string()
        try:  # for `datasette skating.db -m skating.metadata.json`
            write_metadata_beside(target_url)
        except OSError as exc:  # the database is built: a note, not a failure
            outcome.notes.append(
                f"{exc.filename or 'the metadata file'}: not written ({exc.strerror or exc});"
                " skating-db metadata prints it."
            )
        return outcome
    finally:
        _unlink_build(temp)


def _rebuild_in_place(
    url: str,
    batches: Iterable[Batch],
    corrections: Corrections,
    progress: Progress | None,
    force: bool,
) -> Outcome:
    with opened(url, must_exist=False) as conn, _transaction(conn):
        reason = None if force else refusal(conn, display_name(url))
        if reason is not None:
            raise UserError(f"{reason.rstrip('.')}; pass --force to replace it anyway.")
        if current_revision(conn) is not None:
            downgrade(conn, "base")
        upgrade(conn)
        outcome = Outcome(write_documents(conn, batches, corrections, progress))
        outcome.summary = summarize(conn)
    return outcome


def load(
    url: str,
    paths: list[Path],
    corrections: Corrections,
    *,
    dry_run: bool = False,
    reparse: bool = False,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """Upsert documents into the database (migrated to head first), all in one transaction.

    A document whose bytes the database already holds is skipped before it is parsed,
    unless `reparse`. `jobs` counts the processes at work, the writer included (see
    `pipeline.prepared`).
    """
    refuse_same_names(paths)
    target = sqlite_path(url)
    if target is not None:
        _refuse_odd_target(target)
    with writer_lock(target):  # decided under the lock: no other load can create it meanwhile
        created = target is not None and not target.exists()
        known = {} if created else _known(url)
        try:
            modes = (dry_run, reparse)
            return _load(url, paths, corrections, {} if reparse else known, modes, jobs, progress)
        finally:
            if created and target is not None and (dry_run or sys.exc_info()[0] is not None):
                _unlink_empty(target)  # a dry or failed load leaves no new empty file behind


def _known(url: str) -> Known:
    """The documents the database holds and their hashes (refusing a foreign database)."""
    with opened(url, must_exist=False) as conn, conn.begin():
        refuse_unless_ours(conn, display_name(url))
        if current_revision(conn) is None:
            return {}
        rows = conn.execute(select(m.Source.name, m.Source.sha256)).all()
        return {row.name: row.sha256 for row in rows}


def _load(
    url: str,
    paths: list[Path],
    corrections: Corrections,
    known: Known,
    modes: tuple[bool, bool],
    jobs: int | None,
    progress: Progress | None,
) -> Outcome:
    """The load in one transaction; `modes`: dry run (roll it back), reparse."""
    (dry_run, reparse), target = modes, sqlite_path(url)
    with (
        _documents(paths, jobs, known, server=target is None) as batches,
        opened(url, must_exist=False) as conn,
    ):
        with _transaction(conn, keep=not dry_run):
            refuse_unless_ours(conn, display_name(url))
            _to_head(conn)
            results = write_documents(conn, batches, corrections, progress, reparse=reparse)
            outcome = Outcome(results)
            outcome.summary = summarize(conn)
        if target is not None and not dry_run:
            pragma(conn, "journal_mode = WAL")
    return outcome


@contextlib.contextmanager
def _transaction(conn: Connection, keep: bool = True) -> Iterator[None]:
    """The block's work as one transaction: rolled back on any failure (or unless `keep`),
    else committed with Ctrl-C and SIGTERM held until the commit is done."""
    transaction = conn.begin()
    try:
        yield
    except BaseException:
        transaction.rollback()
        raise
    if not keep:
        transaction.rollback()
        return
    with committing():
        transaction.commit()


def _to_head(conn: Connection) -> None:
    """Migrate to head, unless the database is there already: Alembic would load every
    migration script to find that out, which is most of a one-document load's database work."""
    if current_revision(conn) != head_revision():
        upgrade(conn)


def _refuse_odd_target(target: Path) -> None:
    """A database file goes in an existing folder, and is a regular file (never a device:
    a rebuild would replace /dev/null itself)."""
    if not target.parent.is_dir():
        raise UserError(f"{target.parent}: no such folder for the database.")
    if target.is_dir():
        raise UserError(f"{target}: is a folder, not a database file.")
    if target.exists() and not target.is_file():
        raise UserError(
            f"{target}: is not a regular file (a device, a pipe or a socket); give the path"
            " of a database file."
        )


def _refuse_to_replace(target: Path, url: str) -> None:
    """A rebuild replaces a missing file, an empty one, or a writable skating-db database of
    this version: anything else is refused in one sentence (`--force` overrides)."""
    try:
        with target.open("rb") as fh:
            header = fh.read(16)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UserError(f"{target}: cannot be read ({exc.strerror}).") from exc
    if header == b"":
        return
    if header != b"SQLite format 3\x00":
        raise UserError(f"{target}: is not a SQLite database; refusing to replace it.")
    if not os.access(target, os.W_OK) or not target.stat().st_mode & 0o222:
        raise UserError(
            f"{target}: is read-only; make it writable (chmod u+w) or pass --force to replace it."
        )
    _retire(target)  # a crashed writer's journal is rolled back before the file is read
    try:
        with opened(url, read_only=True) as conn:
            reason = refusal(conn, str(target))
    except UserError as exc:
        raise UserError(f"{str(exc).rstrip('.')}; pass --force to replace it.") from exc
    if reason is not None:
        raise UserError(f"{reason.rstrip('.')}; pass --force to replace it anyway.")


def _keep_mode(target: Path, temp: Path) -> None:
    """The new file keeps the permissions of the one it replaces."""
    with contextlib.suppress(FileNotFoundError):
        os.chmod(temp, stat.S_IMODE(target.stat().st_mode))


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


def _unlink_empty(target: Path) -> None:
    """Remove a database file this load created, only while it still holds nothing."""
    with contextlib.suppress(FileNotFoundError):
        if target.stat().st_size == 0:
            _unlink_build(target)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _retire(target: Path) -> None:
    """Settle the old database's write-ahead log and any hot rollback journal a crashed
    writer left, so that no stale log or journal is replayed into the new file."""
    wal, journal = Path(f"{target}-wal"), Path(f"{target}-journal")
    if wal.exists() or journal.exists():
        try:
            conn = sqlite3.connect(target)
            try:
                conn.execute("PRAGMA schema_version")  # rolls a hot journal back
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            pass
    with contextlib.suppress(FileNotFoundError):
        journal.unlink()  # what is left belongs to the old file only
