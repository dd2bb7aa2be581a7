"""Family 2: per-venue calendars (one table per World Cup stop, every row dated)."""

from __future__ import annotations

from loaders.records import ParsedDocument
from loaders.results import header_roles, is_header, walk
from loaders.tokens import Table, tokenize
from loaders.values import parse_date_prefix, parse_distance

SAMPLE_TABLES = 40  # detection reads a bounded sample: constant work per document
SAMPLE_ROWS = 60
FORMAT = "calendar"


def detect(text: str) -> float:
    """Confidence that `text` is a calendar: event tables whose rows all carry a date."""
    tables = [b for b in tokenize(text).blocks if isinstance(b, Table)]
    events = dated = continuation = 0
    for table in tables[:SAMPLE_TABLES]:
        header = next((header_roles(r) for r in table.rows if is_header(header_roles(r))), None)
        if header is None or "distance" not in header or "date" not in header:
            continue
        events += 1
        for row in table.rows[1:SAMPLE_ROWS]:
            if row.cells and parse_distance(row.cells[0]) is not None:
                continuation += 1
            elif row.cells and parse_date_prefix(row.cells[0]) is not None:
                dated += 1
    if events and dated and not continuation:
        return 0.85 if events > 1 else 0.7
    if events and dated > continuation:
        return 0.6
    return 0.0


def parse(text: str) -> ParsedDocument:
    """Parse a per-venue calendar document."""
    return walk(FORMAT, tokenize(text))
