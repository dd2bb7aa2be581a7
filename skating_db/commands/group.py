"""The `skating-db` click group, whose commands load only when they run.

Its help lists the commands from `COMMANDS` without importing them; each command's module
(and SQLAlchemy, Alembic, the loaders) is imported when that command is run. The entry
point, `skating_db.cli.main`, answers a plain `--help` without importing even click.
"""

from __future__ import annotations

import importlib
from typing import Any, NamedTuple

import click

from skating_db.cli import help_width


class Listed(NamedTuple):
    """Where a command is defined, and the line `skating-db --help` shows for it."""

    module: str
    short_help: str


_BUILD = "skating_db.commands.building"
_READ = "skating_db.commands.reading"
_UPKEEP = "skating_db.commands.upkeep"
COMMANDS = {
    "check": Listed(_UPKEEP, "Verify a database: storage, schema, keys, orphans, views."),
    "export": Listed(_READ, "Write every table and view into a folder, with a datapackage.json."),
    "issues": Listed(_READ, "Print the data-quality report: repairs, guesses and skipped rows."),
    "load": Listed(_BUILD, "Add or update documents in a database (migrated to head first)."),
    "metadata": Listed(_READ, "Print Datasette metadata: titles, licences, descriptions, queries."),
    "migrate": Listed(_UPKEEP, "Upgrade a database to a revision (default: head), or downgrade."),
    "query": Listed(_READ, "Run one SQL statement (- reads stdin); read-only unless --write."),
    "rebuild": Listed(_BUILD, "Build a fresh database from every document in a folder."),
    "search": Listed(_READ, "Find athletes by name or any alias, whatever the case or accents."),
}


class _Context(click.Context):
    def make_formatter(self) -> click.HelpFormatter:
        """Click's help formatter at click's width, without the `shutil` import (bz2, lzma,
        fnmatch) click makes to find it: that alone costs 3 ms, a tenth of `--help`."""
        width = self.terminal_width or help_width(self.max_content_width or 80)
        return click.HelpFormatter(width=width, max_width=self.max_content_width)


class _Group(click.Group):
    """Loads a command when it is run; its expected failures end in one sentence on stderr."""

    context_class = _Context

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        listed = COMMANDS.get(cmd_name)
        if listed is None:
            return None
        command: click.Command = getattr(importlib.import_module(listed.module), cmd_name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands and their short help, from `COMMANDS` (no command module imported)."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name].short_help) for name in sorted(COMMANDS)])

    def invoke(self, ctx: click.Context) -> Any:
        from skating_db.commands.failures import run_reporting

        return run_reporting(super().invoke, ctx)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="skating-db")
def cli() -> None:
    """skating-db: short-track speed skating results as one clean SQL database.

    \b
    Example:
      skating-db rebuild
      skating-db query "select * from podiums limit 5"
    """
