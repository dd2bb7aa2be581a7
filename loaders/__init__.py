"""Document loaders: text in, typed records and data issues out (no database).

`parse_document(text)` picks the document family from the content and returns
a `ParsedDocument`; `UnrecognisedDocument` is raised when no loader recognises
anything in the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loaders.records import ParsedDocument

FORMATS = ("season_tables", "calendar", "wikitable")


class UnrecognisedDocument(ValueError):
    """No loader recognised any fact in the text."""


def parse_document(text: str) -> ParsedDocument:
    """Parse `text` with the loader its content fits best."""
    from loaders.memo import trim
    from loaders.registry import best_loader

    trim()
    if "\x00" in text:
        raise UnrecognisedDocument("The text looks binary, not like a results document.")
    loader = best_loader(text)
    if loader is None:
        raise UnrecognisedDocument("No loader recognises this text as a results document.")
    document = loader.parse(text)
    if document.is_empty:
        raise UnrecognisedDocument(
            f"The text looks like a {loader.format} document but holds no recognisable result."
        )
    return document


__all__ = ["FORMATS", "UnrecognisedDocument", "parse_document"]
