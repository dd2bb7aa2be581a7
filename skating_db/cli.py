"""The `skating-db` command line: thin click commands over build, query and check.

Heavy modules (SQLAlchemy, Alembic, the loaders) are imported inside the
commands, so `skating-db --help` starts fast.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

import click

DB_HELP = "Database: a file path (SQLite) or a URL. Default: $SKATING_DB_URL, else ./skating.db."


class _Group(click.Group):
    """Turns every expected failure into one sentence on stderr and a non-zero exit."""

    def invoke(self, ctx: click.Context) -> Any:
        from skating_db.errors import UserError

        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except UserError as exc:
            _fail(str(exc))
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                _fail_unexpected(exc)
            _quiet_exit()
        except KeyboardInterrupt:
            _fail("interrupted; the database is as it was before.", status=130)
        except Exception as exc:
            _fail_unexpected(exc)


def _fail(message: str, status: int = 1) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(status)


def _quiet_exit() -> NoReturn:
    """The reader of our output went away (`| head`): the work is done, so exit quietly."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


def _fail_unexpected(exc: Exception) -> NoReturn:
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    if isinstance(exc, DBAPIError):
        from skating_db.connections import first_line

        _fail(f"the database refused the operation: {first_line(exc)}.")
    if isinstance(exc, SQLAlchemyError):
        _fail(f"the database layer failed: {exc}.")
    if isinstance(exc, OSError):
        _fail(f"{exc.filename or 'a file'}: {exc.strerror or exc}.")
    _fail(f"unexpected {type(exc).__name__}: {exc}. Please report this with the command you ran.")


def _terminate(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


db_option = click.option("--db", "db", metavar="PATH_OR_URL", help=DB_HELP)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="skating-db")
def cli() -> None:
    """skating-db: short-track speed skating results as one clean SQL database.

    \b
    Example:
      skating-db rebuild
      skating-db query "select * from podiums limit 5"
    """


jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes at work, the writer included: with N > 1, N-1 of them parse documents"
    " while the database is written (when the documents add up to 1 MB or more)."
    " Default: the number of CPUs. 1: parse in the writer, one document at a time.",
)


def _capped(jobs: int | None) -> int | None:
    """`-j` above the CPU count is that count, with a one-line notice on stderr."""
    from skating_db.pipeline import default_jobs

    cpus = default_jobs()
    if jobs is not None and jobs > cpus:
        click.echo(f"Note: -j {jobs} is more than the {cpus} CPU(s) here; using {cpus}.", err=True)
        return cpus
    return jobs


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[object], None] | None]:
    """A progress bar on stderr while both outputs are a terminal; silence otherwise."""
    if not (sys.stderr.isatty() and sys.stdout.isatty()):
        yield None
        return
    with click.progressbar(length=total, label="Loading", file=sys.stderr) as bar:
        yield lambda _batch: bar.update(1)


force_option = click.option(
    "--force",
    is_flag=True,
    help="Replace the file even if it is not a skating-db database of this version.",
)


@cli.command()
@click.option(
    "--seeds",
    type=click.Path(path_type=Path, readable=False),
    help="Folder of documents to load. Default: the seed documents shipped with skating-db.",
)
@db_option
@jobs_option
@force_option
def rebuild(seeds: Path | None, db: str | None, jobs: int | None, force: bool) -> None:
    """Build a fresh database from every document in a folder.

    The old database is replaced only when the new one is complete, and only if it is
    empty or a skating-db database of this version (else pass --force).

    \b
    Example:
      skating-db rebuild --seeds ./seeds --db results.db
    """
    from skating_db import build, resources
    from skating_db.db import resolve_url
    from skating_db.documents import seed_paths

    url = resolve_url(db)
    folder = seeds if seeds is not None else resources.seeds_dir()
    jobs = _capped(jobs)
    with _progress(len(seed_paths(folder))) as progress:
        outcome = build.rebuild(url, folder, progress, jobs=jobs, force=force)
    click.echo(f"Built {_where(url)} from {folder}")
    _print_summary(outcome.summary)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@db_option
@click.option("--dry-run", is_flag=True, help="Run the whole load, then roll it back.")
@click.option(
    "--corrections",
    type=click.Path(path_type=Path, readable=False),
    help="Identity corrections file. Default: corrections.toml beside the first file, else the"
    " shipped one.",
)
@jobs_option
def load(
    files: tuple[Path, ...],
    db: str | None,
    dry_run: bool,
    corrections: Path | None,
    jobs: int | None,
) -> None:
    """Add or update documents in a database (migrated to head first).

    Loading the same document again changes nothing; a changed document
    replaces exactly the facts that came from it. All files load in one
    transaction: if one fails, none is written.

    \b
    Example:
      skating-db load seeds/001_31e08c3cd8efef29.txt --db results.db --dry-run
    """
    from skating_db import resources
    from skating_db.corrections import FILE_NAME, load_corrections

    if corrections is not None:
        chosen = load_corrections(corrections, required=True)
    else:
        beside = files[0].parent / FILE_NAME
        chosen = load_corrections(beside if beside.is_file() else resources.seeds_dir() / FILE_NAME)
    if not dry_run and _all_unchanged(db, files):
        return
    from skating_db import build
    from skating_db.db import resolve_url

    url = resolve_url(db)
    jobs = _capped(jobs)
    with _progress(len(files)) as progress:
        outcome = build.load(
            url, list(files), chosen, dry_run=dry_run, jobs=jobs, progress=progress
        )
    for result in outcome.results:
        details = ", ".join(f"{v} {k}" for k, v in result.counts.items() if v)
        click.echo(f"{result.source}: {result.status}" + (f" ({details})" if details else ""))
    if dry_run:
        click.echo("Dry run: rolled back, nothing was written. The database would hold:")
    _print_summary(outcome.summary)


def _all_unchanged(db: str | None, files: tuple[Path, ...]) -> bool:
    """Answer a load of documents a SQLite file holds already, byte for byte, without
    importing the database layer or the parsers; False when there is work to do."""
    from skating_db.unchanged import all_unchanged
    from skating_db.where import location

    if db is not None and not db.strip():
        return False  # resolve_url says what is wrong
    found = all_unchanged(location(db), files)
    if found is None:
        return False
    for name in found.names:
        click.echo(f"{name}: unchanged")
    _print_summary(found.summary)
    return True


@cli.command()
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
    if timeout != timeout:  # nan passes FloatRange
        _fail("--timeout must be a number of seconds (0: no limit).", status=2)
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
                f"standard input: the SQL text is not valid UTF-8 (byte {exc.start})."
            ) from exc
    try:
        sql.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UserError(f"the SQL text is not valid UTF-8 (character {exc.start}).") from exc
    if is_empty_sql(sql):  # blanks, `;` and comments only
        raise UserError("the SQL text is empty; give one statement.")
    return sql


def _quiet_broken_pipe(write: bool) -> NoReturn:
    """The reader of our output went away (`| head`): stop quietly; a write is rolled back."""
    import os

    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if write:
        _fail("the output was closed before the end; the statement was rolled back.")
    sys.exit(0)


@cli.command()
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


@cli.command()
@click.argument("revision", required=False)
@db_option
@click.option("--down", is_flag=True, help="Downgrade to REVISION (required) instead.")
def migrate(revision: str | None, db: str | None, down: bool) -> None:
    """Upgrade an existing database to REVISION (default: head), or downgrade with --down.

    \b
    Example:
      skating-db migrate --db results.db
      skating-db migrate base --down --db results.db
    """
    from skating_db.admin import migrate_database
    from skating_db.db import resolve_url

    before, after = migrate_database(resolve_url(db), revision, down=down)
    click.echo(f"Migrated from {before or 'empty'} to {after or 'empty'}.")


@cli.command()
@db_option
@click.option(
    "--full", is_flag=True, help="Run the full integrity_check (slower) instead of quick_check."
)
def check(db: str | None, full: bool) -> None:
    """Verify a database: its storage, schema at head, foreign keys, orphans, the podiums view.

    Exits non-zero and says what is wrong when a check fails.

    \b
    Example:
      skating-db check --db results.db
    """
    from skating_db.admin import check_database
    from skating_db.db import resolve_url

    notes: list[str] = []
    warnings: list[str] = []
    problems = check_database(resolve_url(db), full=full, notes=notes, warnings=warnings)
    for note in notes:
        click.echo(f"NOTE {note}")
    for warning in warnings:
        click.echo(f"WARN {warning}")
    if problems:
        for problem in problems:
            click.echo(f"FAIL {problem}")
        _fail(f"{len(problems)} check(s) failed.")
    click.echo(
        "OK: storage sound, schema at head, foreign keys hold, no orphans, podiums consistent."
    )


@cli.command()
@click.argument("text")
@db_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@format_option
def search(text: str, db: str | None, limit: int, fmt: str) -> None:
    """Find athletes by name or any alias; case and diacritics do not matter.

    \b
    Example:
      skating-db search bedard
      skating-db search "lee seung" --format json
    """
    from skating_db.db import resolve_url
    from skating_db.output import render
    from skating_db.search import COLUMNS, search_athletes

    hits = search_athletes(resolve_url(db), text, limit)
    rows = [(h.id, h.name, h.nation, h.gender, h.matched) for h in hits]
    click.echo(render(COLUMNS, rows, fmt), nl=False)


def _where(url: str) -> str:
    from skating_db.connections import display_name

    return display_name(url)


def _print_summary(summary: dict[str, int]) -> None:
    click.echo(", ".join(f"{n} {label}" for label, n in summary.items()))


def main() -> None:
    """Console entry point: SIGTERM ends a command like Ctrl-C, cleanly."""
    signal.signal(signal.SIGTERM, _terminate)
    if sys.stdout is None:  # started with standard output closed (>&-): refuse before any work
        _fail("standard output is closed; give the command one (> /dev/null to discard it).")
    cli(prog_name="skating-db")


@cli.command()
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
    from skating_db.db import resolve_url
    from skating_db.export import export_database

    notes: list[str] = []
    written = export_database(resolve_url(db), folder, fmt, force=force, notes=notes)
    for note in notes:
        click.echo(f"Note: {note}", err=True)
    click.echo(f"Wrote {len(written)} files into {folder}")


@cli.command()
@db_option
def metadata(db: str | None) -> None:
    """Print Datasette metadata (titles, licences, descriptions, labels, canned queries).

    `rebuild` writes the same file as metadata.json beside a SQLite database.

    \b
    Example:
      skating-db metadata > metadata.json && datasette skating.db -m metadata.json
    """
    from skating_db.db import resolve_url
    from skating_db.metadata import metadata_text

    click.echo(metadata_text(resolve_url(db)), nl=False)
