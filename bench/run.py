"""Benchmark: parse, load, the SQLite and PostgreSQL floors, incremental loads, the CLI.

Run `python -m bench.run [--sizes 10000,100000,1000000]` (or `make bench`). For each size
it generates a corpus (`bench.corpus`: the seed families plus event pages with heats),
then measures parse only (one process), `build.load` into a fresh SQLite file with the
default `--jobs` and with `--jobs 1` (each in a child process, for its own peak RSS), and
the floor: the loaded rows written by `sqlite3.executemany` into a fresh database made by
the project's migration, in one transaction. At the PostgreSQL size (`--pg-size`, 100 k)
it loads the same corpus into a scratch PostgreSQL database and times psycopg's `COPY` of
the same rows (only when a server answers). At the largest size it times `skating-db
load` of an unchanged and of a changed document, common queries, start-up beside
sqlite-utils and the sqlite3 shell, and peak RSS of `export` and of a JSON query. The
markdown report is printed and written to `bench/results/latest.md`.
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench import commands, corpus, measure, postgres
from bench.measure import QueryTiming, remove_db

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
COUNTED = ("events", "races", "placements", "relay_members", "standings", "athletes")
SECTIONS = (
    "parse",
    "load",
    "serial",
    "floor",
    "postgresql",
    "incremental",
    "queries",
    "cli",
    "profile",
)
SQLITE_ONLY = frozenset(SECTIONS) - {"parse", "postgresql", "profile"}
BACKENDS = ("sqlite", "postgresql")


@dataclass(slots=True)
class SizeResult:
    """Everything measured for one corpus size (0.0: not measured in this run)."""

    target: int
    documents: int
    megabytes: float
    db: Path
    corpus_dir: Path
    placements: int = 0  # what the generator wrote (the loaders keep exactly these)
    parsed: dict[str, int] = field(default_factory=dict)
    parse_s: float = 0.0
    load_s: float = 0.0
    load_rss_mb: float = 0.0
    parser_rss_mb: float = 0.0
    serial_s: float = 0.0
    floor_s: float = 0.0
    loaded: dict[str, int] = field(default_factory=dict)
    floor_counts: dict[str, int] = field(default_factory=dict)
    rounds: dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return self.loaded.get("placements") or self.placements

    def per_placement_us(self, seconds: float) -> float:
        return seconds / max(1, self.count) * 1e6


@dataclass(slots=True)
class Report:
    """The whole run: per-size results, PostgreSQL, and the largest size's extras."""

    seed: int
    sections: frozenset[str]
    families: tuple[str, ...] = corpus.FAMILIES
    sizes: list[SizeResult] = field(default_factory=list)
    postgres: postgres.PostgresResult | None = None
    postgres_note: str = ""
    queries: list[QueryTiming] = field(default_factory=list)
    profile: list[str] = field(default_factory=list)  # table rows: where parsing spends time
    commands: commands.Commands = field(default_factory=commands.Commands)


def placements_by_round(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT r.round, COUNT(*) FROM placements p JOIN races r ON r.id = p.race_id"
            " GROUP BY r.round ORDER BY 2 DESC"
        )
        return {str(name): int(n) for name, n in rows}
    finally:
        conn.close()


def run_size(target: int, report: Report, workdir: Path) -> SizeResult:
    """Generate a corpus of `target` placements; measure parse, loads and floor."""
    folder = workdir / f"corpus-{target}"
    shutil.rmtree(folder, ignore_errors=True)
    built = corpus.build(target, report.seed, folder, report.families)
    paths = built.paths
    db = workdir / f"load-{target}.db"
    result = SizeResult(target, len(paths), sum(p.stat().st_size for p in paths) / 1e6, db, folder)
    result.placements = built.placements
    sections = report.sections
    if "parse" in sections:
        result.parse_s, result.parsed = measure.parse_all(paths)
    if "serial" in sections:
        serial_db = workdir / f"serial-{target}.db"
        remove_db(serial_db)
        result.serial_s = measure.load_in_child(str(serial_db), folder, jobs=1)["seconds"]
        remove_db(serial_db)
    if sections & {"load", "floor", "incremental", "queries", "cli"}:
        remove_db(db)
        child = measure.load_in_child(str(db), folder)
        result.load_s, result.load_rss_mb = child["seconds"], child["rss_mb"]
        result.parser_rss_mb = child["parser_rss_mb"]
        result.loaded = measure.table_counts(db)
        result.rounds = placements_by_round(db)
    if "floor" in sections:
        floor_db = workdir / f"floor-{target}.db"
        remove_db(floor_db)
        result.floor_s = measure.floor(db, floor_db)
        result.floor_counts = measure.table_counts(floor_db)
        remove_db(floor_db)
    return result


def pg_size(sizes: Sequence[int], wanted: int) -> int:
    """The size PostgreSQL runs at: `wanted` when measured, else the nearest below, else the
    smallest."""
    below = [s for s in sizes if s <= wanted]
    return max(below) if below else min(sizes)


def run(
    sizes: Sequence[int],
    seed: int,
    workdir: Path,
    repeats: int = 5,
    sections: Sequence[str] = SECTIONS,
    families: Sequence[str] = corpus.FAMILIES,
    pg_target: int = 100_000,
) -> Report:
    """Measure every size, PostgreSQL at its size, then the CLI at the largest."""
    report = Report(seed, frozenset(sections), tuple(families))
    for target in sizes:
        print(f"size {target:,}: generating, parsing, loading, floor…", file=sys.stderr)
        report.sizes.append(run_size(target, report, workdir))
        if "postgresql" in report.sections and target == pg_size(sizes, pg_target):
            report.postgres_note = postgres.available() or ""
            if not report.postgres_note:
                print(f"size {target:,}: PostgreSQL load and COPY floor…", file=sys.stderr)
                result = report.sizes[-1]
                report.postgres = postgres.measure(target, result.count, result.corpus_dir)
    largest = report.sizes[-1]
    if "profile" in report.sections:
        smallest = report.sizes[0].corpus_dir
        report.profile = measure.profile_parse(sorted(smallest.glob("*.txt")))
    if "queries" in report.sections:
        report.queries = measure.time_queries(largest.db, repeats)
    if {"cli", "incremental"} & set(report.sections):
        commands.compile_package()  # as an installed wheel is: commands time no compiling
    if "cli" in report.sections:
        report.commands.startup = commands.startup(largest.db, repeats)
        report.commands.rss = commands.command_rss(largest.db, workdir)
    if "incremental" in report.sections:
        report.commands.incremental = commands.incremental(
            largest.db, largest.corpus_dir, workdir, min(repeats, 3)
        )
    return report


def chosen_sections(args: argparse.Namespace) -> list[str]:
    """`--sections`, narrowed by `--backends` and `--quick`."""
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    backends = {b.strip() for b in args.backends.split(",") if b.strip()}
    if unknown or not backends <= set(BACKENDS):
        raise SystemExit(
            f"unknown sections or backends: {sorted(unknown | backends - set(BACKENDS))}"
        )
    if "sqlite" not in backends:
        sections = [s for s in sections if s not in SQLITE_ONLY]
    if "postgresql" not in backends:
        sections = [s for s in sections if s != "postgresql"]
    if args.quick:
        sections = [s for s in sections if s != "serial"]
    return sections


def arguments() -> argparse.ArgumentParser:
    """The command line's options."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5, help="runs per timing (median)")
    parser.add_argument("--workdir", type=Path, help="keep corpora and databases here")
    parser.add_argument("--sections", default=",".join(SECTIONS), help="what to measure")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="sqlite,postgresql")
    parser.add_argument("--families", default=",".join(corpus.FAMILIES), help="corpus families")
    parser.add_argument("--pg-size", type=int, default=100_000, help="PostgreSQL corpus size")
    parser.add_argument("--quick", action="store_true", help="skip the `-j 1` load; 1 repeat")
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.md")
    parser.add_argument("--readme", type=Path, help="rewrite this README's Performance section")
    parser.add_argument("--render", type=Path, help="render a saved report (.pickle) again")
    parser.add_argument("--worker-load", nargs=2, metavar=("DB", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, help=argparse.SUPPRESS)
    return parser


def publish(report: Report, args: argparse.Namespace) -> None:
    """Print the report, write it to `--output` (and the README section when asked)."""
    from bench.report import render, update_readme

    text = render(report)
    print(text)
    args.output.write_text(text, encoding="utf-8")
    if args.readme:
        update_readme(args.readme, report)


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: run the benchmark, print the report and write it to `--output`."""
    args = arguments().parse_args(argv)
    if args.worker_load:
        target, folder = args.worker_load
        print(json.dumps(measure.load_worker(target, Path(folder), args.jobs)))
        return
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if args.render:
        with args.render.open("rb") as fh:
            publish(pickle.load(fh), args)
        return
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    families = [f.strip() for f in args.families.split(",") if f.strip()]
    temp = None if args.workdir else tempfile.mkdtemp(prefix="skating-bench-")
    workdir = args.workdir or Path(str(temp))
    workdir.mkdir(parents=True, exist_ok=True)
    repeats = 1 if args.quick else args.repeats
    try:
        report = run(
            sizes, args.seed, workdir, repeats, chosen_sections(args), families, args.pg_size
        )
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    with args.output.with_suffix(".pickle").open("wb") as fh:
        pickle.dump(report, fh)  # `--render` draws it again without measuring again
    publish(report, args)


if __name__ == "__main__":
    main()
