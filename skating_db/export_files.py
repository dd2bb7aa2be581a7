"""Where `export` writes: plain file names inside FOLDER, staged, then moved in at the end.

Every file is first written into a private staging folder, so an export that fails leaves
no folder and no half-written file behind; files FOLDER holds already are replaced only
with --force (other files in it are left alone).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

from skating_db.errors import UserError

# A file name export may write: letters, digits, `_` and `-`, one extension; no path.
_PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*\.[a-z]+")


def folder_argument(folder: Path | str) -> Path:
    """The FOLDER argument as a path; an empty one (it would mean here) is refused."""
    if not str(folder).strip():
        raise UserError("The FOLDER to export into is empty; give a folder path (. for here).")
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise UserError(f"{path}: is a file, not a folder to export into.")
    return path


def check_names(folder: Path, names: Sequence[str]) -> None:
    """Refuse, before anything is written, a name that is not a plain file name inside
    `folder` or that comes twice (one file would overwrite the other)."""
    seen: set[str] = set()
    for name in names:
        inside = os.path.dirname(os.path.normpath(folder / name)) == os.path.normpath(folder)
        if not _PLAIN.fullmatch(name) or not inside:
            raise UserError(f"{name!r} is not a plain file name inside {folder}; nothing written.")
        if name.lower() in seen:
            raise UserError(f"Two exported files would both be named {name}; nothing written.")
        seen.add(name.lower())


@contextlib.contextmanager
def staged(folder: Path, names: Sequence[str], *, force: bool) -> Iterator[Path]:
    """A private folder to write `names` into; when the block ends well they are moved
    into `folder` (made if missing), else the staging folder is removed."""
    check_names(folder, names)
    taken = [n for n in names if (folder / n).exists() or (folder / n).is_symlink()]
    if taken and not force:
        shown = ", ".join(taken[:3]) + (f" and {len(taken) - 3} more" if len(taken) > 3 else "")
        raise UserError(
            f"{folder}: already holds {shown}; pass --force to replace them"
            " (other files in it are left alone)."
        )
    made = _first_missing(folder.parent)
    home = folder if folder.is_dir() else folder.parent
    home.mkdir(parents=True, exist_ok=True)
    stage = home / f".{folder.name or 'export'}.export-{os.getpid()}-{secrets.token_hex(4)}"
    stage.mkdir()
    try:
        yield stage
        _move_in(stage, folder, names)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        _remove_made(made, home)
        raise


def _move_in(stage: Path, folder: Path, names: Sequence[str]) -> None:
    if not folder.exists():
        stage.rename(folder)  # one step: the folder appears whole
        return
    for name in names:
        os.replace(stage / name, folder / name)  # replaces a symbolic link, never its target
    stage.rmdir()


def _first_missing(path: Path) -> Path | None:
    """The outermost folder of `path` that does not exist yet (None when it all does)."""
    missing = None
    for candidate in (path, *path.parents):
        if candidate.exists():
            break
        missing = candidate
    return missing


def _remove_made(made: Path | None, home: Path) -> None:
    """Remove the folders this export made above its staging folder, if still empty."""
    if made is None:
        return
    for candidate in (home, *home.parents):
        with contextlib.suppress(OSError):
            candidate.rmdir()
        if candidate == made:
            return
