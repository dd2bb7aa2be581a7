"""The reader: tokens, then the outline walk that gives every table its context, then records.

`format` names the shape the document turned out to have (for `sources.format`):
`season_tables` (flattened rows), `calendar` (dated rows), `wikitable` (medal
tables), `event_page` (rounds) or `results` (anything else).
"""

from __future__ import annotations

from collections.abc import Sequence

from .records import ParsedDocument
from .results import Walker
from .tokens import Table, tokenize


def read(text: str) -> tuple[ParsedDocument, int]:
    """Every fact of `text`, and how many results tables it holds."""
    tokens = tokenize(text)
    walker = Walker("results", tokens)
    doc = walker.run()
    doc.format = shape_of(doc, walker.flattened_rows, walker.dated_rows, tokens.blocks)
    return doc, walker.results_tables


def shape_of(doc: ParsedDocument, flattened: int, dated: int, blocks: Sequence[object]) -> str:
    """A one-word description of the document's layout."""
    if any(r.round != "final" for r in doc.races):
        return "event_page"
    if flattened and flattened >= dated:
        return "season_tables"
    if dated:
        return "calendar"
    if any(isinstance(b, Table) and b.kind == "wiki" for b in blocks) and doc.placements:
        return "wikitable"
    return "results"
