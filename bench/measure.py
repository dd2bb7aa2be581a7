"""SQLite measurements: parse only, `build.load` in a child process, the executemany floor."""

from __future__ import annotations

import json
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(slots=True)
class QueryTiming:
    """One common question: its SQL, median latency, rows returned and plan."""

    name: str
    sql: str
    params: tuple[object, ...]
    median_ms: float
    rows: int
    plan: list[str]


def parse_all(paths: Sequence[Path]) -> tuple[float, dict[str, int]]:
    """Seconds to read and parse every document (one at a time), and the records found."""
    from skating_db.documents import read_document
    from skating_db.gc_policy import fewer_collections
    from skating_db.loaders import parse_document

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


def load_worker(target: str, folder: Path, jobs: int | None = None) -> dict[str, object]:
    """In a child process: `build.load` every document of `folder` into `target`; time, RSS."""
    from skating_db import build
    from skating_db.corrections import load_corrections
    from skating_db.db import resolve_url

    paths = sorted(folder.glob("*.txt"))
    corrections = load_corrections(corrections_file())
    start = time.perf_counter()
    outcome = build.load(resolve_url(target), paths, corrections, jobs=jobs)
    seconds = time.perf_counter() - start
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    parser_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "seconds": seconds,
        "rss_mb": rss_kb / 1024,
        "parser_rss_mb": parser_kb / 1024,
        "summary": outcome.summary,
    }


def load_in_child(target: str, folder: Path, jobs: int | None = None) -> dict[str, float]:
    """Seconds of `build.load` of `folder` into `target` (a path or URL), the child's peak
    RSS and its largest parser's, in MB."""
    cmd = [sys.executable, "-m", "bench.run", "--worker-load", target, str(folder)]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=repo())
    if done.returncode != 0:
        raise RuntimeError(f"load failed:\n{done.stderr}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {k: float(result[k]) for k in ("seconds", "rss_mb", "parser_rss_mb")}


def user_tables(conn: sqlite3.Connection) -> list[str]:
    """The data tables of a database, parents before children (the models' order)."""
    return in_model_order(
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name <> 'alembic_version'"
        )
    )


def in_model_order(names: Iterable[str]) -> list[str]:
    """Data tables among `names`, parents before children; the search index (filled by its
    triggers) is left out."""
    from skating_db.models import Base, is_mapped_name

    present = {name for name in names if is_mapped_name(name, "table")}
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


def make_schema(db: Path | str) -> None:
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


def repo() -> Path:
    return Path(__file__).resolve().parent.parent


def remove_db(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def profile_parse(paths: Sequence[Path], top: int = 12) -> list[str]:
    """The functions parsing spends its time in (cProfile, by own time), as table rows."""
    import cProfile
    import pstats

    from skating_db.documents import read_document
    from skating_db.loaders import parse_document

    texts = [read_document(p).text for p in paths]
    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts:
        parse_document(text)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    rows = []
    entries = stats.stats.items()  # type: ignore[attr-defined]
    for (file, line, name), (_cc, calls, own, cumulative, _callers) in sorted(
        entries, key=lambda item: item[1][2], reverse=True
    )[:top]:
        where = f"{Path(file).parent.name}/{Path(file).name}:{line}" if line else file
        rows.append(
            f"| `{name}` | {where} | {calls:,} | {own:.2f} | {own / total:.0%} | {cumulative:.2f} |"
        )
    return rows
