"""Lines of a document, numbered, with every table rendering brought to pipe rows.

GitHub-markdown tables (rows that need not start with a pipe), tab-separated rows
and tables whose cells each stand on their own line are rewritten as `| a | b |`
rows, so the tokenizer reads one table syntax besides MediaWiki's. Line numbers
are those of the source: a row rebuilt from several lines carries the line of its
first cell, and the lines it consumed are dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import compress
from itertools import count as count_from

from .lookups import column_role

_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
MIN_COLUMNS = 3  # a run of one-word lines is a header when this many are column words
MAX_CELL_LINE = 80  # a one-cell-per-line cell is short


def split_lines(text: str) -> list[str]:
    """Lines split on `\\n`, `\\r\\n` and `\\r` only (not on U+2028, U+0085 or form feeds)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


@dataclass(slots=True)
class Rewrites:
    """What the normaliser did, by source line, for the reader's issues."""

    cells_per_line: list[int] = field(default_factory=list)  # first line of each such table
    uneven_cells: list[int] = field(default_factory=list)  # such tables whose cells did not fit


def _is_separator(line: str) -> bool:
    return "-" in line and _MD_SEPARATOR.match(line) is not None


def _as_pipe_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.strip() for c in cells) + " |"


def _markdown(stripped: list[str], keep: list[bool], at: int) -> int:
    """Rewrite the GitHub-markdown table whose header is at `at`; the index after it."""
    if not stripped[at].startswith("|"):
        stripped[at] = "|" + stripped[at] + ("" if stripped[at].endswith("|") else "|")
    keep[at + 1] = False  # the `---|---` separator row
    end = at + 2
    while end < len(stripped) and "|" in stripped[end] and stripped[end]:
        if not stripped[end].startswith("|"):
            stripped[end] = "|" + stripped[end] + ("" if stripped[end].endswith("|") else "|")
        end += 1
    return end


def _tabbed(stripped: list[str], at: int) -> int:
    """Rewrite the run of tab-separated rows that starts at `at`; the index after it."""
    end = at
    while end < len(stripped) and stripped[end].count("\t") >= 1 and "|" not in stripped[end]:
        stripped[end] = _as_pipe_row(stripped[end].split("\t"))
        end += 1
    return end


def _header_run(stripped: list[str], at: int) -> int:
    """How many consecutive lines from `at` are single column words (`Rank`, `Name` …)."""
    count = 0
    while at + count < len(stripped):
        line = stripped[at + count]
        if not line or len(line) > 30 or "|" in line or column_role(line) is None:
            break
        count += 1
    return count


def _cell_run(stripped: list[str], start: int) -> int:
    """The index after the short non-blank lines that follow a one-cell-per-line header."""
    end = start
    while end < len(stripped):
        line = stripped[end]
        if not line or len(line) > MAX_CELL_LINE or line[0] in "=|{!" or "|" in line:
            break
        end += 1
    return end


def _cells_per_line(stripped: list[str], keep: list[bool], at: int, width: int) -> tuple[int, bool]:
    """Rewrite a one-cell-per-line table: its header of `width` lines at `at` and the cells
    after it, `width` to a row. Returns the index after it and whether the cells fit evenly."""
    end = _cell_run(stripped, at + width)
    if end == at + width:
        return at + 1, True
    cells = stripped[at:end]
    for row_start in range(0, len(cells), width):
        stripped[at + row_start] = _as_pipe_row(cells[row_start : row_start + width])
        for k in range(at + row_start + 1, min(at + row_start + width, end)):
            keep[k] = False
    return end, len(cells) % width == 0


def normalised(lines: list[str], rewrites: Rewrites) -> Iterator[tuple[int, str]]:
    """`(line number, stripped line)` pairs, every table rendering rewritten as pipe rows."""
    stripped = list(map(str.strip, lines))
    keep = [True] * len(stripped)
    count = len(stripped)
    closers: list[int] | None = None
    i = 0
    in_wiki = False
    while i < count:
        line = stripped[i]
        if not line:
            i += 1
            continue
        if in_wiki and not line.startswith("|}"):
            # inside a MediaWiki table (a nested `{|` included), up to its `|}`
            closers = _closers(stripped) if closers is None else closers
            i = closers[bisect_right(closers, i)]
            continue
        in_wiki = False
        if line.startswith("{|"):
            in_wiki = True
            i += 1
        elif "|" in line:  # a row, or the header of a GitHub-markdown table
            following = stripped[i + 1] if i + 1 < count else ""
            markdown = "--" in following and _is_separator(following)
            i = _markdown(stripped, keep, i) if markdown else i + 1
        elif "\t" in line:
            i = _tabbed(stripped, i)
        elif len(line) <= 30 and (width := _header_run(stripped, i)) >= 3:
            i = _rewrite_cells(stripped, keep, i, width, rewrites)
        else:
            i += 1
    numbered = zip(count_from(1), stripped)
    return numbered if all(keep) else compress(numbered, keep)


def _closers(stripped: list[str]) -> list[int]:
    """The indices of the lines that start with `|}`, then `len(stripped)`: found in one
    search of the joined text, not by a test of each line of a long table."""
    joined = "\n" + "\n".join(stripped)  # each line starts right after a newline
    found: list[int] = []
    line = 0
    previous = 0
    at = joined.find("\n|}")
    while at >= 0:
        line += joined.count("\n", previous, at)
        found.append(line)
        previous = at
        at = joined.find("\n|}", at + 1)
    found.append(len(stripped))
    return found


def _rewrite_cells(
    stripped: list[str], keep: list[bool], at: int, width: int, rewrites: Rewrites
) -> int:
    """Rewrite the one-cell-per-line table at `at`, noting it; the index after it."""
    end, even = _cells_per_line(stripped, keep, at, width)
    if end > at + width:
        rewrites.cells_per_line.append(at + 1)
        if not even:
            rewrites.uneven_cells.append(at + 1)
    return max(end, at + 1)
