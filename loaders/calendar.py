"""Family 2: per-venue calendars (one table per World Cup stop, every row dated)."""

from __future__ import annotations

from loaders.records import ParsedDocument
from loaders.results import sample_tables, walk
from loaders.tokens import tokenize

FORMAT = "calendar"


def detect(text: str) -> float:
    """Confidence that `text` is a calendar: event tables whose rows all carry a date."""
    sample = sample_tables(text, pipe_only=False, need_date=True)
    if sample.events and sample.dated and not sample.continuation:
        return 0.85 if sample.events > 1 else 0.7
    if sample.events and sample.dated > sample.continuation:
        return 0.6
    return 0.0


def parse(text: str) -> ParsedDocument:
    """Parse a per-venue calendar document."""
    return walk(FORMAT, tokenize(text))
