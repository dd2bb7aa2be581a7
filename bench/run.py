"""Benchmark: parse, load, the executemany floor, incremental load, queries and CLI start-up.

Run `python -m bench.run [--sizes 10000,100000,1000000] [--seed N]` (or `make bench`).
For each size it generates a corpus (`bench.corpus`), then measures, in order:

- parse only: every document read and parsed to records, no database;
- load: `skating_db.build.load` (the function behind `skating-db load`) into a fresh
  SQLite file with the default `--jobs` (parser processes beside the writer), run in a
  child process so that its peak RSS (`ru_maxrss` of that process, interpreter and
  imports included; and of its largest parser process) is the load's own; then the
  same with `--jobs 1`, everything in one process;
- floor: the loaded database's final rows, every table, written with the standard
  library's `sqlite3.executemany` into a fresh database made by the project's own
  migration (same schema, same indexes), in one transaction.

At the largest size it then times an incremental load of one changed document, three
common queries (with `EXPLAIN QUERY PLAN`), and the CLI's start-up beside `python -c
pass` and `sqlite-utils query`. The markdown report is printed and written to
`bench/results/latest.md`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench import corpus
from skating_db.pipeline import default_jobs

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
COUNTED = ("events", "races", "placements", "relay_members", "standings", "athletes")


@dataclass(slots=True)
class SizeResult:
    """Everything measured for one corpus size."""

    target: int
    documents: int
    megabytes: float
    db: Path
    corpus_dir: Path
    parsed: dict[str, int] = field(default_factory=dict)
    parse_s: float = 0.0
    load_s: float = 0.0
    load_rss_mb: float = 0.0
    parser_rss_mb: float = 0.0
    serial_s: float = 0.0
    floor_s: float = 0.0
    loaded: dict[str, int] = field(default_factory=dict)
    floor_counts: dict[str, int] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.load_s / (self.parse_s + self.floor_s)

    @property
    def serial_ratio(self) -> float:
        return self.serial_s / (self.parse_s + self.floor_s)

    @property
    def us_per_placement(self) -> float:
        return self.load_s / max(1, self.parsed["placements"]) * 1e6

    @property
    def serial_us_per_placement(self) -> float:
        return self.serial_s / max(1, self.parsed["placements"]) * 1e6


@dataclass(slots=True)
class QueryTiming:
    """One common question: its SQL, median latency, rows returned and plan."""

    name: str
    sql: str
    params: tuple[object, ...]
    median_ms: float
    rows: int
    plan: list[str]


@dataclass(slots=True)
class Report:
    """The whole run: per-size results and the measurements taken at the largest size."""

    seed: int
    sizes: list[SizeResult] = field(default_factory=list)
    incremental: dict[str, object] = field(default_factory=dict)
    queries: list[QueryTiming] = field(default_factory=list)
    cli: list[tuple[str, float | None]] = field(default_factory=list)


# -- parse, load, floor ----------------------------------------------------------------------


def parse_all(paths: Sequence[Path]) -> tuple[float, dict[str, int]]:
    """Seconds to read and parse every document (one at a time), and the records found."""
    from loaders import parse_document
    from skating_db.documents import read_document
    from skating_db.gc_policy import fewer_collections

    counts = dict.fromkeys(("documents", "events", "races", "placements", "standings"), 0)
    counts["relay_members"] = 0
    seconds = 0.0
    with fewer_collections():  # the collector settings a load runs with
        for path in paths:
            start = time.perf_counter()
            parsed = parse_document(read_document(path).text)
            seconds += time.perf_counter() - start
            counts["documents"] += 1
            counts["events"] += len(parsed.events)
            counts["races"] += len(parsed.races)
            counts["placements"] += len(parsed.placements)
            counts["standings"] += len(parsed.standings)
            counts["relay_members"] += sum(
                len({m.name for m in p.members}) for p in parsed.placements
            )
    return seconds, counts


def corrections_file() -> Path:
    from skating_db import resources
    from skating_db.corrections import FILE_NAME

    return resources.seeds_dir() / FILE_NAME


def load_worker(db: Path, folder: Path, jobs: int | None = None) -> dict[str, object]:
    """In a child process: `build.load` every document of `folder` into `db`; time and RSS."""
    from skating_db import build
    from skating_db.corrections import load_corrections
    from skating_db.db import resolve_url

    paths = sorted(folder.glob("*.txt"))
    corrections = load_corrections(corrections_file())
    start = time.perf_counter()
    outcome = build.load(resolve_url(str(db)), paths, corrections, jobs=jobs)
    seconds = time.perf_counter() - start
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    parser_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "seconds": seconds,
        "rss_mb": rss_kb / 1024,
        "parser_rss_mb": parser_kb / 1024,
        "summary": outcome.summary,
    }


def load_in_child(db: Path, folder: Path, jobs: int | None = None) -> dict[str, float]:
    """Seconds of `build.load`, the child's peak RSS and its largest parser's, in MB."""
    cmd = [sys.executable, "-m", "bench.run", "--worker-load", str(db), str(folder)]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=_repo())
    if done.returncode != 0:
        raise RuntimeError(f"load failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {k: float(result[k]) for k in ("seconds", "rss_mb", "parser_rss_mb")}


def user_tables(conn: sqlite3.Connection) -> list[str]:
    """The data tables of a database, parents before children (the models' order)."""
    from skating_db.models import Base, is_mapped_name

    present = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name <> 'alembic_version'"
        )
        if is_mapped_name(r[0], "table")  # the search index is filled by triggers
    }
    ordered = [t.name for t in Base.metadata.sorted_tables if t.name in present]
    return ordered + sorted(present - set(ordered))


def table_counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {
            t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in user_tables(conn)
        }
    finally:
        conn.close()


def make_schema(db: Path) -> None:
    """A fresh database at head, made by the project's migration."""
    from skating_db.db import make_engine, resolve_url
    from skating_db.migrate import upgrade

    engine = make_engine(resolve_url(str(db)))
    try:
        with engine.connect() as conn, conn.begin():
            upgrade(conn)
    finally:
        engine.dispose()


def floor(source: Path, target: Path) -> float:
    """Seconds to write every row of `source` into a fresh `target` with executemany."""
    make_schema(target)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target, isolation_level=None)
    try:
        dst.execute("PRAGMA foreign_keys = ON")
        elapsed = 0.0
        start = time.perf_counter()
        dst.execute("BEGIN")
        elapsed += time.perf_counter() - start
        for table in user_tables(src):
            columns = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
            names = ", ".join(columns)
            rows = src.execute(f"SELECT {names} FROM {table}").fetchall()
            marks = ", ".join("?" for _ in columns)
            start = time.perf_counter()
            dst.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            elapsed += time.perf_counter() - start
            del rows
        start = time.perf_counter()
        dst.execute("COMMIT")
        return elapsed + time.perf_counter() - start
    finally:
        src.close()
        dst.close()


def run_size(target: int, seed: int, workdir: Path) -> SizeResult:
    """Generate a corpus of `target` placements and measure parse, load and floor."""
    folder = workdir / f"corpus-{target}"
    if folder.exists():
        shutil.rmtree(folder)
    paths = corpus.generate(target, seed, folder)
    size = sum(p.stat().st_size for p in paths) / 1e6
    db = workdir / f"load-{target}.db"
    floor_db = workdir / f"floor-{target}.db"
    for path in (db, floor_db):
        _remove_db(path)
    result = SizeResult(target, len(paths), size, db, folder)
    result.parse_s, result.parsed = parse_all(paths)
    serial_db = workdir / f"serial-{target}.db"
    _remove_db(serial_db)
    result.serial_s = load_in_child(serial_db, folder, jobs=1)["seconds"]
    _remove_db(serial_db)
    child = load_in_child(db, folder)
    result.load_s, result.load_rss_mb = child["seconds"], child["rss_mb"]
    result.parser_rss_mb = child["parser_rss_mb"]
    result.loaded = table_counts(db)
    result.floor_s = floor(db, floor_db)
    result.floor_counts = table_counts(floor_db)
    _remove_db(floor_db)
    return result


# -- incremental, queries, CLI ----------------------------------------------------------------


def incremental(result: SizeResult, workdir: Path) -> dict[str, object]:
    """Load one changed championship document into the loaded database; seconds and outcome."""
    from skating_db import build
    from skating_db.corrections import load_corrections
    from skating_db.db import resolve_url

    paths = sorted(result.corpus_dir.glob("*.txt"))
    wiki = [p for p in paths if '{| class="wikitable"' in p.read_text(encoding="utf-8")[:5000]]
    chosen = wiki[len(wiki) // 2] if wiki else paths[len(paths) // 2]
    changed_dir = workdir / "changed"
    changed_dir.mkdir(exist_ok=True)
    changed = changed_dir / chosen.name
    changed.write_text(corpus.mutate(chosen.read_text(encoding="utf-8")), encoding="utf-8")
    corrections = load_corrections(corrections_file())
    url = resolve_url(str(result.db))
    start = time.perf_counter()
    outcome = build.load(url, [changed], corrections)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    again = build.load(url, [changed], corrections)
    unchanged = time.perf_counter() - start
    return {
        "document": chosen.name,
        "kilobytes": round(chosen.stat().st_size / 1e3),
        "status": outcome.results[0].status,
        "seconds": seconds,
        "unchanged_status": again.results[0].status,
        "unchanged_seconds": unchanged,
        "placements_after": table_counts(result.db)["placements"],
    }


QUERIES = (
    (
        "athlete career (tables)",
        "SELECT s.name, e.name, r.gender, r.distance_m, r.race_no, p.rank, p.time_ms"
        " FROM placements p JOIN races r ON r.id = p.race_id JOIN events e ON e.id = r.event_id"
        " JOIN seasons s ON s.id = e.season_id WHERE p.athlete_id = ?"
        " ORDER BY s.start_year, r.race_date",
    ),
    (
        "athlete career (athlete_careers)",
        "SELECT * FROM athlete_careers WHERE athlete_id = ?",
    ),
    (
        "season medal table (medal_table)",
        "SELECT nation, SUM(gold) AS gold, SUM(silver) AS silver, SUM(bronze) AS bronze"
        " FROM medal_table WHERE start_year = ? GROUP BY nation"
        " ORDER BY gold DESC, silver DESC, bronze DESC",
    ),
    (
        "podiums of one event (podiums)",
        "SELECT gender, distance_m, race_no, rank, athlete, nation, time_ms FROM podiums"
        " WHERE event_id = ? AND rank <= 3 ORDER BY gender, distance_m, race_no, rank",
    ),
)


def query_parameters(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    """The busiest athlete (twice: tables, view), the latest season and the biggest event."""
    athlete = conn.execute(
        "SELECT athlete_id FROM placements WHERE athlete_id IS NOT NULL AND rank <= 3"
        " GROUP BY athlete_id ORDER BY COUNT(*) DESC LIMIT 1"
    ).fetchone()[0]
    season = conn.execute("SELECT MAX(start_year) FROM seasons").fetchone()[0]
    event = conn.execute(
        "SELECT r.event_id FROM placements p JOIN races r ON r.id = p.race_id"
        " GROUP BY r.event_id ORDER BY COUNT(*) DESC LIMIT 1"
    ).fetchone()[0]
    return [(athlete,), (athlete,), (season,), (event,)]


def time_queries(db: Path, repeats: int = 5) -> list[QueryTiming]:
    """Median latency of the three common questions, with their query plans."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        timings = []
        for (name, sql), params in zip(QUERIES, query_parameters(conn), strict=True):
            depth: dict[int, int] = {0: -1}
            plan = []
            for node, parent, _unused, detail in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params):
                depth[node] = depth.get(parent, -1) + 1
                plan.append("  " * depth[node] + detail)
            rows = len(conn.execute(sql, params).fetchall())
            samples = []
            for _ in range(repeats):
                start = time.perf_counter()
                conn.execute(sql, params).fetchall()
                samples.append(time.perf_counter() - start)
            timings.append(
                QueryTiming(name, sql, params, statistics.median(samples) * 1e3, rows, plan)
            )
        return timings
    finally:
        conn.close()


def cli_timings(db: Path, repeats: int = 5) -> list[tuple[str, float | None]]:
    """Median wall time of start-up commands (subprocesses), seconds; None when unavailable."""
    bindir = Path(sys.executable).parent
    skating = _tool(bindir, "skating-db")
    sqlite_utils = _tool(bindir, "sqlite-utils")
    commands: list[tuple[str, list[str] | None]] = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("skating-db --help", [skating, "--help"] if skating else None),
        (
            'skating-db query "select 1"',
            [skating, "query", "select 1", "--db", str(db)] if skating else None,
        ),
        (
            'sqlite-utils query DB "select 1"',
            [sqlite_utils, "query", str(db), "select 1"] if sqlite_utils else None,
        ),
    ]
    out: list[tuple[str, float | None]] = []
    for label, cmd in commands:
        if cmd is None:
            out.append((label, None))
            continue
        samples = []
        for _ in range(repeats + 1):
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            samples.append(time.perf_counter() - start)
        out.append((label, statistics.median(samples[1:])))
    return out


# -- report ----------------------------------------------------------------------------------


def render(report: Report) -> str:
    """The report as markdown tables."""
    lines = [
        "# skating-db benchmark",
        "",
        f"Machine: {platform.platform()}, {os.cpu_count()} CPU(s), Python"
        f" {platform.python_version()}, SQLite {sqlite3.sqlite_version}; seed {report.seed}.",
        f"`load` runs with the default `--jobs` ({default_jobs()}: the writer and"
        f" {max(default_jobs() - 1, 0)} parser process(es) when the documents add up to 1 MB);"
        " `load -j1` parses in the writer. Peak RSS is `ru_maxrss` of the process that runs"
        " `build.load` (interpreter and imports included), then of its largest parser process."
        " Parse-only runs with the collector settings a load uses.",
        "",
        "## Load from scratch",
        "",
        "| target | documents | MB | placements | parse s | load s | load -j1 s | floor s |"
        " load / (parse + floor) | µs / placement | peak RSS MB (writer / parser) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in report.sizes:
        lines.append(
            f"| {s.target:,} | {s.documents} | {s.megabytes:.1f} | {s.parsed['placements']:,} |"
            f" {s.parse_s:.2f} | {s.load_s:.2f} | {s.serial_s:.2f} | {s.floor_s:.2f} |"
            f" {s.ratio:.2f} | {s.us_per_placement:.1f} |"
            f" {s.load_rss_mb:.0f} / {s.parser_rss_mb:.0f} |"
        )
    lines += [
        "",
        "## Rows: parsed, loaded, floor",
        "",
        "| target | table | parsed | loaded | floor |",
        "|---:|---|---:|---:|---:|",
    ]
    for s in report.sizes:
        for table in sorted(s.loaded):
            parsed = s.parsed.get(table)
            lines.append(
                f"| {s.target:,} | {table} | {'' if parsed is None else f'{parsed:,}'} |"
                f" {s.loaded[table]:,} | {s.floor_counts.get(table, 0):,} |"
            )
    if report.incremental:
        inc = report.incremental
        lines += [
            "",
            f"## Incremental load (into the {report.sizes[-1].target:,} database)",
            "",
            "| document | KB | status | seconds | reload unchanged: status | seconds |",
            "|---|---:|---|---:|---|---:|",
            f"| {inc['document']} | {inc['kilobytes']} | {inc['status']} |"
            f" {float(str(inc['seconds'])):.3f} | {inc['unchanged_status']} |"
            f" {float(str(inc['unchanged_seconds'])):.3f} |",
        ]
    if report.queries:
        lines += [
            "",
            f"## Queries (on the {report.sizes[-1].target:,} database, median)",
            "",
            "| question | parameter | rows | ms |",
            "|---|---|---:|---:|",
        ]
        for q in report.queries:
            lines.append(f"| {q.name} | {q.params[0]} | {q.rows} | {q.median_ms:.2f} |")
        for q in report.queries:
            lines += ["", f"`{q.name}`: `{q.sql}`", "", "```", *q.plan, "```"]
    if report.cli:
        lines += ["", "## Command start-up (median wall time)", "", "| command | s |", "|---|---:|"]
        for label, seconds in report.cli:
            lines.append(f"| `{label}` | {'n/a' if seconds is None else f'{seconds:.3f}'} |")
    lines += ["", "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    lines += [f"| {t} | {m} | {ok} |" for t, m, ok in targets(report)]
    return "\n".join(lines) + "\n"


def targets(report: Report) -> list[tuple[str, str, str]]:
    """Each target of issue 5 with the measured value and whether it is met."""
    out: list[tuple[str, str, str]] = []

    def row(name: str, value: str, ok: bool) -> None:
        out.append((name, value, "yes" if ok else "**no**"))

    largest = report.sizes[-1]
    if largest.target >= 1_000_000:
        row("1 M placements loaded ≤ 20 s", f"{largest.load_s:.1f} s", largest.load_s <= 20)
        mb = largest.load_rss_mb + largest.parser_rss_mb
        row(
            "peak RSS ≤ 400 MB at 1 M (writer + parser)",
            f"{largest.load_rss_mb:.0f} + {largest.parser_rss_mb:.0f} MB",
            mb <= 400,
        )
    ratios: tuple[tuple[str, Callable[[SizeResult], float]], ...] = (
        ("load ≤ 2 x (parse + floor), every size", lambda s: s.ratio),
        ("the same with `load -j1` (parsing in the writer)", lambda s: s.serial_ratio),
    )
    for label, ratio_of in ratios:
        worst = max(report.sizes, key=ratio_of)
        row(label, f"worst {ratio_of(worst):.2f} at {worst.target:,}", ratio_of(worst) <= 2)
    if len(report.sizes) > 1:
        smallest = report.sizes[0]
        for label, first, last in (
            ("", smallest.us_per_placement, largest.us_per_placement),
            (" (`load -j1`)", smallest.serial_us_per_placement, largest.serial_us_per_placement),
        ):
            growth = last / first
            row(
                f"µs/placement {smallest.target:,} → {largest.target:,} grows ≤ 1.3x{label}",
                f"{growth:.2f}x",
                growth <= 1.3,
            )
    if report.incremental:
        seconds = float(str(report.incremental["seconds"]))
        row("incremental load of one document ≤ 1 s", f"{seconds:.2f} s", seconds <= 1)
    for q in report.queries:
        row(f"{q.name} ≤ 50 ms", f"{q.median_ms:.1f} ms", q.median_ms <= 50)
    cli = dict(report.cli)
    query, utils, helps = (
        cli.get('skating-db query "select 1"'),
        cli.get('sqlite-utils query DB "select 1"'),
        cli.get("skating-db --help"),
    )
    if query is not None and utils is not None:
        row(
            '`query "select 1"` ≤ 1.5 x sqlite-utils',
            f"{query / utils:.2f}x ({query:.3f} s vs {utils:.3f} s)",
            query <= 1.5 * utils,
        )
    if helps is not None:
        row("`--help` ≤ 0.2 s", f"{helps:.3f} s", helps <= 0.2)
    return out


def run(sizes: Sequence[int], seed: int, workdir: Path, repeats: int = 5) -> Report:
    """Measure every size, then the incremental load, queries and CLI at the largest."""
    report = Report(seed)
    for target in sizes:
        print(f"size {target:,}: generating, parsing, loading, floor…", file=sys.stderr)
        report.sizes.append(run_size(target, seed, workdir))
    largest = report.sizes[-1]
    report.queries = time_queries(largest.db, repeats)
    report.cli = cli_timings(largest.db, repeats)
    report.incremental = incremental(largest, workdir)
    return report


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: run the benchmark and print the report."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5, help="runs per timing (median)")
    parser.add_argument("--workdir", type=Path, help="keep corpora and databases here")
    parser.add_argument("--worker-load", nargs=2, metavar=("DB", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker_load:
        db, folder = args.worker_load
        print(json.dumps(load_worker(Path(db), Path(folder), args.jobs)))
        return
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    temp = None if args.workdir else tempfile.mkdtemp(prefix="skating-bench-")
    workdir = args.workdir or Path(str(temp))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        text = render(run(sizes, args.seed, workdir, args.repeats))
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.md").write_text(text, encoding="utf-8")


def _tool(bindir: Path, name: str) -> str | None:
    candidate = bindir / name
    return str(candidate) if candidate.exists() else shutil.which(name)


def _repo() -> Path:
    return Path(__file__).resolve().parent.parent


def _remove_db(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
