"""Garbage-collector settings for bulk work: parsing and writing allocate millions of
short-lived, acyclic objects, and CPython's default thresholds then spend a quarter of a
load re-scanning everything that is long-lived (measured: 5.5 s -> 4.0 s at 100 k placements).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 50_000  # CPython's default is 700


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Freeze what exists now (imports, caches) out of collection and collect young objects
    less often, for the duration of the block; the previous settings come back after it."""
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, previous[1], previous[2])
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()
