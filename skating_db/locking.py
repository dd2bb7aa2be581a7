"""Writers of one SQLite file take turns: a lock file beside it (standard library only).

`load`, `rebuild` and `migrate` hold it for their whole run, so a rebuild never replaces
the file under a load, and a load never commits into a file a rebuild retired.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from skating_db.errors import UserError

try:
    import fcntl
except ImportError:  # not a POSIX system: SQLite's own locking only
    fcntl = None  # type: ignore[assignment]

LOCK_WAIT_S = 600.0  # how long a writer waits for another skating-db writer of the same file
_POLL_S = 0.05


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
