"""Options and output shared by several commands."""

from __future__ import annotations

import click

DB_HELP = "Database: a file path (SQLite) or a URL. Default: $SKATING_DB_URL, else ./skating.db."

db_option = click.option("--db", "db", metavar="PATH_OR_URL", help=DB_HELP)
format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
