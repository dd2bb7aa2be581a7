"""Commands that read a database: `query`, `issues`, `search`, `export` and `metadata`.

`query` on a SQLite file imports no SQLAlchemy (see skating_db.query), so nothing here
imports it at module level.
"""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from skating_db.commands.options import db_option, format_option


@click.command()
@click.argument("sql")
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "ndjson"]),
    default="table",
    show_default=True,
    help="Output format. JSON and NDJSON write inf and nan as null, booleans as true/false.",
)
@click.option(
    "--param",
    "params",
    nargs=2,
    multiple=True,
    metavar="NAME VALUE",
    help="A value for the parameter :NAME in the SQL (as text; repeatable).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    default=60.0,
    show_default=True,
    callback=lambda _ctx, _param, value: _a_number(value),
    help="Stop the statement after this many seconds in the database (0: no limit).",
)
@click.option("--write", is_flag=True, help="Allow statements that change the database.")
def query(
    sql: str,
    db: str | None,
    fmt: str,
    params: tuple[tuple[str, str], ...],
    timeout: float,
    write: bool,
) -> None:
    """Run one SQL statement (- reads it from stdin); read-only unless --write is given.

    Rows are written as they are fetched. The table takes its column widths from
    the first 1000 rows.

    \b
    Example:
      skating-db query "select season, event, athlete from podiums where rank = 1 limit 5"
      skating-db query "select * from podiums where nation = :n" --param n KOR --format json
      echo "select * from medal_table" | skating-db query - --format csv
    """
    from skating_db.output import distinct_names, write_rows
    from skating_db.query import parameters, stream_query

    statement = _sql_text(sql)
    try:
        with stream_query(
            db, statement, params=parameters(params), write=write, timeout=timeout
        ) as stream:
            renamed = distinct_names(stream.columns)
            if fmt in ("json", "ndjson") and renamed != stream.columns:
                click.echo(f"Note: repeated column names, keyed {', '.join(renamed)}.", err=True)
            write_rows(sys.stdout, stream.columns, stream.batches, fmt)
            sys.stdout.flush()
            changed = stream.rows_changed()
    except BrokenPipeError:
        _quiet_broken_pipe(write)
    if write and changed is not None:
        click.echo(f"{changed} row{'' if changed == 1 else 's'} changed.", err=True)


def _a_number(seconds: float) -> float:
    """`--timeout nan` passes click's FloatRange; it is refused the way click refuses -1."""
    if seconds != seconds:
        raise click.BadParameter("nan is not a number of seconds (0: no limit).")
    return seconds


def _sql_text(sql: str) -> str:
    """The statement: the argument, or stdin for `-`; text that is not UTF-8 is refused."""
    from skating_db.errors import UserError
    from skating_db.query import is_empty_sql

    if sql == "-":
        data = sys.stdin.buffer.read()
        try:
            sql = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UserError(
                f"Standard input: the SQL text is not valid UTF-8 (byte {exc.start})."
            ) from exc
    try:
        sql.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UserError(f"The SQL text is not valid UTF-8 (character {exc.start}).") from exc
    if is_empty_sql(sql):  # blanks, `;` and comments only
        raise UserError("The SQL text is empty; give one statement.")
    return sql


def _quiet_broken_pipe(write: bool) -> NoReturn:
    """The reader of our output went away (`| head`): stop quietly; a write is rolled back."""
    import os

    from skating_db.errors import UserError

    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if write:
        raise UserError("The output was closed before the end; the statement was rolled back.")
    sys.exit(0)


@click.command()
@db_option
@click.option("--source", help="Only issues of this document (its file name).")
@click.option(
    "--severity",
    type=click.Choice(["info", "warning", "error"]),
    help="Only issues of this severity or worse.",
)
@format_option
def issues(db: str | None, source: str | None, severity: str | None, fmt: str) -> None:
    """Print the data-quality report: what the loaders repaired, guessed or skipped.

    \b
    Example:
      skating-db issues --severity warning
      skating-db issues --source 002_3564ec39acb5fb71.txt
    """
    from skating_db.db import resolve_url
    from skating_db.output import render
    from skating_db.report import issue_report

    report = issue_report(resolve_url(db), source=source, severity=severity)
    click.echo(render(report.columns, report.rows, fmt), nl=False)
    if fmt == "table":
        counts = ", ".join(f"{n} {s}" for s, n in report.by_severity.items())
        click.echo(f"{len(report.rows)} issues" + (f" ({counts})" if counts else ""))


@click.command()
@click.argument("text")
@db_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@format_option
def search(text: str, db: str | None, limit: int, fmt: str) -> None:
    """Find athletes by name or any alias; case and diacritics do not matter.

    No hit is an answer, not an error: the table says no athlete matches, csv and json
    give no rows, and the exit status is 0.

    \b
    Example:
      skating-db search bedard
      skating-db search "lee seung" --format json
    """
    from skating_db.db import resolve_url
    from skating_db.output import render
    from skating_db.search import COLUMNS, search_athletes

    hits = search_athletes(resolve_url(db), text, limit)
    if not hits and fmt == "table":
        click.echo(f"No athlete matches {text!r} (by name or alias).")
        return
    rows = [(h.id, h.name, h.nation, h.gender, h.matched) for h in hits]
    click.echo(render(COLUMNS, rows, fmt), nl=False)


@click.command()
@click.argument("folder", type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "ndjson", "sql"]),
    default="csv",
    show_default=True,
    help="One file per table and view (csv, json, ndjson), or one PostgreSQL dump (sql).",
)
@db_option
@click.option("--force", is_flag=True, help="Replace files of the same names already in FOLDER.")
def export(folder: str, fmt: str, db: str | None, force: bool) -> None:
    """Write skating-db's tables and views into FOLDER, with a Frictionless datapackage.json.

    The same database always gives the same bytes; memory stays flat whatever its size.
    The sql format loads into an empty PostgreSQL database with psql -f. Tables, views and
    columns that are not part of the data model are not exported (a note names them).

    \b
    Example:
      skating-db export out/ --format csv
      skating-db export dump/ --format sql && psql -d skating -f dump/skating-db.sql
    """
    from skating_db.commands.failures import reporting_written
    from skating_db.db import resolve_url
    from skating_db.export import export_database

    notes: list[str] = []
    written = export_database(resolve_url(db), folder, fmt, force=force, notes=notes)
    with reporting_written(f"{len(written)} files were written into {folder}"):
        for note in notes:
            click.echo(f"Note: {note}", err=True)
        click.echo(f"Wrote {len(written)} files into {folder}")


@click.command()
@db_option
def metadata(db: str | None) -> None:
    """Print Datasette metadata (titles, licences, descriptions, labels, canned queries).

    `rebuild` writes the same file beside a SQLite database, named after it:
    skating.metadata.json for skating.db.

    \b
    Example:
      skating-db metadata --db skating.db > skating.metadata.json
      datasette skating.db -m skating.metadata.json
    """
    from skating_db.db import resolve_url
    from skating_db.metadata import metadata_text

    click.echo(metadata_text(resolve_url(db)), nl=False)
