"""Atomicity: a load is one transaction, and an interrupted rebuild or load changes nothing.

The interruptions are real: a `skating-db` subprocess is sent SIGINT, SIGTERM or SIGKILL
while it is in the middle of its work (the rebuild's temporary file exists), after a short,
varied delay.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from skating_db.admin import check_database
from skating_db.cli import cli
from tests.helpers import SEEDS, snapshot

CLI = Path(sys.executable).parent / "skating-db"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
COPIES = 150  # 600 documents: a rebuild takes a few seconds, long enough to be caught
TIMEOUT = 120


def source_names(db: Path) -> set[str]:
    con = sqlite3.connect(db)
    try:
        return {name for (name,) in con.execute("SELECT name FROM sources")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Many copies of the seed documents under different names (distinct sources)."""
    folder = tmp_path_factory.mktemp("corpus")
    for i in range(COPIES):
        for seed in SEED_FILES:
            shutil.copy(seed, folder / f"c{i:03d}_{seed.name}")
    shutil.copy(SEEDS / "corrections.toml", folder)
    return folder


def building_files(db: Path) -> list[Path]:
    return sorted(db.parent.glob(f".{db.name}.building-*"))


# -- a load is one transaction ---------------------------------------------------------------


def test_batch_whose_last_file_is_bad_writes_nothing(db: Path, tmp_path: Path) -> None:
    docs = []
    for seed in SEED_FILES:
        copy = tmp_path / f"new_{seed.name}"
        shutil.copy(seed, copy)
        docs.append(copy)
    bad = tmp_path / "zz_letter.txt"
    bad.write_text("Dear aunt Mary, the ice was fast.\n", encoding="utf-8")
    before = snapshot(db)
    result = CliRunner().invoke(cli, ["load", *map(str, docs), str(bad), "--db", str(db)])
    assert result.exit_code != 0
    assert "zz_letter.txt" in result.output
    assert snapshot(db) == before
    assert not {d.name for d in docs} & source_names(db)


def test_batch_whose_last_file_is_undecodable_writes_nothing(db: Path, tmp_path: Path) -> None:
    good = tmp_path / "aa_new.txt"
    shutil.copy(SEED_FILES[1], good)
    bad = tmp_path / "zz_latin1.txt"
    bad.write_bytes("Zürich, Ñuñoa, Québec\n".encode("latin-1"))
    before = snapshot(db)
    result = CliRunner().invoke(cli, ["load", str(good), str(bad), "--db", str(db)])
    assert result.exit_code != 0
    assert snapshot(db) == before


def test_dry_run_writes_nothing(db: Path, tmp_path: Path) -> None:
    good = tmp_path / "aa_new.txt"
    shutil.copy(SEED_FILES[0], good)
    before = snapshot(db)
    result = CliRunner().invoke(cli, ["load", str(good), "--dry-run", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert snapshot(db) == before


# -- interrupted rebuilds ----------------------------------------------------------------------


def start(*args: str | Path, cwd: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(CLI), *map(str, args)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "SKATING_DB_URL": ""},
        # A job started in the background by a shell (`nohup … &`) inherits SIGINT ignored,
        # which Python then keeps; the command under test must see Ctrl-C as a user's does.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_for(condition: object, proc: subprocess.Popen[bytes], timeout: float = 60) -> bool:
    """Poll until `condition()` holds or the process ends; True when the condition held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.01)
    raise AssertionError("timed out waiting for the subprocess")


COMMITTED_NOTE = "Note: interrupted after the work was committed; it stands."


def signalled(proc: subprocess.Popen[bytes], signum: int, first: Callable[[], None]) -> bytes:
    """`first()`, then `signum` to the command; its stderr once it ends (killed if it hangs)."""
    try:
        first()
        proc.send_signal(signum)
        _out, err = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return err


KILLS = [
    (signal.SIGINT, 0.0),
    (signal.SIGINT, 0.7),
    (signal.SIGTERM, 0.1),
    (signal.SIGTERM, 1.2),
    (signal.SIGKILL, 0.0),
    (signal.SIGKILL, 0.5),
    (signal.SIGKILL, 1.5),
]


@pytest.mark.parametrize(
    ("signum", "delay"), KILLS, ids=[f"{signal.Signals(s).name}-{d}s" for s, d in KILLS]
)
def test_interrupted_rebuild_keeps_the_old_database(
    signum: int, delay: float, db: Path, corpus: Path
) -> None:
    before = snapshot(db)
    proc = start("rebuild", "--seeds", corpus, "--db", db, cwd=db.parent)
    caught = finished_first = False

    def when_building() -> None:
        nonlocal caught, finished_first
        caught = wait_for(lambda: bool(building_files(db)), proc)
        time.sleep(delay)
        finished_first = proc.poll() is not None

    err = signalled(proc, signum, when_building)
    assert caught, "the rebuild ended before it could be interrupted; make the corpus bigger"
    if finished_first:
        pytest.skip("the rebuild finished before the signal (machine too fast for this delay)")
    stderr = err.decode()
    assert "Traceback" not in stderr, stderr
    if signum == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    elif proc.returncode == 0:  # the signal came once the new database was in place
        assert stderr.startswith(COMMITTED_NOTE), stderr
        assert snapshot(db) != before
        pytest.skip("the rebuild had replaced the database when the signal came")
    else:
        assert proc.returncode == 130, (proc.returncode, stderr)
        assert stderr.startswith("Error: Interrupted"), stderr
        assert not building_files(db), "a caught signal must clean up its temporary file"
    assert snapshot(db) == before
    assert check_database(f"sqlite:///{db}") == []
    # Whatever the interruption left behind does not break the next run, which tidies up.
    result = subprocess.run(
        [str(CLI), "rebuild", "--db", str(db)], capture_output=True, timeout=TIMEOUT, check=False
    )
    assert result.returncode == 0, result.stderr.decode()
    assert not building_files(db)
    assert check_database(f"sqlite:///{db}") == []


def test_stale_temporary_files_of_a_dead_build_are_removed(db: Path) -> None:
    dead = (
        subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"], check=True, capture_output=True
        )
        .stdout.decode()
        .strip()
    )
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{db.parent}/.{db.name}.building-{dead}{suffix}").write_bytes(b"half a database")
    result = CliRunner().invoke(cli, ["rebuild", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert not building_files(db)
    assert not list(db.parent.glob(f".{db.name}.building-*"))


# -- an interrupted load -----------------------------------------------------------------------


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5])
def test_killed_load_writes_nothing(delay: float, db: Path, corpus: Path) -> None:
    before = snapshot(db)
    docs = sorted(corpus.glob("c*_*.txt"))
    proc = start("load", *docs, "--db", db, cwd=db.parent)
    try:
        time.sleep(delay)
        finished_first = proc.poll() is not None
        proc.kill()
        proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    if finished_first:
        pytest.skip("the load finished before the kill")
    assert snapshot(db) == before
    assert check_database(f"sqlite:///{db}") == []


# -- a signal after the commit -------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("command", ["load", "rebuild"])
def test_a_signal_after_the_commit_leaves_the_work_and_exit_status_zero(
    command: str, signum: int, db: Path, corpus: Path
) -> None:
    """The summary is printed after the commit: a signal once it shows cannot undo the work,
    so the command must not say "as it was before", nor die of the signal."""
    before = snapshot(db)
    args = ["--seeds", corpus] if command == "rebuild" else sorted(corpus.glob("c*_*.txt"))
    proc = start(command, *args, "--db", db, "-j", "1", cwd=db.parent)
    assert proc.stdout is not None
    first = b""

    def when_summarised() -> None:
        nonlocal first
        assert proc.stdout is not None
        first = proc.stdout.readline()  # the summary's first line

    err = signalled(proc, signum, when_summarised)
    assert first, err.decode()
    stderr = err.decode()
    assert proc.returncode == 0, (proc.returncode, stderr)
    assert stderr in ("", COMMITTED_NOTE + "\n"), stderr
    assert snapshot(db) != before
    assert check_database(f"sqlite:///{db}") == []
