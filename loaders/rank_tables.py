"""Result tables read by rank: `Rank | Name | Country | Time | Notes`, `Medal | Athlete | Time`.

Each row is an entry of one race (the table's race, or the heat its `Heat` cell
names). Several tables that describe the same race (the same results in two
languages, an infobox and a final) are merged into one set of placements: the
first value in document order wins and every disagreement is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple

from .builder import Builder
from .competitors import Competitor, identity, parse_competitor, split_members
from .members import Team, add_member
from .records import Gender, Person, Placement, RaceNote
from .tokens import Row
from .values import (
    Distance,
    loose_distance,
    parse_distance,
    parse_rank,
    parse_time,
    plain_time_ms,
)
from .vocabulary import gender_of, is_not_awarded, mark_of, status_of

RANK_ROLES = ("medal", "rank")
UNRANKED = 0  # the rank key of entries without a rank (PEN, DNF), kept apart


@dataclass(slots=True)
class Entry:
    """One row of one table: who, at which rank, with what time, status and marks."""

    who: Competitor | None
    time_ms: int | None
    status: str | None
    line: int
    time_line: int
    marks: tuple[str, ...] = ()


class RaceKey(NamedTuple):
    gender: Gender
    metres: int
    is_relay: bool
    round: str
    race_no: int


@dataclass(slots=True)
class RaceSlot:
    """Everything the tables say about one race."""

    key: RaceKey
    distance: Distance
    line: int
    entries: dict[tuple[int, int], list[Entry]] = field(default_factory=dict)
    notes: list[tuple[str, str, int]] = field(default_factory=list)

    def add(self, rank: int, occurrence: int, entry: Entry) -> None:
        self.entries.setdefault((rank, occurrence), []).append(entry)


@dataclass(slots=True)
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
        def at(*roles: str) -> int:
            return next((i for i, r in enumerate(header) if r in roles), -1)

        notes = tuple(i for i, r in enumerate(header) if r in ("notes", "qualification"))
        return cls(
            at(*RANK_ROLES),
            at("athlete"),
            at("nation"),
            at("time"),
            at("heat"),
            notes,
            at("distance"),
            at("gender"),
        )


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


def row_distance(text: str) -> Distance | None:
    """A distance cell of a results row (`500 m`, `3000 m Staffel`, `Men's 1000 m`)."""
    return parse_distance(text) or loose_distance(text)


def is_rank_table(roles: set[str | None]) -> bool:
    """A table of one race's results: ranks beside competitors, no podium or points columns."""
    podium = {"first", "second", "third", "points", "date"}
    return (
        bool(roles & set(RANK_ROLES))
        and bool(roles & {"athlete", "nation"})
        and not (roles & podium)
    )


def marks_and_status(texts: list[str]) -> tuple[tuple[str, ...], str | None]:
    """Marks (`Q`, `ADV`, `OR`) and a status (`PEN`) from notes cells."""
    marks: list[str] = []
    status: str | None = None
    for text in texts:
        for word in text.replace(",", " ").replace(";", " ").split():
            mark = mark_of(word)
            if mark is not None:
                marks += [] if mark in marks else [mark]
                continue
            found = status_of(word)
            if found is not None:
                status = status or found
    return tuple(marks), status


class RankTables:
    """The races read from rank tables of one document, merged across tables."""

    def __init__(self, builder: Builder) -> None:
        self.b = builder
        self.slots: dict[RaceKey, RaceSlot] = {}
        self.last: RaceSlot | None = None

    def slot(self, key: RaceKey, distance: Distance, line: int) -> RaceSlot:
        found = self.slots.get(key)
        if found is None:
            found = self.slots[key] = RaceSlot(key, distance, line)
        return found

    def read(
        self,
        base: RaceKey,
        distance: Distance,
        rows: list[Row],
        header: list[str | None],
        language: str,
        line: int,
    ) -> None:
        """One entry per row; rows of another heat go to that heat's race."""
        columns = Columns.of(header)
        seen: dict[tuple[RaceKey, int], int] = {}
        self.last = self.slot(base, distance, line)
        for row in rows:
            key, distance = self.row_key(base, distance, row, columns)
            key = self.heat_key(key, row, columns)
            entry_rank = self.entry(row, columns, distance.is_relay, language)
            if entry_rank is None:
                continue
            entry, rank = entry_rank
            occurrence = seen.get((key, rank), 0)
            seen[(key, rank)] = occurrence + 1
            self.slot(key, distance, line if key == base else row.line).add(rank, occurrence, entry)

    def row_key(
        self, base: RaceKey, distance: Distance, row: Row, columns: Columns
    ) -> tuple[RaceKey, Distance]:
        """The race of a row whose own cells name its distance or gender."""
        cells = row.cells
        if 0 <= columns.distance < len(cells):
            found = row_distance(cells[columns.distance])
            if found is not None:
                distance = found
                base = base._replace(
                    metres=found.metres, is_relay=found.is_relay, race_no=found.race_no
                )
        if 0 <= columns.gender < len(cells):
            gender = gender_of(cells[columns.gender])
            if gender is not None:
                base = base._replace(gender=gender[0])
        return base, distance

    def heat_key(self, base: RaceKey, row: Row, columns: Columns) -> RaceKey:
        if 0 <= columns.heat < len(row.cells):
            number = parse_rank(row.cells[columns.heat])
            if number is not None and number > 0:
                round_ = base.round if base.round != "final" else "heat"
                return RaceKey(base.gender, base.metres, base.is_relay, round_, number)
        return base

    def entry(
        self, row: Row, columns: Columns, relay: bool, language: str
    ) -> tuple[Entry, int] | None:
        """The entry of one row and its rank (UNRANKED when none), or None to skip the row."""
        cells = row.cells
        width = len(cells)
        rank_text = cells[columns.rank] if 0 <= columns.rank < width else ""
        marks, status = marks_and_status([cells[i] for i in columns.notes if i < width])
        who, line = self.competitor(row, columns, relay, language)
        time_ms, time_status, time_line = self.time(row, columns)
        status = status or time_status
        rank = parse_rank(rank_text)
        if rank is None or rank <= 0:
            if who is not None and (status or not rank_text.strip(" -\u2013\u2014")):
                if status is None:
                    self.b.info(line, "rank_missing", "a competitor without rank or status; kept")
                return Entry(who, time_ms, status, line, time_line, marks), UNRANKED
            if is_not_awarded(" ".join(cells)):
                self.b.info(row.line, "not_awarded", "a medal was not awarded")
                return None
            code = "rank_zero" if rank == 0 else "bad_rank"
            line_at = row.lines[columns.rank] if 0 <= columns.rank < width else row.line
            self.b.warn(line_at, code, f"{rank_text!r} is not a rank; row skipped")
            return None
        return Entry(who, time_ms, status, line, time_line, marks), rank

    def competitor(
        self, row: Row, columns: Columns, relay: bool, language: str
    ) -> tuple[Competitor | None, int]:
        cells = row.cells
        width = len(cells)
        if not 0 <= columns.who < width and not 0 <= columns.nation < width:
            return None, row.line
        at = columns.who if 0 <= columns.who < width else columns.nation
        line = row.lines[at]
        text = cells[columns.who] if 0 <= columns.who < width else ""
        nation_text = cells[columns.nation] if 0 <= columns.nation < width else ""
        if nation_text and columns.nation != at:
            who = _with_nation(text, nation_text, language, relay)
            if who is not None:
                return who, line
        if nation_text and columns.nation != at:
            text = f"{text} ({nation_text})" if text else nation_text
        elif at == columns.nation:
            text = nation_text
        who = parse_competitor(text, language, relay)
        if who is not None and who.truncated:
            self.b.warn(line, "truncated_cell", f"cell {cells[at]!r} lost its beginning")
        return who, line

    def time(self, row: Row, columns: Columns) -> tuple[int | None, str | None, int]:
        if not 0 <= columns.time < len(row.cells):
            return None, None, row.line
        line = row.lines[columns.time]
        text = row.cells[columns.time]
        if not text.strip(" -\u2013\u2014"):
            return None, None, line  # no time given
        time_ms = plain_time_ms(text)
        if time_ms is not None:
            return time_ms, None, line
        parsed = parse_time(text.replace(",", ".") if text.count(",") == 1 else text)
        if parsed is None:
            return None, None, line
        if parsed.problem:
            self.b.warn(line, "bad_time", parsed.problem)
            return None, None, line
        return parsed.ms, parsed.status, line

    # -- merge ---------------------------------------------------------------
    def emit(self, event: int) -> None:
        """One race per slot and one placement per rank (and per unranked competitor)."""
        for slot in self.slots.values():
            key = slot.key
            distance = Distance(key.metres, key.is_relay, key.race_no)
            race = self.b.race(
                event, key.gender, distance, None, slot.line, merge=True, round_=key.round
            )
            for (rank, _), entries in sorted(slot.entries.items()):
                quick = _single(race, key.gender, rank, entries) if not key.is_relay else None
                if quick is not None:
                    self.b.doc.placements.append(quick)
                else:
                    Merge(self.b, race, key.gender, key.is_relay, rank).add_all(entries)
            for text, language, line in slot.notes:
                self.b.doc.notes.append(RaceNote(race, text, language, line))


def _single(race: int, gender: Gender, rank: int, entries: list[Entry]) -> Placement | None:
    """The placement of a rank one table gives plainly (the common case), without a merge."""
    if len(entries) != 1:
        return None
    entry = entries[0]
    who = entry.who
    if who is None or who.name is None or who.team or who.members or who.unresolved:
        return None
    athlete = Person(who.name, gender, who.nation, who.disambiguation, line=entry.line)
    return Placement(
        race,
        rank or None,
        athlete,
        who.nation,
        (),
        entry.time_ms,
        entry.status,
        entry.line,
        entry.marks,
    )


class Merge:
    """One placement from every table's entry for one rank of one race."""

    def __init__(self, builder: Builder, race: int, gender: Gender, relay: bool, rank: int):
        self.b = builder
        self.race, self.gender, self.relay, self.rank = race, gender, relay, rank
        self.name: tuple[str, str | None, int] | None = None
        self.nation: tuple[str, int] | None = None
        self.time: tuple[int, int] | None = None
        self.status: str | None = None
        self.marks: list[str] = []
        self.team = Team()

    def conflict(self, what: str, first: object, other: object, a: int, b: int) -> None:
        self.b.warn(
            b,
            "conflicting_values",
            f"{what}: {first} (line {a}) and {other} (line {b}) disagree; kept {first}",
        )

    def add_all(self, entries: list[Entry]) -> None:
        if self.rank == UNRANKED and len(entries) > 1:
            for entry in entries:  # unranked competitors are each their own placement
                Merge(self.b, self.race, self.gender, self.relay, self.rank).add_all([entry])
            return
        for entry in entries:
            self.add(entry)
        self.place(entries[0].line)

    def add(self, entry: Entry) -> None:
        label = f"rank {self.rank}"
        if entry.time_ms is not None:
            if self.time is None:
                self.time = (entry.time_ms, entry.time_line)
            elif self.time[0] != entry.time_ms:
                self.conflict(
                    f"time of {label}",
                    clock(self.time[0]),
                    clock(entry.time_ms),
                    self.time[1],
                    entry.time_line,
                )
        self.status = self.status or entry.status
        self.marks += [m for m in entry.marks if m not in self.marks]
        who = entry.who
        if who is None:
            return
        if who.nation is not None:
            if self.nation is None:
                self.nation = (who.nation, entry.line)
            elif self.nation[0] != who.nation:
                self.conflict(
                    f"nation of {label}", self.nation[0], who.nation, self.nation[1], entry.line
                )
        if who.name is not None:
            if self.name is None:
                self.name = (who.name, who.disambiguation, entry.line)
            elif identity(self.name[0]) != identity(who.name):
                self.conflict(
                    f"athlete of {label}", self.name[0], who.name, self.name[2], entry.line
                )
        for member in who.members:
            add_member(self.b, self.team, member, entry.line, self.rank)
        if who.unresolved:
            self.b.warn(entry.line, "unknown_nation", f"no nation is known as {who.unresolved!r}")

    def place(self, line: int) -> None:
        code = self.nation[0] if self.nation else None
        athlete: Person | None = None
        team: tuple[Person, ...] = ()
        if self.relay:
            team = tuple(
                Person(m.name, self.gender, code, spellings=tuple(m.spellings), line=m.line)
                for m in self.team.members
            )
            if code is None:
                names = ", ".join(m.name for m in self.team.members)
                self.b.info(
                    line,
                    "relay_nation_unknown",
                    f"relay rank {self.rank}: nation lost; members {names}",
                )
        elif self.name is not None:
            athlete = Person(self.name[0], self.gender, code, self.name[1], line=self.name[2])
        else:
            self.b.info(line, "name_lost", f"rank {self.rank}: only the nation {code} is given")
        self.b.doc.placements.append(
            Placement(
                self.race,
                self.rank or None,
                athlete,
                code,
                team,
                self.time[0] if self.time else None,
                self.status,
                line,
                tuple(self.marks),
            )
        )


def clock(ms: int) -> str:
    """`41.802`, `1:29.109`: a time as people write it."""
    minutes, rest = divmod(ms, 60000)
    seconds = f"{rest / 1000:06.3f}" if minutes else f"{rest / 1000:.3f}"
    return f"{minutes}:{seconds}" if minutes else seconds
