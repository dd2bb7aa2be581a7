"""Document loaders: text in, typed records and data issues out (no database).

`parse_document(text)` reads a document the way a person does: by its tables'
headers and its headings, whatever the rendering. It returns a `ParsedDocument`;
`UnrecognisedDocument` is raised when the text holds no results table.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .records import ParsedDocument

# The words, names and arenas the loaders read by, beside this file wherever the package
# is installed (a folder: a wheel is never imported zipped; importlib.resources, which
# would find them in a zip too, costs a tenth of a one-document load's imports).
DATA = Path(__file__).resolve().parent / "data"

FORMATS = ("season_tables", "calendar", "wikitable", "event_page", "results")


class UnrecognisedDocument(ValueError):
    """No results table was found in the text."""


def parse_document(text: str) -> ParsedDocument:
    """Parse `text`: every results table it holds, in its outline's context."""
    from .controls import strip_controls
    from .memo import trim
    from .reader import read

    trim()
    if "\x00" in text:
        raise UnrecognisedDocument("The text looks binary, not like a results document.")
    text, marked = strip_controls(text)
    document, tables = read(text)
    for line in marked:
        document.issue(
            line, "warning", "control_characters_removed", "Control characters were removed."
        )
    if document.is_empty and tables:
        raise UnrecognisedDocument("The text has a results table but holds no recognisable result.")
    if document.is_empty:
        raise UnrecognisedDocument("No loader recognises this text as a results document.")
    return document


__all__ = ["DATA", "FORMATS", "UnrecognisedDocument", "parse_document"]
