"""Documents read and parsed in order, one at a time, for the writer.

Only one parsed document is held in memory at a time, so a load of any size needs
the memory of its largest document.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from loaders import UnrecognisedDocument, parse_document
from loaders.records import ParsedDocument
from skating_db.documents import Document, read_document
from skating_db.errors import UserError


@dataclass(frozen=True, slots=True)
class Ready:
    """A document read from disk and its records."""

    document: Document
    parsed: ParsedDocument


def prepare(path: Path) -> Ready:
    """Read and parse one document; a refusal names the file."""
    document = read_document(path)
    try:
        return Ready(document, parse_document(document.text))
    except UnrecognisedDocument as exc:
        raise UserError(f"{document.path}: {exc}") from exc


def prepared(paths: Sequence[Path]) -> Iterator[Ready]:
    """Every document of `paths`, in order, parsed just before it is written."""
    return map(prepare, paths)
