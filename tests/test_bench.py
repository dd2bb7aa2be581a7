"""The benchmark harness at a tiny size, so that it cannot rot (structure only, never timings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import corpus
from bench.run import COUNTED, Report, render, run

SIZE = 2_000


@pytest.fixture(scope="module")
def report_text(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, str]:
    workdir = tmp_path_factory.mktemp("bench")
    report = run([SIZE], seed=7, workdir=workdir, repeats=1)
    return report, render(report)


def test_corpus_is_deterministic_and_sized(tmp_path: Path) -> None:
    first = corpus.build(SIZE, 3, tmp_path / "a")
    second = corpus.build(SIZE, 3, tmp_path / "b")
    assert [p.name for p in first.paths] == [p.name for p in second.paths]
    assert abs(first.placements - SIZE) <= SIZE * 0.03
    texts = [p.read_text(encoding="utf-8") for p in first.paths]
    assert any('{| class="wikitable"' in t for t in texts)
    assert any("| Date | Place | Discipline | Winner |" in t for t in texts)
    assert any("| Date | Place | Distance | Winner | Second | Third |" in t for t in texts)


def test_mutate_changes_a_document(tmp_path: Path) -> None:
    path = next(
        p
        for p in corpus.generate(SIZE, 3, tmp_path)
        if '{| class="wikitable"' in p.read_text(encoding="utf-8")
    )
    text = path.read_text(encoding="utf-8")
    assert corpus.mutate(text) != text


def test_loaded_counts_equal_parsed_and_floor(report_text: tuple[Report, str]) -> None:
    report, _text = report_text
    (size,) = report.sizes
    assert abs(size.parsed["placements"] - SIZE) <= SIZE * 0.03
    for table in ("placements", "races", "standings", "relay_members"):
        assert size.loaded[table] == size.parsed[table], table
    assert size.loaded["events"] <= size.parsed["events"]
    assert size.floor_counts == size.loaded
    assert set(COUNTED) <= set(size.loaded)


def test_report_has_every_row(report_text: tuple[Report, str]) -> None:
    report, text = report_text
    assert f"| {SIZE:,} |" in text
    for heading in (
        "## Load from scratch",
        "## Rows: parsed, loaded, floor",
        "## Incremental load",
        "## Queries",
        "## Command start-up",
        "## Targets",
    ):
        assert heading in text
    for label in ("python -c pass", "skating-db --help", 'skating-db query "select 1"'):
        assert f"`{label}`" in text
    assert report.incremental["status"] == "replaced"
    assert report.incremental["unchanged_status"] == "unchanged"
    assert len(report.queries) == 4
    for query in report.queries:
        assert query.plan
        assert query.rows > 0
