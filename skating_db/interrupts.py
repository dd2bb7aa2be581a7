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
            signal.signal(signum, old)


def interrupt(_signum: int, _frame: FrameType | None) -> None:
    """A handler that ends the work like Ctrl-C does."""
    raise KeyboardInterrupt
