"""Whose database is this, and who may write it now: refusals before anything is written.

skating-db writes only into an empty database or one of its own (an `alembic_version`
row holding one of its revisions, and a `sources` table). Writers of one SQLite file
(`load`, `rebuild`, `migrate`) queue on a lock file beside it, so a rebuild never
replaces the file under a load, and a load never commits into a file a rebuild retired.
"""

from __future__ import annotations

import contextlib
import functools
import os
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, inspect, text

from skating_db.errors import UserError

try:
    import fcntl
except ImportError:  # not a POSIX system: SQLite's own locking only
    fcntl = None  # type: ignore[assignment]

LOCK_WAIT_S = 600.0  # how long a writer waits for another skating-db writer of the same file
_POLL_S = 0.05


@functools.cache
def known_revisions() -> frozenset[str]:
    """Every migration revision this version of skating-db ships."""
    from alembic.script import ScriptDirectory

    from skating_db.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    return frozenset(r.revision for r in script.walk_revisions())


def refusal(conn: Connection, where: str) -> str | None:
    """Why skating-db must not write into this database, or None when it may."""
    tables = set(inspect(conn).get_table_names())
    others = tables - {"alembic_version"}
    if others and "alembic_version" not in tables:
        return (
            f"{where}: holds tables of another application ({_sample(others)}); skating-db"
            " will not write into it: use a new file or an empty database."
        )
    if "alembic_version" not in tables:
        return None
    columns = {c["name"] for c in inspect(conn).get_columns("alembic_version")}
    if "version_num" not in columns:
        return f"{where}: its alembic_version table is not Alembic's; use a new file."
    query = text("SELECT version_num FROM alembic_version")
    versions = [row.version_num for row in conn.execute(query)]
    if len(versions) > 1:
        return (
            f"{where}: its alembic_version table holds {len(versions)} revisions"
            f" ({', '.join(map(str, versions))}); it is shared with another application or"
            " damaged: rebuild into a new file."
        )
    if not versions:
        if others:
            return (
                f"{where}: holds tables of another application ({_sample(others)}) and no"
                " schema revision; skating-db will not write into it: use a new file."
            )
        return None
    if versions[0] in known_revisions():
        return None
    if "sources" in tables:
        return (
            f"{where}: its schema is at revision {versions[0]}, newer than this skating-db"
            " knows; upgrade skating-db (pip install -U skating-db) to use it."
        )
    return (
        f"{where}: its alembic_version ({versions[0]}) belongs to another application;"
        " skating-db will not write into it: use a new file."
    )


def refuse_unless_ours(conn: Connection, where: str) -> None:
    reason = refusal(conn, where)
    if reason is not None:
        raise UserError(reason)


def _sample(tables: set[str]) -> str:
    names = sorted(tables)
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def writer_lock(target: Path | None, wait_s: float = LOCK_WAIT_S) -> Iterator[None]:
    """Hold the lock file of the SQLite database `target` (nothing for another backend).

    The lock file exists only while a writer holds it: the holder removes it before it lets
    go, and a waiter that then finds its file gone from the folder starts again. A folder
    where no lock file can be made (read-only) is left to SQLite's own locking.
    """
    if target is None or fcntl is None:
        yield
        return
    path = lock_path(target)
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            yield
            return
        if _take(fd, target, wait_s, deadline) and _same_file(fd, path):
            break
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _take(fd: int, target: Path, wait_s: float, deadline: float) -> bool:
    assert fcntl is not None
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise UserError(
                    f"{target}: another skating-db command is writing this database;"
                    f" waited {wait_s:.0f} s, nothing was written: try again later."
                ) from None
            time.sleep(_POLL_S)


def _same_file(fd: int, path: Path) -> bool:
    """The locked file is still the one at `path` (its holder had not removed it)."""
    try:
        here = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)
