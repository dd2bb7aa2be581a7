"""Memo caches for pure text helpers that repeat across rows, trimmed between documents.

An `lru_cache` keeps a linked list that every full garbage collection walks; with
tens of thousands of cached cells that walk took a third of a long parse. A plain
`functools.cache` from text to text (or to a number) is never walked, so the hot
helpers use one, and `trim()` empties any that grew past its limit.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import _lru_cache_wrapper, cache
from typing import Any, TypeVar

K = TypeVar("K")
T = TypeVar("T")

_CACHES: list[tuple[_lru_cache_wrapper[Any], int]] = []


def text_cache(limit: int) -> Callable[[Callable[[K], T]], _lru_cache_wrapper[T]]:
    """Memoise a pure function of one string (or tuple of strings) whose results are
    immutable (str, int, None, tuples of them)."""

    def decorate(func: Callable[[K], T]) -> _lru_cache_wrapper[T]:
        cached = cache(func)
        _CACHES.append((cached, limit))
        return cached

    return decorate


def trim() -> None:
    """Empty every text cache that holds more than its limit (called once per document)."""
    for cached, limit in _CACHES:
        if cached.cache_info().currsize > limit:
            cached.cache_clear()
