"""Measurements of the command line, as a user runs it: each command a subprocess.

Start-up (`--help`, `query "select 1"` beside `sqlite-utils query` and the `sqlite3`
shell), incremental `skating-db load` of an unchanged and of a changed document,
and the peak RSS of `export` and of a JSON query, read with `os.wait4`.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import corpus


@dataclass(slots=True)
class Timed:
    """One command: its median wall time in seconds (None: not run, `note` says why)."""

    label: str
    seconds: float | None
    note: str = ""
    status: str = ""


@dataclass(slots=True)
class Commands:
    """Everything measured through the command line at one size."""

    startup: list[Timed] = field(default_factory=list)
    incremental: list[Timed] = field(default_factory=list)
    rss: list[tuple[str, float | None, str]] = field(default_factory=list)


def tool(name: str) -> str | None:
    """The executable `name`: beside this interpreter first, then on PATH."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else shutil.which(name)


def compile_package() -> None:
    """Byte-compile skating-db's modules, as `pip install` of the wheel does: a checkout run
    with PYTHONDONTWRITEBYTECODE set would compile every module in every timed command."""
    import compileall

    import skating_db
    import skating_db.loaders

    for package in (skating_db, skating_db.loaders):  # the loaders: a link compileall skips
        compileall.compile_dir(Path(package.__file__ or "").resolve().parent, quiet=1)


def median_seconds(cmd: list[str], repeats: int) -> tuple[float, str]:
    """Median wall time of `cmd` (one warm-up run first) and its last output."""
    samples = []
    out = ""
    for _ in range(repeats + 1):
        start = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        samples.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr}")
        out = done.stdout
    return statistics.median(samples[1:] or samples), out


def startup(db: Path, repeats: int) -> list[Timed]:
    """`python -c pass`, `skating-db --help` and `select 1` through three tools, one run."""
    skating, utils, shell = tool("skating-db"), tool("sqlite-utils"), shutil.which("sqlite3")
    plans: list[tuple[str, list[str] | None, str]] = [
        ("python -c pass", [sys.executable, "-c", "pass"], ""),
        ("skating-db --help", [skating, "--help"] if skating else None, "not installed"),
        (
            'skating-db query "select 1"',
            [skating, "query", "select 1", "--db", str(db)] if skating else None,
            "not installed",
        ),
        (
            'sqlite-utils query DB "select 1"',
            [utils, "query", str(db), "select 1"] if utils else None,
            "sqlite-utils not installed (pip install -e '.[bench]')",
        ),
        (
            'sqlite3 DB "select 1"',
            [shell, str(db), "select 1"] if shell else None,
            "the sqlite3 shell is not installed (apt-get install sqlite3)",
        ),
    ]
    out = []
    for label, cmd, why in plans:
        if cmd is None:
            out.append(Timed(label, None, why))
        else:
            out.append(Timed(label, median_seconds(cmd, repeats)[0]))
    return out


def changed_document(folder: Path, workdir: Path) -> tuple[Path, Path]:
    """A championship document of the corpus, and a copy with three times moved."""
    paths = sorted(folder.glob("*.txt"))
    wiki = [p for p in paths if '{| class="wikitable"' in p.read_text(encoding="utf-8")[:5000]]
    chosen = (wiki or paths)[len(wiki or paths) // 2]
    changed_dir = workdir / "changed"
    changed_dir.mkdir(exist_ok=True)
    changed = changed_dir / chosen.name
    changed.write_text(corpus.mutate(chosen.read_text(encoding="utf-8")), encoding="utf-8")
    return chosen, changed


def incremental(db: Path, folder: Path, workdir: Path, repeats: int) -> list[Timed]:
    """`skating-db load` of an unchanged document, then of a changed one (the change and
    its undoing alternate, so that every timed load is a change)."""
    skating = tool("skating-db")
    if skating is None:
        return [Timed("load", None, "skating-db is not installed")]
    original, changed = changed_document(folder, workdir)
    unchanged_s, unchanged_out = median_seconds(
        [skating, "load", str(original), "--db", str(db)], repeats
    )
    samples, status = [], ""
    for index in range(max(2, repeats + 1)):
        path = changed if index % 2 == 0 else original
        start = time.perf_counter()
        done = subprocess.run(
            [skating, "load", str(path), "--db", str(db)], capture_output=True, text=True
        )
        samples.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise RuntimeError(f"skating-db load {path} failed:\n{done.stderr}")
        status = status or _status(done.stdout)
    size = f"{original.stat().st_size / 1e3:.0f} KB"
    return [
        Timed("unchanged", unchanged_s, f"{original.name}, {size}", _status(unchanged_out)),
        Timed("changed", statistics.median(samples), f"{original.name}, {size}", status),
    ]


def _status(output: str) -> str:
    """`replaced` from `…/00012_ab.txt: replaced (…)`."""
    for line in output.splitlines():
        if ".txt: " in line:
            return line.split(".txt: ", 1)[1].split(" ", 1)[0]
    return "?"


# Started from a small launcher: on Linux a child's `ru_maxrss` starts from its parent's
# high-water mark at fork, so a command forked by the bench (hundreds of MB after a 1 M
# load) would report the bench's memory, not its own.
_LAUNCHER = (
    "import os, subprocess, sys\n"
    "proc = subprocess.Popen(sys.argv[1:])\n"
    "_pid, status, usage = os.wait4(proc.pid, 0)\n"
    "print(f'\\nRSS_KB={usage.ru_maxrss}', file=sys.stderr)\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def peak_rss_mb(cmd: list[str]) -> float:
    """Peak RSS of `cmd` as a subprocess (its own `ru_maxrss`), in MB."""
    with open(os.devnull, "wb") as sink:
        done = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, *cmd], stdout=sink, stderr=subprocess.PIPE
        )
    errors = done.stderr.decode()
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{errors}")
    return int(errors.rsplit("RSS_KB=", 1)[1]) / 1024


def command_rss(db: Path, workdir: Path) -> list[tuple[str, float | None, str]]:
    """Peak RSS of `export` and of a JSON query over `podiums`, when the commands exist."""
    skating = tool("skating-db")
    if skating is None:
        return [("skating-db", None, "not installed")]
    helptext = subprocess.run([skating, "--help"], capture_output=True, text=True).stdout
    out: list[tuple[str, float | None, str]] = []
    if "export" in helptext.split():
        folder = workdir / "export"
        shutil.rmtree(folder, ignore_errors=True)
        cmd = [skating, "export", str(folder), "--format", "csv", "--db", str(db)]
        out.append(("skating-db export DIR --format csv", peak_rss_mb(cmd), ""))
        shutil.rmtree(folder, ignore_errors=True)
    else:
        out.append(("skating-db export", None, "no `export` command in `skating-db --help`"))
    query = [skating, "query", "--format", "json", "select * from podiums", "--db", str(db)]
    out.append(('skating-db query --format json "select * from podiums"', peak_rss_mb(query), ""))
    return out


__all__ = ["Commands", "Timed", "command_rss", "incremental", "startup"]
