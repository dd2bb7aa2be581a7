"""The `skating-db` entry point: a plain `skating-db --help` at the usual width is printed
from `GROUP_HELP` without importing click (half the command's time); everything else
runs the click group of skating_db.commands.group.

`GROUP_HELP` is what click prints for that group at 78 columns (the width of a terminal of
80 or more, or of a pipe); tests/test_cli.py holds it byte-equal, and its failure prints
the text to paste here.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads the name)
if TYPE_CHECKING:
    from typing import Any

    from skating_db.commands.group import COMMANDS, Listed, cli

__all__ = ["COMMANDS", "GROUP_HELP", "Listed", "cli", "help_width", "main"]

HELP_ARGS = (["--help"], ["-h"])
STORED_WIDTH = 78
GROUP_HELP = """\
Usage: skating-db [OPTIONS] COMMAND [ARGS]...

  skating-db: short-track speed skating results as one clean SQL database.

  Example:
    skating-db rebuild
    skating-db query "select * from podiums limit 5"

Options:
  --version   Show the version and exit.
  -h, --help  Show this message and exit.

Commands:
  check     Verify a database: storage, schema, keys, orphans, views.
  export    Write every table and view into a folder, with a datapackage.json.
  issues    Print the data-quality report: repairs, guesses and skipped rows.
  load      Add or update documents in a database (migrated to head first).
  metadata  Print Datasette metadata: titles, licences, descriptions, queries.
  migrate   Upgrade a database to a revision (default: head), or downgrade.
  query     Run one SQL statement (- reads stdin); read-only unless --write.
  rebuild   Build a fresh database from every document in a folder.
  search    Find athletes by name or any alias, whatever the case or accents.
"""


def help_width(most: int) -> int:
    """The terminal's width ($COLUMNS, else the terminal's, else 80), at most `most`, less 2,
    at least 50: what click computes through shutil.get_terminal_size."""
    columns = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else 0
    if columns <= 0 and sys.__stdout__ is not None:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (ValueError, OSError):
            columns = 0
    return max(min(columns or 80, most) - 2, 50)


def main() -> None:
    """Console entry point."""
    if sys.stdout is None:  # started with standard output closed (>&-): refuse before any work
        from skating_db.commands.failures import fail

        fail("Standard output is closed; give the command one (> /dev/null to discard it).")
    if sys.argv[1:] in HELP_ARGS and help_width(80) == STORED_WIDTH:
        _print_group_help()
        return
    from skating_db.commands.group import cli
    from skating_db.interrupts import process_ends_with_command

    process_ends_with_command()
    cli(prog_name="skating-db")


def _print_group_help() -> None:
    """`GROUP_HELP` on stdout; a reader that went away ends the command with status 1 and
    no traceback, as click's own `--help` does."""
    try:
        sys.stdout.write(GROUP_HELP)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


def __getattr__(name: str) -> Any:
    """`cli`, `COMMANDS` and `Listed` from the click group's module, imported on first use."""
    if name in ("cli", "COMMANDS", "Listed"):
        from skating_db.commands import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    main()
