"""What a rank table's row says beyond the cells the reader reads: the prose of a notes cell
(`fell on the last lap`, `PEN (impeding)`) and cells past the header's last column.

A notes cell is read for its marks and status; any other word in it would be lost, so the
whole cell is kept as a race note. A cell beyond the header has no role: it is named in an
issue, never guessed at.
"""

from __future__ import annotations

import re
from operator import attrgetter, itemgetter

from .lookups import mark_of, status_of
from .memo import text_cache
from .tokens import Row

_WORDS = re.compile(r"[\s,;/]+")
_CELLS = attrgetter("cells")
_NO_WORD = " .()[]*-\u2013\u2014"  # what a word of marks and statuses may be wrapped in


@text_cache(limit=4096)
def holds_prose(text: str) -> bool:
    """True when a notes cell says more than marks and a status (`Q, OR` and `PEN` do not;
    `PEN (impeding)` and `fell on the last lap` do)."""
    for word in _WORDS.split(text):
        if word.strip(_NO_WORD) and mark_of(word) is None and status_of(word) is None:
            return True
    return False


def note_cells(rows: list[Row], notes: tuple[int, ...]) -> list[tuple[Row, str]]:
    """Each row's notes cell that holds prose, as written (each distinct text is judged once,
    gathered by `map`: every row of a heats table passes here, nearly all with an empty cell
    or a mark, and a Python loop per row cost a percent of a whole parse)."""
    if not notes or not rows:
        return []
    cells = list(map(_CELLS, rows))
    if min(map(len, cells)) > max(notes):
        texts = {text for at in notes for text in map(itemgetter(at), cells)}
    else:
        texts = {row[at] for row in cells for at in notes if at < len(row)}
    prose = {text for text in texts if text and holds_prose(text)}
    if not prose:
        return []
    return [
        (row, row.cells[at])
        for row in rows
        for at in notes
        if at < len(row.cells) and row.cells[at] in prose
    ]


def cells_beyond(rows: list[Row], width: int) -> list[tuple[int, list[str]]]:
    """The line and the non-empty cells of each row wider than its header of `width` cells."""
    if not rows or max(map(len, map(_CELLS, rows))) <= width:
        return []
    wide = [row for row in rows if len(row.cells) > width]
    found = [(row.line, [cell for cell in row.cells[width:] if cell]) for row in wide]
    return [(line, extra) for line, extra in found if extra]
