"""Family 1: flattened season tables (one `===Events===` table per gender, merged podium cells)."""

from __future__ import annotations

from loaders.records import ParsedDocument
from loaders.results import header_roles, is_header, walk
from loaders.tokens import Table, tokenize
from loaders.values import parse_date_prefix, parse_distance

SAMPLE_TABLES = 40  # detection reads a bounded sample: constant work per document
SAMPLE_ROWS = 60
FORMAT = "season_tables"


def detect(text: str) -> float:
    """Confidence that `text` is a flattened season table: event rows that carry no date."""
    tables = [b for b in tokenize(text).blocks if isinstance(b, Table) and b.kind == "pipe"]
    events = ranking = continuation = dated = 0
    for table in tables[:SAMPLE_TABLES]:
        header = next((header_roles(r) for r in table.rows if is_header(header_roles(r))), None)
        if header is None:
            continue
        if "points" in header and "rank" in header:
            ranking += 1
            continue
        if "distance" not in header:
            continue
        events += 1
        for row in table.rows[1:SAMPLE_ROWS]:
            if row.cells and parse_distance(row.cells[0]) is not None:
                continuation += 1
            elif row.cells and parse_date_prefix(row.cells[0]) is not None:
                dated += 1
    if events and continuation:
        return 0.9 if continuation >= dated else 0.7
    if events or ranking:
        return 0.4
    return 0.0


def parse(text: str) -> ParsedDocument:
    """Parse a flattened season-table document."""
    return walk(FORMAT, tokenize(text))
