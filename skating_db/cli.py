"""The `skating-db` command line: thin click commands over build, query and check.

Heavy modules (SQLAlchemy, Alembic, the loaders) are imported inside the
commands, so `skating-db --help` starts fast.
"""

from __future__ import annotations

import signal
import sys
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
        except KeyboardInterrupt:
            _fail("interrupted; the database is as it was before.", status=130)
        except Exception as exc:
            _fail_unexpected(exc)


def _fail(message: str, status: int = 1) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(status)


def _fail_unexpected(exc: Exception) -> NoReturn:
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    if isinstance(exc, DBAPIError):
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        _fail(f"the database refused the operation: {reason}.")
    if isinstance(exc, SQLAlchemyError):
        _fail(f"the database layer failed: {exc}.")
    if isinstance(exc, OSError):
        _fail(f"{exc.filename or 'a file'}: {exc.strerror or exc}.")
    _fail(f"unexpected {type(exc).__name__}: {exc}. Please report this with the command you ran.")


def _terminate(signum: int, _frame: FrameType | None) -> None:
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


@cli.command()
@click.option(
    "--seeds",
    type=click.Path(path_type=Path),
    help="Folder of documents to load. Default: the seed documents shipped with skating-db.",
)
@db_option
@jobs_option
def rebuild(seeds: Path | None, db: str | None, jobs: int | None) -> None:
    """Build a fresh database from every document in a folder.

    The old database is replaced only when the new one is complete.

    \b
    Example:
      skating-db rebuild --seeds ./seeds --db results.db
    """
    from skating_db import build, resources
    from skating_db.db import resolve_url

    url = resolve_url(db)
    folder = seeds if seeds is not None else resources.seeds_dir()
    if sys.stderr.isatty():
        from skating_db.documents import seed_paths

        total = len(seed_paths(folder))
        with click.progressbar(length=total, label="Loading", file=sys.stderr) as bar:
            outcome = build.rebuild(url, folder, lambda _batch: bar.update(1), jobs=jobs)
    else:
        outcome = build.rebuild(url, folder, jobs=jobs)
    click.echo(f"Built {_where(url)} from {folder}")
    _print_summary(outcome.summary)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--dry-run", is_flag=True, help="Run the whole load, then roll it back.")
@click.option(
    "--corrections",
    type=click.Path(path_type=Path),
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
    from skating_db import build, resources
    from skating_db.corrections import FILE_NAME, load_corrections
    from skating_db.db import resolve_url

    url = resolve_url(db)
    if corrections is None:
        beside = files[0].parent / FILE_NAME
        corrections = beside if beside.is_file() else resources.seeds_dir() / FILE_NAME
    outcome = build.load(
        url, list(files), load_corrections(corrections), dry_run=dry_run, jobs=jobs
    )
    for result in outcome.results:
        details = ", ".join(f"{v} {k}" for k, v in result.counts.items() if v)
        click.echo(f"{result.source}: {result.status}" + (f" ({details})" if details else ""))
    if dry_run:
        click.echo("Dry run: rolled back, nothing was written.")
    _print_summary(outcome.summary)


@cli.command()
@click.argument("sql")
@db_option
@format_option
@click.option("--write", is_flag=True, help="Allow statements that change the database.")
def query(sql: str, db: str | None, fmt: str, write: bool) -> None:
    """Run one SQL statement; read-only unless --write is given.

    \b
    Example:
      skating-db query "select season, event, athlete from podiums where rank = 1 limit 5"
      skating-db query "select * from medal_table" --format csv
    """
    from skating_db.db import resolve_url
    from skating_db.output import render
    from skating_db.query import run_query

    result = run_query(resolve_url(db), sql, write=write)
    click.echo(render(result.columns, result.rows, fmt), nl=False)


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
def check(db: str | None) -> None:
    """Verify a database: schema at head, foreign keys, orphans, the podiums view.

    Exits non-zero and says what is wrong when a check fails.

    \b
    Example:
      skating-db check --db results.db
    """
    from skating_db.admin import check_database
    from skating_db.db import resolve_url

    problems = check_database(resolve_url(db))
    if problems:
        for problem in problems:
            click.echo(f"FAIL {problem}")
        _fail(f"{len(problems)} check(s) failed.")
    click.echo("OK: schema at head, foreign keys hold, no orphans, podiums consistent.")


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
    from skating_db.db import sqlite_path

    path = sqlite_path(url)
    if path is not None:
        return str(path)
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _print_summary(summary: dict[str, int]) -> None:
    click.echo(", ".join(f"{n} {label}" for label, n in summary.items()))


def main() -> None:
    """Console entry point: SIGTERM ends a command like Ctrl-C, cleanly."""
    signal.signal(signal.SIGTERM, _terminate)
    cli(prog_name="skating-db")
