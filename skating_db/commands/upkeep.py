"""Commands that look after an existing database: `migrate` and `check`."""

from __future__ import annotations

import click

from skating_db.commands.options import db_option


@click.command()
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
    from skating_db.connections import display_name
    from skating_db.db import resolve_url

    url = resolve_url(db)
    before, after = migrate_database(url, revision, down=down)
    if before == after:
        at = f"head ({after})" if revision in (None, "head") else (after or "empty")
        click.echo(f"{display_name(url)} is already at {at}; nothing to migrate.")
    else:
        from skating_db.commands.failures import reporting_written

        with reporting_written(f"{display_name(url)} was migrated"):
            click.echo(f"Migrated from {before or 'empty'} to {after or 'empty'}.")


@click.command()
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
    from skating_db.connections import display_name
    from skating_db.db import resolve_url
    from skating_db.errors import UserError

    url = resolve_url(db)
    notes: list[str] = []
    warnings: list[str] = []
    problems = check_database(url, full=full, notes=notes, warnings=warnings)
    for note in notes:
        click.echo(f"NOTE {note}")
    for warning in warnings:
        click.echo(f"WARN {warning}")
    if problems:
        for problem in problems:
            click.echo(f"FAIL {problem}")
        raise UserError(f"{display_name(url)}: {len(problems)} check(s) failed.")
    click.echo(
        "OK: storage sound, schema at head, foreign keys hold, no orphans, podiums consistent."
    )
