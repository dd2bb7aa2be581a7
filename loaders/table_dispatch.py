"""Table dispatch: each table block read in the walker's context.

The header row (found, merged with a second header row, its `Place` column
settled) tells a rank table from a medal count, a podium, calendar or standings
table; a table without a header is read by its cells' shapes when it can be;
a row the text ends inside is reported once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .headers import header_roles, heat_columns, is_header, merge_header_rows, settle_place_column
from .lookups import gender_of, language_of_header, round_of
from .medal_counts import is_medal_count
from .note_cells import cells_beyond
from .podium_tables import WORLD_CUP, PodiumTable
from .rank_rows import is_rank_table
from .rank_tables import RaceKey, row_distance
from .shapes import guess_roles
from .standings import read_podium_standings
from .tokens import Row, Table
from .values import Distance, find_distance

if TYPE_CHECKING:
    from .results import Walker


class TableDispatch:
    """Reads one table block for its walker (made per table: the walker keeps no reference
    to it, so a parsed document's objects are freed without the cycle collector)."""

    def __init__(self, walker: Walker) -> None:
        self.w = walker
        self.b = walker.b

    def read(self, block: Table) -> None:
        self.w.ranks.last = None
        if self.w.outline.kind() == "ignored":
            return
        rows = block.rows
        start = next((i for i, r in enumerate(rows) if is_header(header_roles(r))), None)
        if start is None:
            self.without_header(block)
            return
        merge_header_rows(rows, start)
        settle_place_column(rows, start)
        self.w.results_tables += 1
        roles = set(header_roles(rows[start]))
        if is_rank_table(roles):
            self.rank_table(block, start)
        elif is_medal_count(roles):
            self.w.medals.read(self.b, header_roles(rows[start]), rows[start + 1 :])
            self.w.outline.use_context()
        elif not rows[start].complete:
            self.report_cut(rows[-1].line)
        else:
            self.row_table(block, start)

    def without_header(self, block: Table) -> None:
        """A table no header row explains: cut off, guessed from its cells, or not understood."""
        rows = block.rows
        if not block.closed:
            self.report_cut(self.w.tokens.line_count)
        elif self.headerless(block):
            return
        elif rows and not rows[-1].complete:
            self.report_cut(rows[-1].line)
        else:
            self.b.warn(block.line, "table_not_understood", "table without a known header row")

    def row_table(self, block: Table, start: int) -> None:
        """A podium, calendar or standings table: one row per race or per ranked competitor."""
        rows = block.rows
        if start > 0:
            self.b.warn(block.line, "rows_before_header", f"{start} row(s) before the header")
        header = header_roles(rows[start])
        body = self.complete_rows(rows[start + 1 :], len(header))
        self.w.outline.use_context()
        roles = set(header)
        if "points" in roles and "rank" in roles:
            self.w.ranking_table(block, header, body)
        elif self.w.outline.kind() == "standings" and "distance" in roles and "first" in roles:
            gender = self.w.outline.gender()
            if gender is None:
                self.b.warn(block.line, "table_not_understood", "standings table without gender")
                return
            read_podium_standings(self.b, header, body, gender, self.w.series or WORLD_CUP)
        elif "distance" in roles and ("first" in roles or "date" in roles):
            self.podium_table(block, header, body)
        else:
            self.b.warn(block.line, "table_not_understood", "table of unknown kind")

    def headerless(self, block: Table) -> bool:
        """A results table without a header row, its columns guessed from cell shapes."""
        roles = guess_roles(block.rows)
        if roles is None or not is_rank_table(set(roles)):
            return False
        labels = " | ".join(r or "?" for r in roles)
        self.b.info(block.line, "header_guessed", f"no header row; columns read as {labels}")
        block.rows.insert(0, Row([r or "" for r in roles], [block.line] * len(roles), block.line))
        self.rank_table(block, 0, roles)
        return True

    def complete_rows(self, rows: list[Row], width: int) -> list[Row]:
        """Rows up to a cut (a row the text ends inside), which is reported once."""
        kept: list[Row] = []
        for row in rows:
            at_end = row.line >= self.w.tokens.line_count
            cut = not row.complete and not (
                self.w.tokens.ends_with_newline and len(row.cells) >= width
            )
            if at_end and not self.w.tokens.ends_with_newline and len(row.cells) < width:
                cut = True
            if cut:
                self.report_cut(row.line)
                break
            if len(row.cells) != width:
                self.b.warn(
                    row.line,
                    "row_width_mismatch",
                    f"row has {len(row.cells)} cells, its header {width}",
                )
            kept.append(row)
        return kept

    def report_cut(self, line: int) -> None:
        if not self.w.cut_reported:
            self.b.warn(line, "document_truncated", "the text ends inside this row; row not loaded")
            self.w.cut_reported = True

    def race_context(self, block: Table) -> tuple[RaceKey, Distance] | None:
        """Gender, distance and round of a rank table, from its caption and the headings."""
        texts = [block.label or ""] + [s.text for s in reversed(self.w.outline.stack)]
        if self.w.title is not None:
            texts.append(self.w.title.text)
        distance = next((d for d in map(find_distance, texts) if d is not None), None)
        gender = self.w.outline.gender() or (self.w.title.gender if self.w.title else None)
        if distance is None or gender is None:
            return None
        found = next((r for r in map(round_of, texts[:-1] if self.w.title else texts) if r), None)
        round_, number = found if found else ("final", None)
        key = RaceKey(
            gender, distance.metres, distance.is_relay, round_, number or distance.race_no
        )
        return key, distance

    def rank_table(self, block: Table, start: int, roles: list[str | None] | None = None) -> None:
        """A table of one race's (or one round's) results."""
        if not block.closed:
            self.b.warn(
                self.w.tokens.line_count,
                "document_truncated",
                "the text ends inside this table; its complete rows are loaded",
            )
        header_row = block.rows[start]
        header = roles or heat_columns(header_row.cells, header_roles(header_row))
        rows = block.rows[start + 1 :]
        context = self.race_context(block) or self.row_context(header, rows)
        if context is None:
            self.b.warn(block.line, "table_not_understood", "table without header, gender or race")
            return
        key, distance = context
        language = language_of_header(header_row.cells) or self.w.outline.language() or "en"
        self.w.note_language = language
        if rows and not self.complete_last(block, rows[-1], len(header)):
            if block.kind == "pipe":
                self.report_cut(rows[-1].line)
            rows = rows[:-1]
        self.w.outline.use_context()
        for line, extra in cells_beyond(rows, len(header)):
            dropped = ", ".join(map(repr, extra))
            self.b.warn(line, "row_width_mismatch", f"cells beyond the header not read: {dropped}")
        self.w.ranks.read(key, distance, rows, header, language, block.line)

    def row_context(
        self, header: list[str | None], rows: list[Row]
    ) -> tuple[RaceKey, Distance] | None:
        """The first race of a table whose rows name their own distance (and gender)."""
        if "distance" not in header or not rows:
            return None
        cells = rows[0].cells
        at = header.index("distance")
        distance = row_distance(cells[at]) if at < len(cells) else None
        gender = self.w.outline.gender() or (self.w.title.gender if self.w.title else None)
        if "gender" in header and header.index("gender") < len(cells):
            found = gender_of(cells[header.index("gender")])
            gender = found[0] if found else gender
        if distance is None or gender is None:
            return None
        return RaceKey(gender, distance.metres, distance.is_relay, "final", 1), distance

    def complete_last(self, table: Table, last_row: Row, width: int) -> bool:
        """False when the text ends inside the last row of an unclosed table."""
        if table.closed and table.kind == "wiki":
            return True
        if table.kind == "pipe":
            return last_row.complete or (
                self.w.tokens.ends_with_newline and len(last_row.cells) >= width
            )
        return self.w.tokens.ends_with_newline and len(last_row.cells) >= width

    def podium_table(self, block: Table, header: list[str | None], body: list[Row]) -> None:
        gender = self.w.outline.gender() or (self.w.title.gender if self.w.title else None)
        if gender is None and "gender" in header and body:
            gender = "mixed"  # every row names its own; a row that does not stays mixed
        if gender is None:
            self.b.warn(block.line, "table_not_understood", "results table without a gender")
            return
        PodiumTable(self.w, block, header, gender).read(body)
