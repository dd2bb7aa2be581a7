"""How a command ends when it fails: one sentence on stderr and a non-zero exit status.

The sentence has the form skating_db.errors.UserError describes; what is not a UserError
(a driver's complaint, an OSError, a bug) is put in that form here.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sqlite3
import sys
from collections.abc import Callable, Iterator
from typing import NoReturn, TypeVar

import click

from skating_db.errors import UserError, about
from skating_db.interrupts import InterruptedAfterCommit, command_scope, handling, interrupt

T = TypeVar("T")


def run_reporting(command: Callable[..., T], *args: object) -> T:
    """Run `command`; an expected failure (a UserError, a database's or file's complaint,
    Ctrl-C or SIGTERM) becomes one sentence on stderr and an exit status, not a traceback."""
    with command_scope():
        return _reporting(command, *args)


def _reporting(command: Callable[..., T], *args: object) -> T:
    try:
        with handling((signal.SIGTERM,), interrupt):  # SIGTERM ends a command like Ctrl-C
            return command(*args)
    except (click.exceptions.Exit, click.ClickException, click.Abort):
        raise
    except InterruptedAfterCommit:
        with contextlib.suppress(OSError):
            click.echo("Note: interrupted after the work was committed; it stands.", err=True)
        _quiet_exit()
    except UserError as exc:
        fail(str(exc))
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            _fail_unexpected(exc)
        _quiet_exit()
    except KeyboardInterrupt:
        fail("Interrupted; the database is as it was before.", status=130)
    except UnicodeEncodeError as exc:
        fail(
            f"The output's encoding ({exc.encoding}) cannot write"
            f" {exc.object[exc.start : exc.end]!r}; set PYTHONIOENCODING=utf-8 or a UTF-8 locale."
        )
    except Exception as exc:
        _fail_unexpected(exc)


@contextlib.contextmanager
def reporting_written(what: str) -> Iterator[None]:
    """Print the report of work already committed: if the output cannot take it (a full disk,
    a closed pipe), the work stands, so say so on stderr and exit 0, never 1."""
    try:
        yield
    except (OSError, UnicodeEncodeError) as exc:
        if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
            _quiet_exit()
        with contextlib.suppress(OSError, UnicodeEncodeError):
            reason = exc.strerror or str(exc) if isinstance(exc, OSError) else exc.reason
            click.echo(f"Note: {what}, but the report could not be printed ({reason}).", err=True)
        _quiet_exit()


def fail(message: str, status: int = 1) -> NoReturn:
    """`Error: message` on stderr (no password of the URL in it), and exit with `status`."""
    from skating_db.db import scrub

    click.echo(f"Error: {scrub(message)}", err=True)
    sys.exit(status)


def _quiet_exit() -> NoReturn:
    """The reader of our output went away (`| head`): the work is done, so exit quietly."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


def _fail_unexpected(exc: Exception) -> NoReturn:
    if isinstance(exc, sqlite3.Error):  # a load through sqlite3 alone (skating_db.quick_load)
        text = str(exc).strip()
        first = text.splitlines()[0].rstrip(".") if text else type(exc).__name__
        fail(f"The database refused the operation: {first}.")
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    if isinstance(exc, DBAPIError):
        from skating_db.connections import first_line

        fail(f"The database refused the operation: {first_line(exc)}.")
    if isinstance(exc, SQLAlchemyError):
        fail(f"The database layer failed: {exc}.")
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
        if exc.filename is None:
            fail(f"A file could not be used: {reason}.")
        fail(about(exc.filename, f"{reason}."))
    fail(f"Unexpected {type(exc).__name__}: {exc}. Please report this with the command you ran.")
