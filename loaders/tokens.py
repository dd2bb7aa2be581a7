"""Tokenizer shared by every family: text in, a flat list of blocks with 1-based lines out.

Blocks are headings, tables (pipe tables `| a | b |` and MediaWiki `{| … |}`
tables alike), paragraphs and list/infobox lines. A table keeps the paragraph
line that stands right before it (`500 m`, `After 8 of 8 events`) as its
`label`; the family parsers decide what a label means.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from .cells import clean, needs_cleaning, split_cells, split_pipe_row, strip_attributes
from .infobox_markup import names_infobox, opens_infobox_template, read_template, row_fields
from .lines import Rewrites, normalised, split_lines

_HEADING = re.compile(r"^(=+)\s*(.*?)\s*(=+)\s*$")
_WIKI_HEADING = re.compile(r"^\s*=+[^=\n]+=+\s*$", re.M)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_MD_SEPARATOR = re.compile(r"^[\s|:\-]+$")
_INFO = re.compile(r"^[-*]\s*([^:]{1,40}):\s*(.*)$")
_LIST = re.compile(r"^[-*#]\s*(.*)$")


@dataclass(slots=True)
class Heading:
    """A `== text ==` heading."""

    level: int
    text: str
    line: int


@dataclass(slots=True)
class Row:
    """One table row: cell texts (markup stripped) and the line of each cell."""

    cells: list[str]
    lines: list[int]
    line: int
    header_marked: bool = False  # all cells written as `!` header cells
    complete: bool = True  # False when the text ends inside this row
    spans: list[tuple[int, int, int]] | None = None  # (cell index, rowspan, colspan) as written
    roles: list[str | None] | None = None  # a header row's column roles, once a reader knows


@dataclass(slots=True)
class Table:
    """A table; `label` is the paragraph line directly before it, if any."""

    kind: Literal["pipe", "wiki"]
    line: int
    rows: list[Row] = field(default_factory=list)
    label: str | None = None
    label_line: int | None = None
    closed: bool = True  # False for a wiki table the text ends inside
    spanned: int = 0  # cells copied from a rowspan or colspan into the grid
    infobox: bool = False  # `{| class="infobox"`: its rows become infobox items


@dataclass(slots=True)
class Paragraph:
    """Consecutive prose lines; `bold` when written as a `'''caption`."""

    text: str
    line: int
    bold: bool = False


@dataclass(slots=True)
class Item:
    """A list line (`- text`), or an infobox line (`- Key: value`) with its key."""

    text: str
    line: int
    key: str | None = None


Block = Heading | Table | Paragraph | Item


@dataclass(slots=True)
class Tokens:
    """The blocks of a document, and whether its text ends with a complete line."""

    blocks: list[Block]
    ends_with_newline: bool
    line_count: int
    rewrites: Rewrites = field(default_factory=Rewrites)


_ROW_MARKS = frozenset("-}+")  # `|-`, `|}` and `|+` lines start a row, end a table, caption it


def _plain_cells(row: Row | None) -> tuple[list[str] | None, list[int]]:
    """The cells and lines of a row that takes more plain cells (one with cells, not
    written as a header), or None."""
    if row is not None and row.cells and not row.header_marked:
        return row.cells, row.lines
    return None, []


def _continue_cell(row: Row | None, stripped: str) -> None:
    """A line of text inside a wiki table continues the row's last cell."""
    if stripped and row is not None and row.cells:
        row.cells[-1] = (row.cells[-1] + " " + clean(stripped)).strip()


def _wiki_cell_line(row: Row | None, body: str, number: int, header: bool) -> Row:
    """Add the cells of one `| …` (or `! …`) line to `row` (started here when None)."""
    if row is None:
        row = Row([], [], number)
    if not row.cells:
        row.line = number
        row.header_marked = header
    elif not header and row.header_marked:
        row.header_marked = False
    if "|" in body or (header and "!!" in body):
        _add_wiki_cells(row, body, "!!" if header else "||", number)
    else:  # one cell without attributes: the common case
        row.cells.append(clean(body))
        row.lines.append(number)
    return row


def _add_wiki_cells(row: Row, body: str, separator: str, number: int) -> None:
    """Append the cells of one `| a || b` (or `! a !! b`) line to `row`."""
    for cell in split_cells(body, separator):
        text, span = strip_attributes(cell)
        if span is not None:
            row.spans = row.spans or []
            row.spans.append((len(row.cells), *span))
        row.cells.append(clean(text))
        row.lines.append(number)


def expand_spans(table: Table) -> None:
    """Turn `rowspan`/`colspan` cells into a plain grid: each covered cell repeats the value."""
    pending: dict[int, tuple[int, str, int]] = {}  # column -> (rows left, text, line)
    for row in table.rows:
        cells: list[str] = []
        lines: list[int] = []
        spans = {index: (rows, cols) for index, rows, cols in row.spans or ()}
        source = 0
        while source < len(row.cells) or len(cells) in pending:
            column = len(cells)
            if column in pending:
                left, text, line = pending.pop(column)
                if left > 1:
                    pending[column] = (left - 1, text, line)
                cells.append(text)
                lines.append(line)
                table.spanned += 1
                continue
            rows, cols = spans.get(source, (1, 1))
            for k in range(cols):
                cells.append(row.cells[source])
                lines.append(row.lines[source])
                if rows > 1:
                    pending[column + k] = (rows - 1, row.cells[source], row.lines[source])
            table.spanned += cols - 1
            source += 1
        row.cells, row.lines = cells, lines


def _pipe_row(stripped: str, line: int, plain: bool = False) -> Row | None:
    """A `| a | b |` row, or None for a markdown separator row; `plain` when its table
    is known to need no cleaning."""
    complete = stripped.endswith("|") and len(stripped) > 1
    body = stripped[1:-1] if complete else stripped[1:]
    if "-" in body and _MD_SEPARATOR.match(body):
        return None
    if plain or not needs_cleaning(body):  # `clean` of each cell is the cell stripped
        cells = list(map(str.strip, body.split("|")))
    else:
        cells = split_pipe_row(body)
    return Row(cells, [line] * len(cells), line, False, complete)


class _Builder:
    """Turns lines into blocks; one pass, constant work per line."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.table: Table | None = None
        self.row: Row | None = None
        self.paragraph: list[str] = []
        self.paragraph_line = 0
        self.cut_line = 0  # the last line, when the text ends without a newline
        self.markdown = False  # `# Title` lines are headings (a document without `= x =`)
        self.template: tuple[int, str] | None = None  # the `{{Infobox` line just read

    def flush_paragraph(self) -> None:
        if self.paragraph:
            text = " ".join(self.paragraph)
            bold = text.startswith("'''")
            block = Paragraph(clean(text), self.paragraph_line, bold)
            self.blocks.append(block)
            self.paragraph = []

    def start_table(self, kind: Literal["pipe", "wiki"], line: int) -> Table:
        self.flush_paragraph()
        table = Table(kind, line)
        previous = self.blocks[-1] if self.blocks else None
        if isinstance(previous, Paragraph) and not previous.bold:
            table.label, table.label_line = previous.text, previous.line
        self.blocks.append(table)
        self.table = table
        return table

    def end_table(self) -> None:
        if self.table is not None:
            self.end_row()
            if self.table.infobox:  # its cells as written: a colspan title is no field
                self.infobox_items(self.table)
            elif self.table.kind == "wiki" and any(r.spans for r in self.table.rows):
                expand_spans(self.table)
        self.table = None

    def infobox_items(self, table: Table) -> None:
        """An infobox table's label/value rows become `- Label: value` items in its place."""
        if self.blocks and self.blocks[-1] is table:
            self.blocks.pop()
        for row in table.rows:
            for key, value, line in row_fields(row.cells, row.lines):
                self.blocks.append(Item(value, line, key))

    def template_items(self, numbered: Iterator[tuple[int, str]]) -> tuple[int, str] | None:
        """The open `{{Infobox …}}` template's parameters as items; the line that ended a
        template left open (for `line` to read), or None."""
        assert self.template is not None
        fields, after = read_template(self.template, numbered)
        self.template = None
        for key, value, line in fields:
            self.blocks.append(Item(value, line, key))
        return after

    def end_row(self) -> None:
        if self.table is not None and self.row is not None and self.row.cells:
            self.table.rows.append(self.row)
        self.row = None

    def wiki_table(self, numbered: Iterator[tuple[int, str]]) -> None:
        """Read the open `{| … |}` table from `(number, stripped line)` pairs up to its `|}`.

        One tight loop per table: wiki tables hold most lines of a long document.
        """
        table = self.table
        assert table is not None and table.kind == "wiki"
        row = self.row
        cells, lines = _plain_cells(row)
        for number, stripped in numbered:
            if not stripped:
                continue  # a blank line inside a table
            first = stripped[0]  # indexing: cheaper than a slice on a line this loop reads
            if first == "|":
                body = stripped[1:]
                mark = body[0] if body else ""
                if cells is not None and mark not in _ROW_MARKS and "|" not in body:
                    cells.append(clean(body))  # one more plain cell: the common line
                    lines.append(number)
                    continue
                if mark == "-":
                    if row is not None and row.cells:
                        table.rows.append(row)
                    row = Row([], [], number)
                    cells = None
                    continue
                if mark == "}":
                    self.row = row
                    self.end_table()
                    return
                if mark == "+":
                    table.label, table.label_line = clean(stripped[2:]), number
                    continue
            elif first != "!":
                _continue_cell(row, stripped)
                continue
            row = _wiki_cell_line(row, stripped[1:], number, first == "!")
            cells, lines = _plain_cells(row)
        self.row = row

    def table_rows(self, numbered: Iterator[tuple[int, str]]) -> tuple[int, str] | None:
        """Read the rows of the table just opened; the first line after a pipe table's rows
        (for `line` to read), or None."""
        table = self.table
        if table is None:
            return None if self.template is None else self.template_items(numbered)
        if table.kind == "wiki":
            self.wiki_table(numbered)
            return None
        return self.pipe_rows(table, numbered)

    def pipe_rows(
        self, table: Table, numbered: Iterator[tuple[int, str]]
    ) -> tuple[int, str] | None:
        """The rows of an open pipe table, up to the first line that is not a plain row
        (returned). The rows are gathered first, so that one test of their joined text
        tells whether any needs cleaning (no needle of `needs_cleaning` spans the `|` that
        starts each line), not a test of each row."""
        run: list[str] = []
        numbers: list[int] = []
        after = None
        for pair in numbered:
            stripped = pair[1]
            if stripped[:1] != "|" or stripped == "|" or stripped[1:2] in ("}", "-"):
                after = pair
                break
            run.append(stripped)
            numbers.append(pair[0])
        plain = not needs_cleaning("".join(run))
        rows = table.rows
        for stripped, number in zip(run, numbers, strict=True):
            row = _pipe_row(stripped, number, plain)
            if row is not None:
                rows.append(row)
        return after

    def pipe_line(self, stripped: str, number: int) -> bool:
        """One `|` line outside wiki tables; False when it is not a pipe-table line."""
        if stripped in ("|", "|}", "|-") or stripped.startswith(("|}", "|-")):
            if self.table is not None:
                self.end_table()
            return True
        open_row = self.table is not None or number == self.cut_line
        if stripped.startswith("|") and (stripped.count("|") >= 2 or open_row):
            table = self.table or self.start_table("pipe", number)
            row = _pipe_row(stripped, number)
            if row is not None:
                table.rows.append(row)
            return True
        return False

    def line(self, stripped: str, number: int) -> None:
        """One stripped line outside wiki tables (those are read by `wiki_table`)."""
        if stripped.startswith("{|"):
            self.end_table()
            self.start_table("wiki", number).infobox = names_infobox(stripped[2:])
            return
        if stripped.startswith("|") and self.pipe_line(stripped, number):
            return
        if self.table is not None:
            self.end_table()
        if not stripped:
            self.flush_paragraph()
            return
        heading = _HEADING.match(stripped) if stripped[0] == "=" else None
        if heading:
            self.flush_paragraph()
            level = min(len(heading.group(1)), len(heading.group(3)))
            self.blocks.append(Heading(level, clean(heading.group(2)), number))
            return
        markdown = _MD_HEADING.match(stripped) if self.markdown and stripped[0] == "#" else None
        if markdown:
            self.flush_paragraph()
            self.blocks.append(Heading(len(markdown.group(1)), clean(markdown.group(2)), number))
            return
        if stripped[0] == "{" and opens_infobox_template(stripped):
            self.flush_paragraph()
            self.template = (number, stripped)
            return
        if stripped[0] in "-*#" and len(stripped) > 1:
            self.flush_paragraph()
            info = _INFO.match(stripped)
            if info and stripped[0] in "-*":
                self.blocks.append(Item(clean(info.group(2)), number, clean(info.group(1))))
            else:
                listed = _LIST.match(stripped)
                self.blocks.append(Item(clean(listed.group(1) if listed else stripped), number))
            return
        if not self.paragraph:
            self.paragraph_line = number
        self.paragraph.append(stripped)

    def finish(self) -> None:
        self.flush_paragraph()
        if self.table is not None:
            if self.table.kind == "wiki":
                self.table.closed = False
                if self.row is not None:
                    self.row.complete = False
            self.end_table()


def tokenize(text: str) -> Tokens:
    """Split `text` into blocks: headings, tables, paragraphs and items, with their lines."""
    builder = _Builder()
    lines = split_lines(text)
    if lines and not text.endswith(("\n", "\r")):
        builder.cut_line = len(lines)
    rewrites = Rewrites()
    builder.markdown = "#" in text and _WIKI_HEADING.search(text) is None
    numbered = normalised(lines, rewrites)
    for pair in numbered:
        pending: tuple[int, str] | None = pair
        while pending is not None:
            builder.line(pending[1], pending[0])
            pending = builder.table_rows(numbered)  # reads on from the same iterator
    builder.finish()
    ends = text.endswith(("\n", "\r"))
    blocks = builder.blocks
    if not ends and blocks:
        last = blocks[-1]
        if isinstance(last, Table) and last.rows and last.rows[-1].line >= len(lines):
            last.rows[-1].complete = last.rows[-1].complete and last.kind == "pipe"
    return Tokens(blocks, ends, len(lines), rewrites)
