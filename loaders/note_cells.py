"""What a rank table's row says beyond the cells the reader reads: the prose of a notes cell
(`fell on the last lap`, `PEN (impeding)`) and cells past the header's last column.

A notes cell is read for its marks and status; any other word in it would be lost, so the
whole cell is kept as a race note. A cell beyond the header has no role: it is named in an
issue, never guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .lookups import mark_of, status_of
from .memo import text_cache
from .tokens import Row

_WORDS = re.compile(r"[\s,;/]+")
_NO_WORD = " .()[]*-\u2013\u2014"  # what a word of marks and statuses may be wrapped in


@text_cache(limit=4096)
def holds_prose(text: str) -> bool:
    """True when a notes cell says more than marks and a status (`Q, OR` and `PEN` do not;
    `PEN (impeding)` and `fell on the last lap` do)."""
    for word in _WORDS.split(text):
        if word.strip(_NO_WORD) and mark_of(word) is None and status_of(word) is None:
            return True
    return False


def note_cells(rows: list[Row], notes: tuple[int, ...]) -> Iterator[tuple[Row, str]]:
    """Each row's notes cell that holds prose, as written."""
    for row in rows:
        cells = row.cells
        for at in notes:
            if at < len(cells) and cells[at] and holds_prose(cells[at]):
                yield row, cells[at]


def cells_beyond(rows: list[Row], width: int) -> Iterator[tuple[int, list[str]]]:
    """The line and the non-empty cells of each row wider than its header of `width` cells."""
    for row in rows:
        if len(row.cells) > width:
            extra = [cell for cell in row.cells[width:] if cell]
            if extra:
                yield row.line, extra
