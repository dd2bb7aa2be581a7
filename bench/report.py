"""The benchmark report as markdown: measured tables, then every target with met / not met."""

from __future__ import annotations

import os
import platform
import sqlite3
from collections.abc import Callable
from pathlib import Path

from bench.run import Report, SizeResult

Row = tuple[str, str, str, str]  # what, measured, target, met


def machine() -> str:
    return (
        f"{platform.platform()}, nproc {os.cpu_count()}, Python {platform.python_version()},"
        f" SQLite {sqlite3.sqlite_version}"
    )


def _f(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}" if value else "–"


def intro(report: Report) -> list[str]:
    largest = report.sizes[-1]
    heats = sum(n for r, n in largest.rounds.items() if r != "final")
    share = f"{heats / max(1, sum(largest.rounds.values())):.0%}" if largest.rounds else "–"
    return [
        "# skating-db benchmark",
        "",
        f"Machine: {machine()}; seed {report.seed}. The cores are shared with other"
        " agents working at the same time, so every figure is noisy: on the 2-core machine"
        " these figures come from, two runs an hour apart differed by up to 2x (parse-only"
        " growth 10 k → 1 M read 1.78x in one and 0.58x in the next). All rows of a report"
        " come from one run, so its ratios compare like with like.",
        f"Corpus families: {', '.join(report.families)}. At {largest.target:,}, {share} of"
        " the placements are in rounds other than the final (heats, quarterfinals,"
        " semifinals, Final B).",
        "`load` runs with the default `--jobs` (the writer and a parser for each CPU the load"
        " average leaves idle, chosen when the load starts); `load -j1` parses in the writer."
        " Peak RSS is `ru_maxrss` of the process that runs `build.load` (imports"
        " included), then of its largest parser process.",
    ]


def sqlite_table(report: Report) -> list[str]:
    lines = [
        "",
        "## Load from scratch (SQLite)",
        "",
        "| target | documents | MB | placements | parse s | parse µs / placement | load s |"
        " load -j1 s | floor s | load / floor | load µs / placement | peak RSS MB"
        " (writer / parser) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in report.sizes:
        lines.append(
            f"| {s.target:,} | {s.documents} | {s.megabytes:.1f} | {s.count:,} |"
            f" {_f(s.parse_s)} | {_f(s.per_placement_us(s.parse_s), 1)} | {_f(s.load_s)} |"
            f" {_f(s.serial_s)} | {_f(s.floor_s)} |"
            f" {_f(s.load_s / s.floor_s if s.floor_s else 0)} |"
            f" {_f(s.per_placement_us(s.load_s), 1)} |"
            f" {s.load_rss_mb:.0f} / {s.parser_rss_mb:.0f} |"
        )
    largest = report.sizes[-1]
    if largest.rounds:
        lines += ["", f"Placements by round at {largest.target:,}: "]
        lines[-1] += ", ".join(f"{r} {n:,}" for r, n in largest.rounds.items()) + "."
    return lines + rows_table(report)


def rows_table(report: Report) -> list[str]:
    """Rows parsed, loaded and in the floor, per table and size."""
    lines: list[str] = []
    kept = "; ".join(
        f"{s.target:,}: {s.placements:,} written, {s.loaded['placements']:,} loaded"
        for s in report.sizes
        if s.loaded
    )
    if kept:
        lines += [
            "",
            f"Placements the generator wrote and the database holds ({kept}); the parsed"
            " count is higher because a championship's Final A is attested twice (event page"
            " and classification), which is one placement.",
        ]
    lines += ["", "| target | table | parsed | loaded | floor |", "|---:|---|---:|---:|---:|"]
    for s in report.sizes:
        for table in sorted(s.loaded):
            parsed = s.parsed.get(table)
            lines.append(
                f"| {s.target:,} | {table} | {'' if parsed is None else f'{parsed:,}'} |"
                f" {s.loaded[table]:,} | {s.floor_counts.get(table, 0):,} |"
            )
    return lines


def postgres_table(report: Report) -> list[str]:
    lines = ["", "## PostgreSQL", ""]
    pg = report.postgres
    if pg is None:
        why = report.postgres_note or "not requested (`--backends`/`--sections`)"
        return [*lines, f"Not measured: {why}."]
    sqlite = next((s for s in report.sizes if s.target == pg.target), None)
    sqlite_s = sqlite.load_s if sqlite else 0.0
    same = "yes" if pg.loaded == pg.floor_counts else "**no**"
    return [
        *lines,
        "`COPY` floor: psycopg 3 `cursor.copy` of the loaded rows into a fresh database at"
        " head, one transaction. Both databases are scratch databases, dropped after the run.",
        "",
        "| target | placements | SQLite load s | PostgreSQL load s | PostgreSQL / SQLite |"
        " COPY floor s | load / floor | same rows in floor |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
        f"| {pg.target:,} | {pg.loaded.get('placements', 0):,} | {_f(sqlite_s)} |"
        f" {_f(pg.load_s)} | {_f(pg.load_s / sqlite_s if sqlite_s else 0)} |"
        f" {_f(pg.floor_s)} | {_f(pg.load_s / pg.floor_s if pg.floor_s else 0)} | {same} |",
    ]


def cli_tables(report: Report) -> list[str]:
    return incremental_table(report) + queries_table(report) + startup_tables(report)


def incremental_table(report: Report) -> list[str]:
    lines: list[str] = []
    largest = report.sizes[-1].target
    cmds = report.commands
    if cmds.incremental:
        lines += [
            "",
            f"## `skating-db load` of one document into the {largest:,} database (CLI)",
            "",
            "| document | status | s (median) | note |",
            "|---|---|---:|---|",
        ]
        lines += [
            f"| {t.label} | {t.status} | {_f(t.seconds or 0, 3)} | {t.note} |"
            for t in cmds.incremental
        ]
    return lines


def queries_table(report: Report) -> list[str]:
    lines: list[str] = []
    largest = report.sizes[-1].target
    if report.queries:
        lines += [
            "",
            f"## Queries (on the {largest:,} database, median)",
            "",
            "| question | parameter | rows | ms |",
            "|---|---|---:|---:|",
        ]
        for q in report.queries:
            lines.append(f"| {q.name} | {q.params[0]} | {q.rows} | {q.median_ms:.2f} |")
        for q in report.queries:
            lines += ["", f"`{q.name}`: `{q.sql}`", "", "```", *q.plan, "```"]
    return lines


def startup_tables(report: Report) -> list[str]:
    lines: list[str] = []
    largest = report.sizes[-1].target
    cmds = report.commands
    if cmds.startup:
        lines += ["", "## Command start-up (median wall time, one run)", ""]
        lines += ["| command | s | note |", "|---|---:|---|"]
        for t in cmds.startup:
            value = "n/a" if t.seconds is None else f"{t.seconds:.3f}"
            lines.append(f"| `{t.label}` | {value} | {t.note} |")
    if cmds.rss:
        lines += ["", f"## Peak RSS of commands (on the {largest:,} database)", ""]
        lines += ["| command | MB | note |", "|---|---:|---|"]
        for label, mb, note in cmds.rss:
            lines.append(f"| `{label}` | {'n/a' if mb is None else f'{mb:.0f}'} | {note} |")
    return lines


def profile_table(report: Report) -> list[str]:
    profile: list[str] = getattr(report, "profile", [])  # reports saved before it existed
    if not profile:
        return []
    return [
        "",
        f"## Where parsing spends its time (cProfile, the {report.sizes[0].target:,} corpus)",
        "",
        "| function | where | calls | own s | share | cumulative s |",
        "|---|---|---:|---:|---:|---:|",
        *profile,
    ]


def render(report: Report) -> str:
    """The report as markdown tables."""
    lines = intro(report) + sqlite_table(report) + postgres_table(report) + cli_tables(report)
    lines += profile_table(report)
    lines += ["", "## Targets", "", "| what | measured | target | met |", "|---|---|---|---|"]
    lines += [f"| {what} | {got} | {want} | {ok} |" for what, got, want, ok in targets(report)]
    return "\n".join(lines) + "\n"


def targets(report: Report) -> list[Row]:
    """Each target of issue 15 (and the earlier ones) with the measured value; met or not."""
    out: list[Row] = []

    def row(what: str, got: str, want: str, ok: bool | None) -> None:
        verdict = "not measured" if ok is None else "met" if ok else "**not met**"
        out.append((what, got, want, "–" if want == "–" else verdict))

    largest = report.sizes[-1]
    at = f"{largest.target:,}"
    ratio = largest.load_s / largest.floor_s if largest.floor_s and largest.load_s else None
    row(f"load / SQLite floor, {at}, default -j", _x(ratio), "≤ 2.0x", _le(ratio, 2.0))
    parse = largest.per_placement_us(largest.parse_s) if largest.parse_s else None
    row(f"parse µs / placement, one process, {at}", _n(parse, " µs"), "≤ 10 µs", _le(parse, 10))
    _postgres_targets(report, row)
    _command_targets(report, row)
    _growth_targets(report, row)
    for q in report.queries:
        row(f"{q.name}, {at}", f"{q.median_ms:.1f} ms", "≤ 50 ms", q.median_ms <= 50)
    if largest.load_rss_mb:
        mb = largest.load_rss_mb + largest.parser_rss_mb
        row(f"peak RSS writer + parser, {at}", f"{mb:.0f} MB", "≤ 400 MB", mb <= 400)
    return out


Add = Callable[[str, str, str, bool | None], None]


def _postgres_targets(report: Report, row: Add) -> None:
    pg = report.postgres
    sqlite = next((s for s in report.sizes if pg and s.target == pg.target), None)
    at = f"{pg.target:,}" if pg else "100 k"
    vs_sqlite = pg.load_s / sqlite.load_s if pg and sqlite and sqlite.load_s else None
    vs_floor = pg.load_s / pg.floor_s if pg and pg.floor_s else None
    row(f"PostgreSQL load / SQLite load, {at}", _x(vs_sqlite), "≤ 1.3x", _le(vs_sqlite, 1.3))
    row(f"PostgreSQL load / COPY floor, {at}", _x(vs_floor), "≤ 1.5x", _le(vs_floor, 1.5))


def _command_targets(report: Report, row: Add) -> None:
    at = f"{report.sizes[-1].target:,}"
    inc = {t.label: t.seconds for t in report.commands.incremental}
    for label, limit in (("unchanged", 0.25), ("changed", 0.5)):
        got = inc.get(label)
        row(
            f"`skating-db load` of one {label} document, {at}",
            _n(got, " s"),
            f"≤ {limit} s",
            _le(got, limit),
        )
    cli = {t.label: t.seconds for t in report.commands.startup}
    query, utils = (
        cli.get('skating-db query "select 1"'),
        cli.get('sqlite-utils query DB "select 1"'),
    )
    shell = cli.get('sqlite3 DB "select 1"')
    row('`skating-db query "select 1"`', _n(query, " s"), "≤ 0.15 s", _le(query, 0.15))
    rel = query / utils if query and utils else None
    row('`query "select 1"` / `sqlite-utils query`', _x(rel), "≤ 0.3x", _le(rel, 0.3))
    rel_shell = query / shell if query and shell else None
    row(
        '`query "select 1"` / `sqlite3` shell (for scale)',
        _x(rel_shell),
        "–",
        None if rel_shell is None else True,
    )
    helps = cli.get("skating-db --help")
    row("`skating-db --help`", _n(helps, " s"), "≤ 0.05 s", _le(helps, 0.05))


def _growth_targets(report: Report, row: Add) -> None:
    if len(report.sizes) < 2:
        row("µs / placement growth, smallest → largest", "one size only", "≤ 1.3x", None)
        return
    first, last = report.sizes[0], report.sizes[-1]
    span = f"{first.target:,} → {last.target:,}"
    rows: tuple[tuple[str, Callable[[SizeResult], float]], ...] = (
        ("load", lambda s: s.load_s),
        ("load -j1", lambda s: s.serial_s),
        ("parse", lambda s: s.parse_s),
    )
    for label, seconds in rows:
        a, b = seconds(first), seconds(last)
        growth = (b / last.count) / (a / first.count) if a and b else None
        row(f"{label} µs / placement growth, {span}", _x(growth), "≤ 1.3x", _le(growth, 1.3))


def _le(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}x"


def _n(value: float | None, unit: str) -> str:
    return "–" if value is None else f"{value:.3g}{unit}"


def performance_section(report: Report) -> str:
    """The README's "Performance" section: how to run it, then the report's main tables."""
    body = sqlite_table(report)
    body = body[: body.index("| target | table | parsed | loaded | floor |") - 1]
    lines = [
        "## Performance",
        "",
        "`make bench` (or `python -m bench.run --sizes 10000,100000` for a quick run;"
        " `--backends postgresql` for PostgreSQL only, `--sections`, `--quick`) generates a"
        " deterministic synthetic corpus (World Cup seasons, championships, and event pages"
        " with heats), loads it through the same function the CLI uses, and compares that"
        " with the floors: the same final rows written by `sqlite3.executemany`, and by"
        " PostgreSQL `COPY`, into the same schema in one transaction. The report goes to"
        " `bench/results/latest.md`; this section is generated from it"
        " (`python -m bench.run … --readme README.md`).",
        "",
        *intro(report)[2:],
        *[line.replace("## ", "### ", 1) for line in body],
        *[line.replace("## ", "### ", 1) for line in postgres_table(report)],
        *[line.replace("## ", "### ", 1) for line in incremental_table(report)],
        *[line.replace("## ", "### ", 1) for line in startup_tables(report)],
        "",
        "### Targets",
        "",
        "| what | measured | target | met |",
        "|---|---|---|---|",
        *[f"| {what} | {got} | {want} | {ok} |" for what, got, want, ok in targets(report)],
    ]
    return "\n".join(lines) + "\n"


def update_readme(readme: Path, report: Report) -> None:
    """Replace the README's "## Performance" section (up to the next `## `) with the report."""
    text = readme.read_text(encoding="utf-8")
    start = text.index("## Performance\n")
    end = text.find("\n## ", start + 1)
    tail = text[end + 1 :] if end >= 0 else ""
    readme.write_text(text[:start] + performance_section(report) + "\n" + tail, encoding="utf-8")
