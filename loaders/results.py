"""Walker shared by the pipe-table families (season tables, calendars).

It follows the heading tree (gender sections, event and standings sections,
venue sub-headings), reads event tables row by row by cell shape, and hands
standings tables to `loaders.standings`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .builder import Builder
from .headers import (
    header_roles,
    heat_columns,
    is_header,
    merge_header_rows,
    settle_place_column,
)
from .lookups import (
    column_role,
    gender_of,
    heading_kind,
    language_of_header,
    round_of,
    section_kind,
    series_in,
)
from .medal_counts import MedalCounts, is_medal_count
from .nations import resolve_nation
from .places import arena_venue, heading_place, infobox_venue, place_of, venue_heading
from .podium_tables import WORLD_CUP, PodiumTable
from .rank_rows import is_rank_table
from .rank_tables import RaceKey, RankTables, row_distance
from .records import Gender, ParsedDocument, Venue
from .seasons import championship_year, olympic_year
from .shapes import guess_roles
from .standings import (
    RankingTable,
    classification_in,
    looks_like_nations,
    read_podium_standings,
    read_ranking,
    settle_unlabelled,
)
from .tokens import Heading, Item, Paragraph, Row, Table, Tokens
from .values import Distance, dates_in, find_distance
from .vocabulary import fold, vocabulary


@dataclass(slots=True)
class Section:
    """What one heading says about the text under it."""

    level: int
    text: str
    line: int
    kind: str | None = None  # events / standings / ignored / gender / label / context
    gender: Gender | None = None
    classification: str | None = None
    used: bool = False
    language: str | None = None
    round: tuple[str, int | None] | None = None


class Walker:
    """One pass over the blocks of a pipe-table document."""

    def __init__(self, fmt: str, tokens: Tokens) -> None:
        self.b = Builder(fmt)
        self.tokens = tokens
        self.stack: list[Section] = []
        self.series: str | None = None
        self.year: tuple[int, int] | None = None
        self.title: Section | None = None
        self.ranks = RankTables(self.b)
        self.medals = MedalCounts()
        self.infobox: dict[str, tuple[str, int]] = {}
        self.headings_seen: list[str] = []
        self.flattened_rows = 0  # event rows that start with a distance (a flattened table)
        self.dated_rows = 0
        self.results_tables = 0  # tables whose header says they hold results
        self.rankings: list[RankingTable] = []
        self.standings_tables = 0
        self.cut_reported = False

    # -- context -----------------------------------------------------------
    def gender(self) -> Gender | None:
        for section in reversed(self.stack):
            if section.gender is not None:
                return section.gender
        return None

    def kind(self) -> str | None:
        for section in reversed(self.stack):
            if section.kind in ("events", "standings", "ignored"):
                return section.kind
        return None

    def context(self) -> Section | None:
        """The nearest venue or topic heading above (a gender heading may stand below it)."""
        for section in reversed(self.stack):
            if section.kind == "context":
                return section
            if section.kind not in ("gender", "label", "round"):
                return None
        return None

    def use_context(self) -> None:
        """The venue or topic heading above a table was understood through the table."""
        context = self.context()
        if context is not None:
            context.used = True

    def label(self) -> Section | None:
        if self.stack and self.stack[-1].kind == "label":
            return self.stack[-1]
        return None

    # -- blocks ------------------------------------------------------------
    def text_facts(self, text: str, line: int) -> None:
        """Title, season, series and Olympic year from a title, caption or prose line."""
        if self.b.doc.title is None:
            self.b.doc.title = text
        self.b.take_season(text)
        found = series_in(text)
        if found is not None and self.series is None:
            self.series = found
        year = olympic_year(text) or championship_year(text)
        if year is not None and self.year is None:
            self.year = (year, line)

    def heading(self, block: Heading) -> None:
        self.ranks.last = None
        if self.b.doc.title is None and (block.level == 1 or not self.b.doc.events):
            self.text_facts(block.text, block.line)
            if block.level == 1:
                self.title_line(block.text, block.line)
                return
        while self.stack and self.stack[-1].level >= block.level:
            self.pop()
        if self.kind() != "standings" and self.rankings and block.level <= 2:
            self.close_standings()
        self.headings_seen.append(block.text)
        section = Section(block.level, block.text, block.line)
        kind = "ignored" if heading_kind(block.text) == "records" else section_kind(block.text)
        gender = gender_of(block.text)
        section.language = gender[1] if gender else None
        section.round = round_of(block.text)
        classification = classification_in(block.text) if kind != "ignored" else None
        if kind == "ignored":
            section.kind = "ignored"
        elif gender is not None and classification is not None:
            section.kind, section.gender = "label", gender[0]
            section.classification = classification
        elif gender is not None:
            section.kind, section.gender = "gender", gender[0]
        elif kind in ("events", "standings"):
            section.kind = kind
        elif classification is not None:
            section.kind, section.classification = "label", classification
        elif section.round is not None:
            section.kind = "round"
        else:
            section.kind = "context"
        if section.kind == "standings" and self.rankings:
            self.close_standings()
        self.stack.append(section)

    def pop(self) -> None:
        section = self.stack.pop()
        if section.kind == "context" and not section.used and self.kind() != "ignored":
            self.b.warn(
                section.line, "heading_not_understood", f"heading {section.text!r} not understood"
            )
        if section.kind == "standings":
            self.close_standings()

    def close_standings(self) -> None:
        if self.rankings:
            settle_unlabelled(self.b, self.rankings, self.series or WORLD_CUP)
        self.rankings = []
        self.standings_tables = 0

    def paragraph(self, block: Paragraph) -> None:
        last = self.ranks.last
        if last is not None and not block.bold:
            last.notes.append((block.text, self.note_language, block.line))
            return
        self.ranks.last = None
        if self.b.doc.title is None and not self.headings_seen:
            self.title_line(block.text, block.line)  # a page whose title is its first line
        self.text_facts(block.text, block.line)

    def title_line(self, text: str, line: int) -> None:
        gender = gender_of(text)
        self.title = Section(1, text, line, "title")
        self.title.gender = gender[0] if gender else None

    def item(self, block: Item) -> None:
        if block.key is None:
            return
        role = vocabulary().infobox.get(fold(block.key))
        if role is not None:
            self.infobox.setdefault(role, (block.text, block.line))
        if column_role(block.key) == "date" and not self.b.season_explicit:
            self.b.take_season(block.text)
        elif series_in(block.text) is not None or olympic_year(block.text) is not None:
            self.text_facts(block.text, block.line)

    def table(self, block: Table) -> None:
        self.ranks.last = None
        if self.kind() == "ignored":
            return
        rows = block.rows
        start = next((i for i, r in enumerate(rows) if is_header(header_roles(r))), None)
        if start is None:
            self.without_header(block)
            return
        merge_header_rows(rows, start)
        settle_place_column(rows, start)
        self.results_tables += 1
        roles = set(header_roles(rows[start]))
        if is_rank_table(roles):
            self.rank_table(block, start)
        elif is_medal_count(roles):
            self.medals.read(self.b, header_roles(rows[start]), rows[start + 1 :])
            self.use_context()
        elif not rows[start].complete:
            self.report_cut(rows[-1].line)
        else:
            self.row_table(block, start)

    def without_header(self, block: Table) -> None:
        """A table no header row explains: cut off, guessed from its cells, or not understood."""
        rows = block.rows
        if not block.closed:
            self.report_cut(self.tokens.line_count)
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
        self.use_context()
        roles = set(header)
        if "points" in roles and "rank" in roles:
            self.ranking_table(block, header, body)
        elif self.kind() == "standings" and "distance" in roles and "first" in roles:
            gender = self.gender()
            if gender is None:
                self.b.warn(block.line, "table_not_understood", "standings table without gender")
                return
            read_podium_standings(self.b, header, body, gender, self.series or WORLD_CUP)
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
            at_end = row.line >= self.tokens.line_count
            cut = not row.complete and not (
                self.tokens.ends_with_newline and len(row.cells) >= width
            )
            if at_end and not self.tokens.ends_with_newline and len(row.cells) < width:
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
        if not self.cut_reported:
            self.b.warn(line, "document_truncated", "the text ends inside this row; row not loaded")
            self.cut_reported = True

    # -- rank tables -------------------------------------------------------
    note_language = "en"

    def race_context(self, block: Table) -> tuple[RaceKey, Distance] | None:
        """Gender, distance and round of a rank table, from its caption and the headings."""
        texts = [block.label or ""] + [s.text for s in reversed(self.stack)]
        if self.title is not None:
            texts.append(self.title.text)
        distance = next((d for d in map(find_distance, texts) if d is not None), None)
        gender = self.gender() or (self.title.gender if self.title else None)
        if distance is None or gender is None:
            return None
        found = next((r for r in map(round_of, texts[:-1] if self.title else texts) if r), None)
        round_, number = found if found else ("final", None)
        key = RaceKey(
            gender, distance.metres, distance.is_relay, round_, number or distance.race_no
        )
        return key, distance

    def rank_table(self, block: Table, start: int, roles: list[str | None] | None = None) -> None:
        """A table of one race's (or one round's) results."""
        if not block.closed:
            self.b.warn(
                self.tokens.line_count,
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
        language = language_of_header(header_row.cells) or self.language() or "en"
        self.note_language = language
        if rows and not self.complete_last(block, rows[-1], len(header)):
            if block.kind == "pipe":
                self.report_cut(rows[-1].line)
            rows = rows[:-1]
        self.use_context()
        self.ranks.read(key, distance, rows, header, language, block.line)

    def row_context(
        self, header: list[str | None], rows: list[Row]
    ) -> tuple[RaceKey, Distance] | None:
        """The first race of a table whose rows name their own distance (and gender)."""
        if "distance" not in header or not rows:
            return None
        cells = rows[0].cells
        at = header.index("distance")
        distance = row_distance(cells[at]) if at < len(cells) else None
        gender = self.gender() or (self.title.gender if self.title else None)
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
                self.tokens.ends_with_newline and len(last_row.cells) >= width
            )
        return self.tokens.ends_with_newline and len(last_row.cells) >= width

    def language(self) -> str | None:
        for section in reversed(self.stack):
            if section.language is not None:
                return section.language
        return None

    def emit_ranks(self) -> None:
        """The rank tables' races, at the document's one championship."""
        self.infobox_medallists()
        if not self.ranks.slots:
            return
        if self.year is not None:
            self.b.season_of_year(self.year[0], self.year[1], "championship's year")
        if self.b.season is None:
            self.b.error(None, "season_unknown", "no season or year in the document")
            return
        first = min(slot.line for slot in self.ranks.slots.values())
        event = self.b.championship(self.series or "olympics", None, None, None, first)
        self.ranks.emit(event)

    def infobox_event(self) -> None:
        """The infobox's host city, venue and dates complete the document's championship."""
        series = self.series or ("olympics" if self.ranks.slots else None)
        if series is None or not self.b.has_championship(series):
            return
        venue = infobox_venue(self.infobox)
        span = dates_in(self.infobox["dates"][0]) if "dates" in self.infobox else None
        start, end = (span.start, span.end) if span else (None, None)
        if venue is not None or span is not None:
            self.b.championship(series, venue, start, end, 0)

    def infobox_medallists(self) -> None:
        from .infobox import medallists

        if self.title is None or not self.infobox:
            return
        medallists(self.b, self.ranks, self.title.text, self.title.gender, self.infobox)

    # -- standings ---------------------------------------------------------
    def ranking_table(self, block: Table, header: list[str | None], body: list[Row]) -> None:
        ranking = read_ranking(self.b, block, header, body)
        ranking.gender = self.gender()
        label = self.label()
        from_label = classification_in(block.label or "")
        if from_label is not None:
            ranking.classification = from_label
        elif label is not None and not label.used:
            ranking.classification = label.classification
            label.used = True
        elif ranking.gender is not None and looks_like_nations(ranking):
            ranking.classification = "relay"
            self.b.info(block.line, "classification_guessed", "unlabelled table of nations: relay")
        elif ranking.gender is not None and self.standings_tables == 0:
            ranking.classification = "overall"
            self.b.info(
                block.line, "classification_guessed", "first unlabelled ranking table: overall"
            )
        self.standings_tables += 1
        self.rankings.append(ranking)
        if self.kind() != "standings":
            self.close_standings()

    # -- events ------------------------------------------------------------
    def venue(self, place: str, line: int) -> Venue | None:
        """The venue of a place cell, read with the venue sub-heading above the table."""
        context = self.context()
        heading = venue_heading(heading_place(context.text)[0]) if context else ""
        heading_nation = resolve_nation(heading) if heading else None
        first, _, rest = heading.partition(" ")
        if rest and heading_nation is None and not first.isascii() and resolve_nation(first):
            heading = rest  # `일본 나고야`: the nation, then the city
            place = place or f"{rest}, {first}"
        venue = place_of(place)
        if venue is not None and venue.nation is not None:
            return venue
        if venue is None:
            if heading and heading_nation is None:
                return Venue(city=heading)
            return None
        if heading_nation is not None:
            return Venue(city=venue.city, nation=heading_nation)
        if heading and venue.city.casefold() != heading.casefold():
            return Venue(city=heading, arena=venue.city)
        return arena_venue(venue) if not heading else venue

    def podium_table(self, block: Table, header: list[str | None], body: list[Row]) -> None:
        gender = self.gender() or (self.title.gender if self.title else None)
        if gender is None and "gender" in header and body:
            gender = "mixed"  # every row names its own; a row that does not stays mixed
        if gender is None:
            self.b.warn(block.line, "table_not_understood", "results table without a gender")
            return
        PodiumTable(self, block, header, gender).read(body)

    # -- driver ------------------------------------------------------------
    def guarded_table(self, block: Table) -> None:
        """Read one table; a table that breaks the reader is an issue, never a crash."""
        placements = len(self.b.doc.placements)
        try:
            self.table(block)
        except (ValueError, LookupError, TypeError, ArithmeticError) as error:
            del self.b.doc.placements[placements:]
            self.b.error(
                block.line,
                "table_not_understood",
                f"the reader could not read this table ({type(error).__name__}); skipped",
            )

    def run(self) -> ParsedDocument:
        for block in self.tokens.blocks:
            if isinstance(block, Heading):
                self.heading(block)
            elif isinstance(block, Table):
                self.guarded_table(block)
            elif isinstance(block, Paragraph):
                self.paragraph(block)
            else:
                self.item(block)
        if self.b.season is None:
            for section in self.headings_seen:
                self.b.take_season(section)
        while self.stack:
            self.pop()
        self.close_standings()
        self.emit_ranks()
        self.infobox_event()
        self.medals.check(self.b)
        return self.b.doc
