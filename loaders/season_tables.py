"""Family 1: flattened season tables (one `===Events===` table per gender, merged podium cells)."""

from __future__ import annotations

from loaders.records import ParsedDocument
from loaders.results import sample_tables, walk
from loaders.tokens import tokenize

FORMAT = "season_tables"


def detect(text: str) -> float:
    """Confidence that `text` is a flattened season table: event rows that carry no date."""
    sample = sample_tables(text, pipe_only=True, need_date=False)
    if sample.events and sample.continuation:
        return 0.9 if sample.continuation >= sample.dated else 0.7
    if sample.events or sample.ranking:
        return 0.4
    return 0.0


def parse(text: str) -> ParsedDocument:
    """Parse a flattened season-table document."""
    return walk(FORMAT, tokenize(text))
