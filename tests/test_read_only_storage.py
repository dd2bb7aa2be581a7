"""Commands that only read work on a database on read-only storage, as `query` does (attack
finding 9): a WAL database whose `-shm` file cannot be made beside it is opened immutable."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-c", "from skating_db.cli import main; main()"]
MOUNT = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"'


def _read_only(folder: Path) -> list[str]:
    """A prefix that runs a command with `folder` mounted read-only (root, in a private
    mount namespace); skips when this machine cannot do it."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("a read-only mount needs root and unshare(1)")
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", MOUNT, str(folder), "true"], capture_output=True
    )
    if probe.returncode != 0:
        pytest.skip(f"cannot mount read-only here: {probe.stderr.decode().strip()}")
    return ["unshare", "-m", "sh", "-c", MOUNT, str(folder)]


@pytest.mark.parametrize(
    "args",
    [["check"], ["search", "bedard"], ["issues"], ["metadata"], ["export", "{out}"]],
    ids=lambda a: a[0],
)
def test_read_only_commands_work_on_read_only_storage(
    db: Path, tmp_path: Path, args: list[str]
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "r.db"
    shutil.copy(db, target)  # a WAL database without its -shm file
    before = target.read_bytes()
    command = [a.format(out=tmp_path / "out") for a in args]
    done = subprocess.run(
        [*_read_only(folder), *CLI, *command, "--db", str(target)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "cannot open" not in done.stderr and done.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["r.db"]
    assert target.read_bytes() == before
