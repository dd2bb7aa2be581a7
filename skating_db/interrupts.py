"""Signal handlers set for the length of a block, and the previous ones put back after it."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from types import FrameType

Handler = Callable[[int, FrameType | None], None]


@contextlib.contextmanager
def handling(signums: tuple[signal.Signals, ...], handler: Handler) -> Iterator[None]:
    """`handler` for `signums` while the block runs; outside the main thread, where no
    handler can be set, the signals stay as they are."""
    try:
        previous = {signum: signal.signal(signum, handler) for signum in signums}
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        for signum, old in previous.items():
            if signal.getsignal(signum) is handler:  # not one set inside the block since
                signal.signal(signum, old)


def interrupt(_signum: int, _frame: FrameType | None) -> None:
    """A handler that ends the work like Ctrl-C does."""
    raise KeyboardInterrupt


class InterruptedAfterCommit(BaseException):
    """Ctrl-C or SIGTERM once the work was committed: the work stands, so the command ends
    with a note and status 0, never with "the database is as it was before"."""


_INTERRUPTS = (signal.SIGINT, signal.SIGTERM)
_state = {"committed": False, "process_ends": False}


def process_ends_with_command() -> None:
    """Said by the console entry point: once committed work is reported, only the
    interpreter's exit is left, so Ctrl-C and SIGTERM are ignored through it."""
    _state["process_ends"] = True


def _after_commit(_signum: int, _frame: FrameType | None) -> None:
    raise InterruptedAfterCommit


@contextlib.contextmanager
def command_scope() -> Iterator[None]:
    """One command's run: Ctrl-C and SIGTERM handlers are as they were after it, unless it
    committed work in a process that ends with it (then they are ignored to the exit)."""
    _state["committed"] = False
    try:
        previous = {signum: signal.getsignal(signum) for signum in _INTERRUPTS}
        yield
    finally:
        with _blocked():
            after = signal.SIG_IGN if _state["committed"] and _state["process_ends"] else None
            with contextlib.suppress(ValueError, TypeError):  # not the main thread
                for signum, old in previous.items():
                    signal.signal(signum, old if after is None else after)


@contextlib.contextmanager
def committing() -> Iterator[None]:
    """Around the step that makes the work durable (a COMMIT, a rename): Ctrl-C and SIGTERM
    wait until it is done, then end the command as committed work if it succeeded, or as
    an interruption (nothing written) if it failed."""
    with _blocked():
        yield
        _state["committed"] = True
        with contextlib.suppress(ValueError):  # not the main thread: signals stay as they are
            for signum in _INTERRUPTS:
                signal.signal(signum, _after_commit)


@contextlib.contextmanager
def _blocked() -> Iterator[None]:
    """Ctrl-C and SIGTERM held back (not lost) while the block runs, where signal masks exist."""
    try:
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)
    except (AttributeError, ValueError, OSError):
        blocked = None
    try:
        yield
    finally:
        if blocked is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
