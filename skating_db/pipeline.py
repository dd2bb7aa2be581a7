"""Documents read, parsed and reduced to batches ahead of the writer.

Parsing is pure Python and costs about as much as writing, so a load of several
documents parses them in worker processes while this process writes. Workers are
forked (they start in milliseconds, with every module already imported) before any
database connection is opened, and hand back `Batch`es of plain tuples, cheap to
unpickle. Batches arrive in the order of `paths`, at most `AHEAD_BYTES` of text ahead
(the parsers keep working while the writer sends a flush of rows), so a parallel load
writes exactly what a one-at-a-time load writes, in bounded memory.
"""

from __future__ import annotations

import contextlib
import ctypes  # here, not in _worker_setup: a forked worker arms its death signal at once
import functools
import os
import signal
import sys
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from skating_db.batch import Batch, make_batch
from skating_db.documents import Document, read_document
from skating_db.errors import UserError, about
from skating_db.loaders import UnrecognisedDocument, parse_document

if TYPE_CHECKING:  # imported where a load runs parsers beside the writer (one document: never)
    from concurrent.futures import Future, ProcessPoolExecutor

PARALLEL_MIN_BYTES = 1_000_000  # below this, forking costs more than it saves
# Text the parsers may read ahead of the writer: enough to keep them busy while the writer
# sends a flush of rows (0.3 MB of text gives about 10 000 rows), little enough to bound memory.
AHEAD_BYTES = 2_000_000
AHEAD_DOCUMENTS = 256  # and no more documents than this, however small
_PR_SET_PDEATHSIG = 1
SKIPPED = "(unchanged: not parsed)"  # the format of a batch that stands for a known document
Known = Mapping[str, str]  # document name -> the sha256 the database holds for it


def prepare(path: Path, known: Known | None = None) -> Batch:
    """Read, parse and reduce one document; a refusal names the file. A document whose bytes
    hash to what the database already holds (`known`) is not parsed: see `is_skipped`."""
    document = read_document(path)
    if known is not None and known.get(document.name) == document.sha256:
        return _skipped(document)
    return parse(document)


def parse(document: Document) -> Batch:
    try:
        parsed = parse_document(document.text)
    except UnrecognisedDocument as exc:
        raise UserError(about(document.path, str(exc))) from exc
    return make_batch(document.name, document.sha256, parsed)


def _skipped(document: Document) -> Batch:
    return Batch(document.name, document.sha256, SKIPPED, None, [], [], [], [], [], [], [])


def is_skipped(batch: Batch) -> bool:
    """A stand-in for a document that was unchanged when the load started (not parsed)."""
    return batch.format == SKIPPED


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def default_jobs(*, server: bool = False) -> int:
    """The processes of a load when `-j` is not given: the writer, and a parser beside it
    for each CPU that other work leaves idle (by the one-minute load average, rounded, as
    `make -l` decides, or by what runs right now when that is less). A parser process pays
    only on a core of its own: it costs the batches' pickling and a fork, 0.6 s of CPU for
    the 100 k bench corpus, so where other work held the cores `-j2` took 5.0 s against
    4.3 s for `-j1`. A `server` (PostgreSQL) does the database work in a process of its
    own while the writer mostly waits on it, so one parser pays whatever the load average:
    100 k placements with the load average at 5-8 on 2 CPUs, -j2 8.0 s, -j1 10.3 s."""
    cpus = usable_cpus()
    try:
        busy = os.getloadavg()[0]
    except (OSError, AttributeError):  # no load average on this platform
        return cpus
    busy = min(busy, _running_now(busy))
    least = min(cpus, 2) if server else 1
    return max(least, min(cpus, 1 + round(cpus - busy)))


def _running_now(default: float) -> float:
    """The other processes runnable at this instant (Linux: /proc/loadavg's fourth field, less
    this one). The one-minute average still counts work that ended seconds ago, such as a
    parse just before the load, and would keep a now idle core from a parser."""
    try:
        with open("/proc/loadavg", encoding="ascii") as fh:
            running = int(fh.read().split()[3].split("/")[0])
    except (OSError, IndexError, ValueError):
        return default
    return max(0, running - 1)


def worth_parallel(paths: Sequence[Path], jobs: int) -> bool:
    """Several documents, enough text, more than one job, and a platform that forks."""
    if jobs < 2 or len(paths) < 2:
        return False
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):
            total += path.stat().st_size
        if total >= PARALLEL_MIN_BYTES:
            return True
    return False


@contextlib.contextmanager
def prepared(
    paths: Sequence[Path], jobs: int | None = None, known: Known | None = None
) -> Iterator[Iterator[Batch]]:
    """The batches of `paths` in order. `jobs` counts the processes at work, this writer
    included (default: one per CPU): with two or more, when that pays, `jobs - 1` workers
    parse ahead; else each document is parsed just before it is written. An error is
    raised where the document that caused it comes."""
    jobs = usable_cpus() if jobs is None else jobs
    work = functools.partial(prepare, known=dict(known or {}))
    if not worth_parallel(paths, jobs):
        yield map(work, paths)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = min(jobs - 1, len(paths))
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_setup,
    )
    try:
        yield iter(_InOrder(executor, work, paths, least=workers + 1))
    finally:
        executor.shutdown(cancel_futures=True)  # on an error, workers finish one document


class _InOrder:
    """Keeps documents submitted, at least `least` and up to `AHEAD_BYTES` of text ahead
    of the writer, and yields their batches in submission order."""

    def __init__(
        self,
        executor: ProcessPoolExecutor,
        work: functools.partial[Batch],
        paths: Sequence[Path],
        least: int,
    ) -> None:
        self.executor = executor
        self.work = work
        self.paths = iter(paths)
        self.least = least
        self.pending: deque[tuple[Future[Batch], int]] = deque()
        self.ahead = 0  # bytes of the documents submitted and not yet yielded
        self._fill()  # forks the workers now, before any connection exists

    def _fill(self) -> None:
        while len(self.pending) < self.least or (
            self.ahead < AHEAD_BYTES and len(self.pending) < AHEAD_DOCUMENTS
        ):
            path = next(self.paths, None)
            if path is None:
                return
            size = 0
            with contextlib.suppress(OSError):  # reading it says what is wrong, in order
                size = path.stat().st_size
            self.pending.append((self.executor.submit(self.work, path), size))
            self.ahead += size

    def __iter__(self) -> Iterator[Batch]:
        while self.pending:
            future, size = self.pending.popleft()
            self.ahead -= size
            self._fill()
            yield future.result()


def _worker_setup() -> None:
    """Workers leave Ctrl-C to the writer, and die with it even when it is killed."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
