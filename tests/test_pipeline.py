"""Parsing ahead in worker processes writes exactly what a one-at-a-time load writes."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest

from bench import corpus
from skating_db import build, pipeline
from skating_db.corrections import load_corrections
from skating_db.errors import UserError
from tests.helpers import SEEDS, counts, rows, snapshot

CORRECTIONS = load_corrections(SEEDS / "corrections.toml")
PODIUMS = "SELECT * FROM podiums ORDER BY placement_id"
ISSUES = "SELECT source_id, line, severity, code, message FROM data_issues ORDER BY id"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A small generated corpus (every family, relays, namesakes) plus the seeds."""
    folder = tmp_path_factory.mktemp("docs")
    paths = corpus.generate(3_000, 11, folder)
    for seed in sorted(SEEDS.glob("*.txt")):
        paths.append(Path(shutil.copy(seed, folder / f"zz_{seed.name}")))
    return paths


@pytest.fixture
def always_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)


def test_small_loads_and_one_job_stay_in_process(documents: list[Path]) -> None:
    assert not pipeline.worth_parallel(documents[:1], 4)
    assert not pipeline.worth_parallel(documents, 1)
    assert not pipeline.worth_parallel(sorted(SEEDS.glob("*.txt")), 4)  # 4 small files


@pytest.mark.usefixtures("always_parallel")
def test_batches_come_in_order_and_equal_in_process_ones(documents: list[Path]) -> None:
    assert pipeline.worth_parallel(documents, 3)
    with pipeline.prepared(documents, jobs=3) as batches:
        parallel = list(batches)
    assert parallel == [pipeline.prepare(p) for p in documents]
    assert not multiprocessing.active_children()


@pytest.mark.usefixtures("always_parallel")
def test_a_parallel_load_writes_what_a_sequential_load_writes(
    documents: list[Path], tmp_path: Path
) -> None:
    one, three = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'three.db'}"
    build.load(one, documents, CORRECTIONS, jobs=1)
    build.load(three, documents, CORRECTIONS, jobs=3)
    assert counts(one) == counts(three)
    assert counts(one)["placements"] > 3_000
    assert rows(one, PODIUMS) == rows(three, PODIUMS)
    assert rows(one, ISSUES) == rows(three, ISSUES)


@pytest.mark.usefixtures("always_parallel")
def test_a_bad_document_in_a_parallel_load_names_its_file_and_writes_nothing(
    documents: list[Path], tmp_path: Path
) -> None:
    db = tmp_path / "skating.db"
    build.load(f"sqlite:///{db}", documents[:2], CORRECTIONS, jobs=1)
    before = snapshot(db)
    bad = tmp_path / "notes.txt"
    bad.write_text("Shopping list\n\nmilk, eggs, bread\n", encoding="utf-8")
    middle = len(documents) // 2
    with pytest.raises(UserError, match=r"notes\.txt"):
        build.load(
            f"sqlite:///{db}", [*documents[:middle], bad, *documents[middle:]], CORRECTIONS, jobs=3
        )
    assert snapshot(db) == before
    assert not multiprocessing.active_children()


@pytest.mark.parametrize(
    ("load", "expected"),
    [((0.0, 0.0, 0.0), 4), ((1.2, 0.0, 0.0), 4), ((2.6, 0.0, 0.0), 2), ((3.8, 0.0, 0.0), 1)],
)
def test_default_jobs_add_a_parser_for_each_idle_cpu(
    monkeypatch: pytest.MonkeyPatch, load: tuple[float, float, float], expected: int
) -> None:
    """Four CPUs: the writer, and a parser for each CPU the load average leaves idle."""
    monkeypatch.setattr(pipeline, "usable_cpus", lambda: 4)
    monkeypatch.setattr(pipeline.os, "getloadavg", lambda: load)
    monkeypatch.setattr(pipeline, "_running_now", lambda default: 9.0)
    assert pipeline.default_jobs() == expected


@pytest.mark.parametrize(("running", "expected"), [(0.0, 4), (1.0, 4), (3.0, 2)])
def test_default_jobs_count_work_that_has_ended_no_more(
    monkeypatch: pytest.MonkeyPatch, running: float, expected: int
) -> None:
    """A load average still high from work that has just ended (3.8: one job) gives way to
    the processes running now, when fewer."""
    monkeypatch.setattr(pipeline, "usable_cpus", lambda: 4)
    monkeypatch.setattr(pipeline.os, "getloadavg", lambda: (3.8, 0.0, 0.0))
    monkeypatch.setattr(pipeline, "_running_now", lambda default: running)
    assert pipeline.default_jobs() == expected


@pytest.mark.parametrize(("cpus", "expected"), [(1, 1), (2, 2), (4, 2)])
def test_default_jobs_on_a_server_keep_one_parser_however_busy(
    monkeypatch: pytest.MonkeyPatch, cpus: int, expected: int
) -> None:
    """PostgreSQL does the database work in its own process: with a second CPU, one parser
    beside the writer even when the load average leaves none idle."""
    monkeypatch.setattr(pipeline, "usable_cpus", lambda: cpus)
    monkeypatch.setattr(pipeline.os, "getloadavg", lambda: (7.0, 0.0, 0.0))
    monkeypatch.setattr(pipeline, "_running_now", lambda default: 7.0)
    assert pipeline.default_jobs(server=True) == expected
    assert pipeline.default_jobs() == 1


def test_running_now_reads_the_processes_runnable_at_this_instant() -> None:
    """This process runs while it reads /proc/loadavg, and is not counted."""
    if not Path("/proc/loadavg").exists():
        assert pipeline._running_now(7.5) == 7.5
        return
    running = pipeline._running_now(-1.0)
    assert running >= 0
    assert running != -1.0


def test_default_jobs_without_a_load_average_are_the_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    def unknown() -> tuple[float, float, float]:
        raise OSError("no load average")

    monkeypatch.setattr(pipeline, "usable_cpus", lambda: 3)
    monkeypatch.setattr(pipeline.os, "getloadavg", unknown)
    assert pipeline.default_jobs() == 3
