"""Rows of a rank table read into entries: who, at which rank, with what time, status, marks.

`RowReader` reads one table's rows by its header's columns. Rows are most of a long
document, so the common row (a rank, a name beside a nation, a plain time, a short
note) is read through cached look-ups without building anything but its `Entry`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from .builder import Builder
from .competitors import Competitor, parse_competitor, split_members
from .lookups import is_not_awarded, mark_of, status_of
from .memo import text_cache
from .tokens import Row
from .values import parse_rank, parse_time, plain_time_ms

RANK_ROLES = ("medal", "rank")
UNRANKED = 0  # the rank key of entries without a rank (PEN, DNF), kept apart
NO_TIME = " -\u2013\u2014"  # what an empty time or rank cell may still hold


@dataclass(slots=True)
class Entry:
    """One row of one table: who, at which rank, with what time, status and marks."""

    who: Competitor | None
    time_ms: int | None
    status: str | None
    line: int
    time_line: int
    marks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Columns:
    """Where each role stands in a rank table's header (-1 when absent)."""

    rank: int
    who: int
    nation: int
    time: int
    heat: int
    notes: tuple[int, ...]
    distance: int = -1  # a column that names each row's distance (an overview table)
    gender: int = -1

    @classmethod
    def of(cls, header: list[str | None]) -> Columns:
        return _columns(tuple(header))


@text_cache(limit=1024)
def _columns(header: tuple[str | None, ...]) -> Columns:
    """`Columns.of` a header's roles (cached: a document repeats its headers)."""
    first: dict[str | None, int] = {}
    for i, role in enumerate(header):
        first.setdefault(role, i)

    def at(*roles: str) -> int:
        return min((first[r] for r in roles if r in first), default=-1)

    notes = tuple(i for i, r in enumerate(header) if r in ("notes", "qualification"))
    return Columns(
        at(*RANK_ROLES),
        at("athlete"),
        at("nation"),
        at("time"),
        at("heat"),
        notes,
        at("distance"),
        at("gender"),
    )


def is_rank_table(roles: set[str | None]) -> bool:
    """A table of one race's results: ranks beside competitors, no podium or points columns."""
    podium = {"first", "second", "third", "points", "date"}
    return (
        bool(roles & set(RANK_ROLES))
        and bool(roles & {"athlete", "nation"})
        and not (roles & podium)
    )


@text_cache(limit=4096)
def notes_of(text: str) -> tuple[tuple[str, ...], str | None]:
    """Marks (`Q`, `ADV`, `OR`) and the first status (`PEN`) one notes cell names."""
    marks: list[str] = []
    status: str | None = None
    for word in text.replace(",", " ").replace(";", " ").split():
        mark = mark_of(word)
        if mark is not None:
            marks += [] if mark in marks else [mark]
            continue
        status = status or status_of(word)
    return tuple(marks), status


def marks_and_status(texts: list[str]) -> tuple[tuple[str, ...], str | None]:
    """Marks and a status from several notes cells, in the order written."""
    marks: tuple[str, ...] = ()
    status: str | None = None
    for text in texts:
        found, first = notes_of(text)
        marks += tuple(m for m in found if m not in marks)
        status = status or first
    return marks, status


@lru_cache(maxsize=16384)
def _with_nation(text: str, nation_text: str, language: str, relay: bool) -> Competitor | None:
    """A name cell beside a nation cell (`Luca Moretti` | `ITA Italia`), when the nation
    cell reads as a nation on its own; None otherwise."""
    team = parse_competitor(nation_text, language, True)
    if team is None or team.nation is None:
        return None
    if relay and ("," in text or ";" in text):  # the team's members, listed
        return Competitor(nation=team.nation, team=True, members=split_members(text))
    who = parse_competitor(text, language, relay) if text else None
    if who is None:
        return Competitor(nation=team.nation, team=relay)
    return replace(who, nation=team.nation, unresolved=None)


class RowReader:
    """Reads the rows of one rank table in its header's language."""

    def __init__(self, builder: Builder, columns: Columns, language: str) -> None:
        self.b = builder
        self.columns = columns
        self.language = language
        self.rank = columns.rank
        self.who = columns.who
        self.nation = columns.nation
        self.time = columns.time
        self.notes = columns.notes

    def entries(self, rows: list[Row], relay: bool) -> list[tuple[Entry, int] | None]:
        """The entry and rank of each row (None to skip it). When every row holds the rank,
        competitor and time columns, the pure cell readers run column by column through
        their caches; a row they do not read plainly is read again by `entry`."""
        if not rows or not self.plain_layout(rows):
            return [self.entry(row, relay) for row in rows]
        cells = [row.cells for row in rows]
        rank, time, who = self.rank, self.time, self.who
        ranks = [parse_rank(c[rank]) for c in cells]
        times = [plain_time_ms(c[time]) for c in cells]
        notes = [notes_of(c[self.notes[0]]) for c in cells] if self.notes else None
        read: list[tuple[Entry, int] | None] = []
        for i, competitor in enumerate(self.competitors(cells, relay)):
            rank_i, time_ms = ranks[i], times[i]
            if competitor is None or time_ms is None or rank_i is None or rank_i <= 0:
                read.append(self.entry(rows[i], relay))
                continue
            marks, status = notes[i] if notes is not None else ((), None)
            lines = rows[i].lines
            read.append(
                (Entry(competitor, time_ms, status, lines[who], lines[time], marks), rank_i)
            )
        return read

    def plain_layout(self, rows: list[Row]) -> bool:
        """True when the rank, athlete and time columns (and at most one notes column) are
        known and every row is wide enough to hold each column the reader reads."""
        if min(self.rank, self.who, self.time) < 0 or len(self.notes) > 1:
            return False
        widest = max(self.rank, self.who, self.nation, self.time, *self.notes)
        return min(len(row.cells) for row in rows) > widest

    def competitors(self, cells: list[list[str]], relay: bool) -> list[Competitor | None]:
        """Each row's competitor when its cells read plainly (a name beside a nation, or a
        name cell that lost nothing), else None for `entry` to read the row."""
        who, nation, language = self.who, self.nation, self.language
        if nation >= 0:
            return [
                _with_nation(c[who], c[nation], language, relay) if c[nation] else None
                for c in cells
            ]
        found = [parse_competitor(c[who], language, relay) for c in cells]
        return [c if c is not None and not c.truncated else None for c in found]

    def entry(self, row: Row, relay: bool) -> tuple[Entry, int] | None:
        """The entry of one row and its rank (UNRANKED when none), or None to skip the row."""
        cells = row.cells
        width = len(cells)
        notes = self.notes
        if len(notes) == 1:
            marks, status = notes_of(cells[notes[0]]) if notes[0] < width else ((), None)
        else:
            marks, status = marks_and_status([cells[i] for i in notes if i < width])
        who, line = self.competitor(row, relay)
        at = self.time
        time_ms = plain_time_ms(cells[at]) if 0 <= at < width else None
        if time_ms is not None:  # the common cell, read here
            time_line = row.lines[at]
        else:
            time_ms, time_status, time_line = self.time_of(row)
            status = status or time_status
        rank_text = cells[self.rank] if 0 <= self.rank < width else ""
        rank = parse_rank(rank_text)
        if rank is None or rank <= 0:
            entry = Entry(who, time_ms, status, line, time_line, marks)
            return self.unranked(row, entry, rank_text, rank)
        return Entry(who, time_ms, status, line, time_line, marks), rank

    def unranked(
        self, row: Row, entry: Entry, rank_text: str, rank: int | None
    ) -> tuple[Entry, int] | None:
        """A row without a rank: kept when it names a competitor with a status (or no rank
        at all), else an issue and skipped."""
        if entry.who is not None and (entry.status or not rank_text.strip(NO_TIME)):
            if entry.status is None:
                self.b.info(entry.line, "rank_missing", "a competitor without rank or status; kept")
            return entry, UNRANKED
        if is_not_awarded(" ".join(row.cells)):
            self.b.info(row.line, "not_awarded", "a medal was not awarded")
            return None
        code = "rank_zero" if rank == 0 else "bad_rank"
        line_at = row.lines[self.rank] if 0 <= self.rank < len(row.cells) else row.line
        self.b.warn(line_at, code, f"{rank_text!r} is not a rank; row skipped")
        return None

    def competitor(self, row: Row, relay: bool) -> tuple[Competitor | None, int]:
        cells = row.cells
        width = len(cells)
        has_who = 0 <= self.who < width
        has_nation = 0 <= self.nation < width
        if not has_who and not has_nation:
            return None, row.line
        at = self.who if has_who else self.nation
        text = cells[self.who] if has_who else ""
        nation_text = cells[self.nation] if has_nation else ""
        if nation_text and self.nation != at:
            who = _with_nation(text, nation_text, self.language, relay)
            if who is not None:
                return who, row.lines[at]
            text = f"{text} ({nation_text})" if text else nation_text
        elif at == self.nation:
            text = nation_text
        who = parse_competitor(text, self.language, relay)
        if who is not None and who.truncated:
            self.b.warn(row.lines[at], "truncated_cell", f"cell {cells[at]!r} lost its beginning")
        return who, row.lines[at]

    def time_of(self, row: Row) -> tuple[int | None, str | None, int]:
        """The time of a row (or the status its time cell gives) and the cell's line."""
        if not 0 <= self.time < len(row.cells):
            return None, None, row.line
        line = row.lines[self.time]
        text = row.cells[self.time]
        time_ms = plain_time_ms(text)
        if time_ms is not None:
            return time_ms, None, line
        if not text.strip(NO_TIME):
            return None, None, line  # no time given
        parsed = parse_time(text.replace(",", ".") if text.count(",") == 1 else text)
        if parsed is None:
            return None, None, line
        if parsed.problem:
            self.b.warn(line, "bad_time", parsed.problem)
            return None, None, line
        return parsed.ms, parsed.status, line
