"""The walker: one pass over a document's blocks in order.

It keeps the outline of headings (`loaders.outline`), takes the title, season,
series and infobox from headings, prose and list lines, hands each table to the
table dispatch (`loaders.table_dispatch`), and at the end puts the rank tables'
races into the document's championship.
"""

from __future__ import annotations

from .builder import Builder
from .lookups import (
    column_role,
    gender_of,
    series_in,
)
from .medal_counts import MedalCounts
from .nations import resolve_nation
from .outline import Outline, Section, section_of
from .places import arena_venue, heading_place, infobox_venue, place_of, venue_heading
from .podium_tables import WORLD_CUP
from .rank_tables import RankTables
from .records import ParsedDocument, Venue
from .seasons import championship_year, olympic_year
from .standings import (
    RankingTable,
    classification_in,
    looks_like_nations,
    read_ranking,
    settle_unlabelled,
)
from .table_dispatch import TableDispatch
from .tokens import Heading, Item, Paragraph, Row, Table, Tokens
from .values import dates_in
from .vocabulary import fold, vocabulary


class Walker:
    """One pass over the blocks of a document: headings, prose, infobox lines and tables."""

    def __init__(self, fmt: str, tokens: Tokens) -> None:
        self.b = Builder(fmt)
        self.tokens = tokens
        self.outline = Outline()
        self.series: str | None = None
        self.year: tuple[int, int] | None = None
        self.title: Section | None = None
        self.ranks = RankTables(self.b)
        self.medals = MedalCounts()
        self.infobox: dict[str, tuple[str, int]] = {}
        self.headings_seen: list[str] = []
        self.flattened_rows = 0  # event rows that start with a distance (a flattened table)
        self.dated_rows = 0
        self.venue_conflicts: set[tuple[str, str]] = set()  # (heading, cell city) said once
        self.results_tables = 0  # tables whose header says they hold results
        self.rankings: list[RankingTable] = []
        self.standings_tables = 0
        self.cut_reported = False  # a row the text ends inside is reported once
        self.note_language = "en"  # the language of the last rank table's header

    # -- blocks ------------------------------------------------------------
    def text_facts(self, text: str, line: int) -> None:
        """Title, season, series and Olympic year from a title, caption or prose line."""
        if self.b.doc.title is None:
            self.b.doc.title = text
        self.b.take_season(text, line)
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
        while self.outline.stack and self.outline.stack[-1].level >= block.level:
            self.pop()
        if self.outline.kind() != "standings" and self.rankings and block.level <= 2:
            self.close_standings()
        self.headings_seen.append(block.text)
        section = section_of(block)
        if section.kind == "standings" and self.rankings:
            self.close_standings()
        self.outline.stack.append(section)

    def pop(self) -> None:
        section = self.outline.stack.pop()
        if section.kind == "context" and not section.used and self.outline.kind() != "ignored":
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
            self.b.take_season(block.text, block.line)
        elif series_in(block.text) is not None or olympic_year(block.text) is not None:
            self.text_facts(block.text, block.line)

    # -- the championship ----------------------------------------------------
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

    # -- standings and events ------------------------------------------------
    def ranking_table(self, block: Table, header: list[str | None], body: list[Row]) -> None:
        ranking = read_ranking(self.b, block, header, body)
        ranking.gender = self.outline.gender()
        label = self.outline.label()
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
        if self.outline.kind() != "standings":
            self.close_standings()

    def venue(self, place: str, line: int) -> Venue | None:
        """The venue of a place cell, read with the venue sub-heading above the table."""
        context = self.outline.context()
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
            if venue.arena is not None:  # the cell names a city of its own: it wins, said once
                self._venue_conflict(heading, venue, line)
                return venue
            return Venue(city=heading, arena=venue.city)
        return arena_venue(venue) if not heading else venue

    def _venue_conflict(self, heading: str, venue: Venue, line: int) -> None:
        if (heading, venue.city) not in self.venue_conflicts:
            self.venue_conflicts.add((heading, venue.city))
            self.b.warn(
                line,
                "conflicting_values",
                f"the place cell names {venue.city} ({venue.arena}) under a heading that names"
                f" {heading}; the cell's city is kept",
            )

    # -- driver ------------------------------------------------------------
    def guarded_table(self, block: Table) -> None:
        """Read one table; a table that breaks the reader is an issue, never a crash."""
        placements = len(self.b.doc.placements)
        try:
            TableDispatch(self).read(block)
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
        while self.outline.stack:
            self.pop()
        self.close_standings()
        self.emit_ranks()
        self.infobox_event()
        self.b.report_incomplete_events()
        self.medals.check(self.b)
        return self.b.doc
