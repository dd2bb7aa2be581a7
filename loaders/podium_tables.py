"""Podium tables: one row per race with its first three (`Winner | Second | Third`,
`Gold | Time | Silver | Time | Bronze | Time`), dated calendar rows, flattened rows
that lost their date, and championship rows that carry no date at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .lookups import gender_of, series_in
from .places import heading_place, place_of
from .podium_cells import Podium, podium_cells, recover_cells
from .rank_tables import row_distance
from .records import Gender, Venue
from .seasons import YEAR
from .standings import classification_in
from .tokens import Row, Table
from .values import (
    DateSpan,
    Distance,
    loose_distance,
    parse_date_prefix,
    parse_dates,
    parse_distance,
    parse_points,
)

if TYPE_CHECKING:
    from .results import Walker

PODIUM_SIZE = 3
WORLD_CUP = "world_cup"  # the series of a page of podium tables that names none
_YEAR = re.compile(rf"(?<!\d){YEAR}(?!\d)")


@dataclass(slots=True)
class RowPlace:
    """Where a row's race is: its event, the index of its distance cell, its date."""

    event: int
    at: int
    race_date: date | None
    dates: tuple[date, ...] = ()  # one per numbered race, when a cell gives several

    def date_of(self, race_no: int) -> date | None:
        if self.dates and race_no <= len(self.dates):
            return self.dates[race_no - 1]
        return self.race_date


class PodiumTable:
    """Reads the rows of one podium table in the walker's context."""

    def __init__(self, walker: Walker, block: Table, header: list[str | None], gender: Gender):
        self.w = walker
        self.b = walker.b
        self.block = block
        self.header = header
        self.gender = gender
        self.event: int | None = None
        self.undated = "date" not in header

    def read(self, body: list[Row]) -> None:
        for row in body:
            if any(row.cells):
                self.row(row)

    def row(self, row: Row) -> None:
        cells = row.cells
        date_at = self.date_at(row)
        span = parse_date_prefix(cells[date_at])
        dates = parse_dates(cells[date_at]) if span is None else None
        if dates is not None:
            span = DateSpan(min(dates), max(dates))
        if span is not None and span.rest:
            self.calendar_entry(span, row)
            return
        place = self.place(row, span)
        if place is None:
            return
        if dates is not None:
            place.dates = tuple(self.b.fix_date(d, row.line) for d in dates)
        if place.at >= len(cells):
            self.b.warn(row.line, "row_not_understood", "row ends before its distance")
            return
        distance = parse_distance(cells[place.at]) or loose_distance(cells[place.at])
        if distance is None:
            if classification_in(cells[place.at]) == "overall":
                self.overall(row, place.at)
                return
            code = "bad_date" if place.at == 0 and _YEAR.search(cells[0]) else "bad_distance"
            self.b.warn(row.line, code, f"{cells[place.at]!r} is not a date or a distance")
            return
        cell_gender = gender_of(cells[place.at]) or self.gender_cell(row)
        self.race_row(row, place, distance, span is not None, cell_gender)

    def gender_cell(self, row: Row) -> tuple[Gender, str] | None:
        """The gender a `Gender` column of the row names."""
        if "gender" in self.header and self.full_width(row):
            return gender_of(row.cells[self.header.index("gender")])
        return None

    def full_width(self, row: Row) -> bool:
        return len(row.cells) == len(self.header)

    def date_at(self, row: Row) -> int:
        """The date cell: the header's date column in a full row when it holds a date (a
        `No.` column may come first), else the first cell (flattened rows)."""
        if "date" in self.header and self.full_width(row):
            at = self.header.index("date")
            if at and parse_date_prefix(row.cells[at]) is not None:
                return at
        return 0

    def place(self, row: Row, span: DateSpan | None) -> RowPlace | None:
        """The event of a row: a dated row opens one; other rows continue the last."""
        cells = row.cells
        if span is not None:
            self.w.dated_rows += 1
            return self.dated(row, span)
        if row_distance(cells[0]) is None and _YEAR.search(cells[0]):
            self.b.warn(row.line, "bad_date", f"{cells[0]!r} is not a valid date; row skipped")
            self.event = None  # rows that continue this event cannot be placed either
            return None
        if self.event is None and self.undated:
            self.event = self.undated_event(row)
        elif parse_distance(cells[0]) is not None and not self.undated:
            self.w.flattened_rows += 1
        if self.event is None:
            self.b.warn(row.line, "row_without_event", "race row before any dated row; skipped")
            return None
        return RowPlace(self.event, self.distance_at(row), None)

    def distance_at(self, row: Row) -> int:
        """The distance cell of an undated row: the first (a flattened row), else the header's
        distance column (a `Gender | Event | Gold …` table)."""
        cells = row.cells
        if parse_distance(cells[0]) is not None or "distance" not in self.header:
            return 0
        at = self.header.index("distance")
        return at if self.full_width(row) and parse_distance(cells[at]) is not None else 0

    def dated(self, row: Row, span: DateSpan) -> RowPlace:
        cells = row.cells
        start = self.b.fix_date(span.start, row.line)
        end = self.b.fix_date(span.end, row.line) if span.end != span.start else start
        at = self.date_at(row) + 1
        place = ""
        where = "place" if "place" in self.header else "arena"
        if self.full_width(row) and {where, "distance"} <= set(self.header):
            place, at = cells[self.header.index(where)], self.header.index("distance")
        elif "place" in self.header and at < len(cells) and parse_distance(cells[at]) is None:
            place = cells[at]
            at += 1
        self.b.season_for(start, row.line)
        race_date = start if start == end else None
        heading_span = self.heading_span()
        if heading_span is not None and heading_span.start <= start <= heading_span.end:
            start, end = heading_span.start, max(end, heading_span.end)
        venue = self.w.venue(place, row.line)
        if venue is None:
            self.b.warn(row.line, "venue_unknown", "no venue for this event")
        self.event = self.open_event(venue, start, end, row.line)
        return RowPlace(self.event, at, race_date)

    def heading_span(self) -> DateSpan | None:
        """The dates the venue heading above the table gives, if any."""
        context = self.w.outline.context()
        return heading_place(context.text)[1] if context is not None else None

    def open_event(self, venue: Venue | None, start: date, end: date, line: int) -> int:
        series = self.w.series or WORLD_CUP
        if series == WORLD_CUP:
            return self.b.stop(venue, start, end, line)
        return self.b.championship(series, venue, start, end, line)

    def undated_event(self, row: Row) -> int | None:
        """The event of a table without dates: the stop its heading names with dates, else
        the document's championship."""
        context = self.w.outline.context()
        if context is not None:
            city, span = heading_place(context.text)
            if span is not None:
                context.used = True
                self.b.season_for(span.start, context.line)
                return self.open_event(Venue(city=city), span.start, span.end, context.line)
        series = self.w.series
        if context is not None and (series is None or series == WORLD_CUP):
            venue = self.w.venue("", row.line)
            if venue is not None and self.b.season is not None:
                context.used = True
                return self.b.stop_without_dates(venue, context.line)
        if series is None or series == WORLD_CUP:
            return None
        if self.b.season is None and self.w.year is not None:
            self.b.season_of_year(self.w.year[0], self.w.year[1], "championship's year")
        if self.b.season is None:
            self.b.error(row.line, "season_unknown", "no season or year in the document")
            return None
        return self.b.championship(series, None, None, None, self.block.line)

    def recovered(self, row: Row, at: int) -> Row:
        """A row narrower than its header whose run-together cells split back to width."""
        width = (
            len(self.header) - self.header.index("distance") + at
            if "distance" in self.header
            else 0
        )
        if not width or len(row.cells) >= width:
            return row
        cells = recover_cells(row.cells, width)
        if cells is None:
            return row
        self.b.info(row.line, "cells_recovered", "cells run together were split back apart")
        return Row(cells, [row.line] * len(cells), row.line)

    def race_row(
        self,
        row: Row,
        place: RowPlace,
        distance: Distance,
        dated: bool,
        cell_gender: tuple[Gender, str] | None,
    ) -> None:
        """The race (or races, when the cells number them) of one row and its podium."""
        gender = cell_gender[0] if cell_gender else self.gender
        row = self.recovered(row, place.at)
        podium = podium_cells(self.header, row, place.at, distance.is_relay)
        self.report_flattening(row, podium, dated)
        races: dict[int, int] = {}
        for seat in podium.seats:
            if seat.race_no not in races:
                numbered = Distance(distance.metres, distance.is_relay, seat.race_no)
                races[seat.race_no] = self.b.race(
                    place.event,
                    gender,
                    numbered if seat.race_no > 1 else distance,
                    place.date_of(seat.race_no),
                    row.line,
                )
            self.b.placement(
                races[seat.race_no], seat.rank, seat.who, gender, row.line, time_ms=seat.time_ms
            )
        if not races:
            self.b.race(place.event, gender, distance, place.race_date, row.line)
        for issue in podium.issues:
            self.b.doc.issue(issue.line, issue.severity, issue.code, issue.message)

    def report_flattening(self, row: Row, podium: Podium, dated: bool) -> None:
        roles = sum(1 for r in self.header if r in ("first", "second", "third"))
        if dated and roles < PODIUM_SIZE and podium.width < PODIUM_SIZE:
            self.b.info(
                row.line,
                "podium_lost_to_flattening",
                f"ranks {podium.width + 1}-{PODIUM_SIZE} of this race were lost when the "
                "table was flattened",
            )

    def overall(self, row: Row, at: int) -> None:
        """`Overall | Name CAN | 68 points | …`: the championship's overall standings."""
        from .records import Standing, new_person

        podium = podium_cells(self.header, row, at, relay=False)
        season = self.b.season
        if season is None or not podium.seats:
            self.b.warn(row.line, "row_not_understood", "an overall row without season or names")
            return
        for seat in podium.seats:
            who = seat.who
            person = (
                new_person(who.name, self.gender, who.nation, who.disambiguation, line=row.line)
                if who.name
                else None
            )
            points = parse_points(seat.extra.split()[0]) if seat.extra.split() else None
            self.b.doc.standings.append(
                Standing(
                    season,
                    self.w.series or WORLD_CUP,
                    self.gender,
                    "overall",
                    seat.rank,
                    person,
                    who.nation,
                    points,
                    row.line,
                )
            )

    def calendar_entry(self, span: DateSpan, row: Row) -> None:
        """`11-13 January 2002 European Championships in FRA Grenoble, France`."""
        series = series_in(span.rest)
        if series is None:
            self.b.warn(row.line, "row_not_understood", f"dated row {span.rest!r} names no series")
            return
        words = span.rest.split()
        venue: Venue | None = None
        for i, word in enumerate(words):
            if i > 0 and word.islower() and len(word) <= 3:
                venue = place_of(" ".join(words[i + 1 :]))
        start = self.b.fix_date(span.start, row.line)
        end = self.b.fix_date(span.end, row.line)
        self.b.season_for(start, row.line)
        self.b.championship(series, venue, start, end, row.line)
        if any(c.strip() for c in row.cells[1:]):
            self.b.warn(row.line, "row_not_understood", "cells after a calendar entry ignored")
