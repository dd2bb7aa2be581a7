"""The benchmark harness at a tiny size, so that it cannot rot (structure only, never timings)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import corpus, postgres
from bench.report import render
from bench.run import COUNTED, Report, chosen_sections, main, run

SIZE = 2_000
EVENT_TITLE = re.compile(
    r"^= Short track speed skating at the \d{4} [A-Za-z ]+ \u2013 (Men|Women)'s \d+ metres =$"
)


@pytest.fixture(scope="module")
def report_text(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, str]:
    workdir = tmp_path_factory.mktemp("bench")
    sections = ["parse", "load", "floor", "postgresql", "incremental", "queries", "cli", "profile"]
    report = run([SIZE], seed=7, workdir=workdir, repeats=1, sections=sections, pg_target=SIZE)
    return report, render(report)


def event_pages(paths: list[Path]) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in paths]
    return [t for t in texts if EVENT_TITLE.match(t.splitlines()[0])]


def test_corpus_is_deterministic_and_sized(tmp_path: Path) -> None:
    first = corpus.build(SIZE, 3, tmp_path / "a")
    second = corpus.build(SIZE, 3, tmp_path / "b")
    assert [p.name for p in first.paths] == [p.name for p in second.paths]
    assert abs(first.placements - SIZE) <= SIZE * 0.03
    texts = [p.read_text(encoding="utf-8") for p in first.paths]
    assert any('{| class="wikitable"' in t for t in texts)
    assert any("| Date | Place | Discipline | Winner |" in t for t in texts)
    assert any("| Date | Place | Distance | Winner | Second | Third |" in t for t in texts)
    assert event_pages(first.paths)


def test_event_pages_have_every_round(tmp_path: Path) -> None:
    pages = event_pages(corpus.generate(10_000, 5, tmp_path))
    assert len(pages) >= 10
    marks: set[str] = set()
    for page in pages:
        headings = re.findall(r"^== (.+) ==$", page, flags=re.M)
        assert headings == ["Heats", "Quarterfinals", "Semifinals", "Final B", "Final A"]
        heats = page.split("== Heats ==")[1].split("== Quarterfinals ==")[0]
        rows = [
            [c.strip() for c in r.strip("| ").split("|")] for r in heats.strip().splitlines()[1:]
        ]
        per_heat: dict[str, int] = {}
        for cells in rows:
            per_heat[cells[1]] = per_heat.get(cells[1], 0) + 1
            marks.add(cells[-1])
        assert sorted(per_heat) == [str(n) for n in range(1, 9)]
        assert all(4 <= n <= 5 for n in per_heat.values())
        assert "- Gold: " in page and "- Bronzenoc: " in page
        final_a = page.split("== Final A ==")[1].strip().splitlines()
        assert final_a[0] == "| Rank | Name | Country | Time | Notes |"
        gold = re.search(r"^- Gold: (.+)$", page, flags=re.M)
        assert gold and final_a[1].startswith(f"| 1 | {gold.group(1)} |")
    assert {"Q", "q", "PEN"} <= marks
    assert any("| ADV |" in page for page in pages)


def test_families_leave_event_pages_out(tmp_path: Path) -> None:
    paths = corpus.generate(SIZE, 3, tmp_path, ("world_cup", "championship"))
    assert paths and not event_pages(paths)
    with pytest.raises(ValueError, match="unknown families"):
        corpus.generate(SIZE, 3, tmp_path / "x", ("podcasts",))


def test_mutate_changes_a_document(tmp_path: Path) -> None:
    path = next(
        p
        for p in corpus.generate(SIZE, 3, tmp_path)
        if '{| class="wikitable"' in p.read_text(encoding="utf-8")
    )
    text = path.read_text(encoding="utf-8")
    assert corpus.mutate(text) != text


def test_loaded_counts_equal_generated_and_floor(report_text: tuple[Report, str]) -> None:
    report, _text = report_text
    (size,) = report.sizes
    assert abs(size.count - SIZE) <= SIZE * 0.03
    assert size.loaded["placements"] == size.placements
    assert size.parsed["placements"] >= size.loaded["placements"]  # Final A twice: one fact
    for table in ("races", "standings", "relay_members"):
        assert size.loaded[table] == size.parsed[table], table
    assert size.floor_counts == size.loaded
    assert set(COUNTED) <= set(size.loaded)
    assert {"heat", "quarterfinal", "semifinal", "final_b", "final"} <= set(size.rounds)


def test_postgres_load_matches_sqlite(report_text: tuple[Report, str]) -> None:
    report, text = report_text
    why = postgres.available()
    if why is not None:
        assert f"Not measured: {why}." in text
        pytest.skip(f"PostgreSQL: {why}")
    pg = report.postgres
    assert pg is not None
    assert pg.loaded["placements"] == report.sizes[0].loaded["placements"]
    assert pg.floor_counts == pg.loaded
    assert "| PostgreSQL load / COPY floor, 2,000 |" in text


def test_report_has_every_row(report_text: tuple[Report, str]) -> None:
    report, text = report_text
    assert f"| {SIZE:,} |" in text
    for heading in (
        "## Load from scratch (SQLite)",
        "## PostgreSQL",
        "## `skating-db load` of one document",
        "## Queries",
        "## Command start-up",
        "## Peak RSS of commands",
        "## Where parsing spends its time",
        "## Targets",
    ):
        assert heading in text
    for label in ("skating-db --help", 'skating-db query "select 1"', 'sqlite3 DB "select 1"'):
        assert f"`{label}`" in text
    for what in (
        "load / SQLite floor",
        "parse µs / placement",
        "PostgreSQL load / SQLite load",
        "`skating-db load` of one unchanged document",
        "`skating-db load` of one changed document",
        '`query "select 1"` / `sqlite-utils query`',
        "µs / placement growth",
    ):
        assert f"| {what}" in text, what
    statuses = {t.label: t.status for t in report.commands.incremental}
    assert statuses == {"unchanged": "unchanged", "changed": "replaced"}
    assert any("loaders/" in row for row in report.profile)
    assert len(report.queries) == 4
    for query in report.queries:
        assert query.plan
        assert query.rows > 0


def test_backends_narrow_the_sections() -> None:
    import argparse

    args = argparse.Namespace(
        sections="parse,load,serial,floor,postgresql,cli", backends="postgresql", quick=False
    )
    assert chosen_sections(args) == ["parse", "postgresql"]
    args.backends, args.quick = "sqlite", True
    assert chosen_sections(args) == ["parse", "load", "floor", "cli"]


def test_command_line_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    main(["--sizes", "500", "--sections", "parse", "--quick", "--output", str(out)])
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# skating-db benchmark")
    assert "nproc" in text and "| 500 |" in text
