"""Commands that write a database from documents: `rebuild` and `load`."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from skating_db.commands.failures import reporting_written
from skating_db.commands.options import db_option

if TYPE_CHECKING:
    from skating_db import quick_load
    from skating_db.build import Outcome
    from skating_db.corrections import Corrections

jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Processes at work, the writer included: with N > 1, N-1 of them parse documents"
    " while the database is written (when the documents add up to 1 MB or more)."
    " Default: the writer and a parser for each idle CPU. 1: parse in the writer, one document"
    " at a time.",
)
force_option = click.option(
    "--force",
    is_flag=True,
    help="Replace the file even if it is not a skating-db database of this version.",
)


@click.command()
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
    from skating_db.connections import display_name
    from skating_db.db import resolve_url
    from skating_db.documents import passed_over, seed_paths

    url = resolve_url(db)
    folder = seeds if seeds is not None else resources.seeds_dir()
    jobs = _capped(jobs)
    documents = seed_paths(folder)  # says first what is wrong with the folder itself
    skipped = passed_over(folder)
    if skipped:
        click.echo(f"Note: {folder}: not read (not documents): {', '.join(skipped)}.", err=True)
    with _progress(len(documents)) as progress:
        outcome = build.rebuild(url, folder, progress, jobs=jobs, force=force)
    with reporting_written(f"{display_name(url)} was built"):
        click.echo(f"Built {display_name(url)} from {folder}")
        print_summary(outcome.summary)
        for note in outcome.notes:
            click.echo(f"Note: {note}", err=True)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@db_option
@click.option("--dry-run", is_flag=True, help="Run the whole load, then roll it back.")
@click.option(
    "--corrections",
    type=click.Path(path_type=Path, readable=False),
    help="Identity corrections file. Default: corrections.toml beside the first file, else the"
    " shipped one.",
)
@click.option(
    "--reparse",
    is_flag=True,
    help="Read again the documents the database already holds byte for byte (after an"
    " upgrade of skating-db, or when an issue asks for it), replacing their facts.",
)
@jobs_option
def load(
    files: tuple[Path, ...],
    db: str | None,
    dry_run: bool,
    corrections: Path | None,
    reparse: bool,
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
    chosen = _corrections(corrections, files[0])
    if not dry_run and not reparse and _all_unchanged(db, files):
        return
    outcome = _load(db, list(files), chosen, (dry_run, reparse), jobs)
    with reporting_written("nothing was written" if dry_run else "the documents were loaded"):
        for result in outcome.results:
            details = ", ".join(f"{v} {k}" for k, v in result.counts.items() if v)
            click.echo(f"{result.source}: {result.status}" + (f" ({details})" if details else ""))
        if dry_run:
            click.echo("Dry run: rolled back, nothing was written. The database would hold:")
        print_summary(outcome.summary)


def _load(
    db: str | None,
    files: list[Path],
    chosen: Corrections,
    modes: tuple[bool, bool],
    jobs: int | None,
) -> Outcome | quick_load.Outcome:
    """Into a SQLite file of ours at head through sqlite3 alone (no SQLAlchemy import, most
    of a one-document load's time); anywhere else through `build.load`. `modes`: dry run,
    reparse."""
    from skating_db import quick_load

    dry_run, reparse = modes
    target = quick_load.sqlite_file(db)
    if target is not None:
        jobs = _capped(jobs)  # said once, whichever path loads
        with _progress(len(files)) as progress:
            quick = quick_load.load(
                target,
                files,
                chosen,
                dry_run=dry_run,
                reparse=reparse,
                jobs=jobs,
                progress=progress,
            )
        if quick is not None:
            return quick
    from skating_db import build
    from skating_db.db import resolve_url

    url = resolve_url(db)
    if target is None:
        jobs = _capped(jobs)
    with _progress(len(files)) as progress:
        return build.load(
            url, files, chosen, dry_run=dry_run, reparse=reparse, jobs=jobs, progress=progress
        )


def _corrections(given: Path | None, first: Path) -> Corrections:
    """The corrections file given, else the one beside the first document, else the shipped one."""
    from skating_db import resources
    from skating_db.corrections import FILE_NAME, load_corrections

    if given is not None:
        return load_corrections(given, required=True)
    beside = first.parent / FILE_NAME
    return load_corrections(beside if beside.is_file() else resources.seeds_dir() / FILE_NAME)


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
    print_summary(found.summary)
    return True


def _capped(jobs: int | None) -> int | None:
    """`-j` above the CPU count is that count, with a one-line notice on stderr."""
    from skating_db.pipeline import usable_cpus

    cpus = usable_cpus()
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


def print_summary(summary: dict[str, int]) -> None:
    """What a database holds, in one line: `4 documents, 21 events, …`."""
    click.echo(", ".join(f"{n} {label}" for label, n in summary.items()))
