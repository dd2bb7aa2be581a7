"""Result tables read by rank: `Rank | Name | Country | Time | Notes`, `Medal | Athlete | Time`.

Each row is an entry of one race (the table's race, or the heat its `Heat` cell
names). Several tables that describe the same race (the same results in two
languages, an infobox and a final) are merged into one set of placements: the
first value in document order wins and every disagreement is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from .builder import Builder
from .competitors import identity
from .lookups import gender_of
from .members import Team, add_member
from .rank_rows import UNRANKED, Columns, Entry, RowReader
from .records import Gender, Person, Placement, RaceNote, new_person, new_placement
from .tokens import Row
from .values import Distance, loose_distance, parse_distance, parse_rank


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


def _heat(base: RaceKey, number: int | None) -> RaceKey:
    """The race numbered `number` in the round of `base` (a final's rows: its heats)."""
    if number is None or number <= 0:
        return base
    round_ = base.round if base.round != "final" else "heat"
    return RaceKey(base.gender, base.metres, base.is_relay, round_, number)


def row_distance(text: str) -> Distance | None:
    """A distance cell of a results row (`500 m`, `3000 m Staffel`, `Men's 1000 m`)."""
    return parse_distance(text) or loose_distance(text)


class RankTables:
    """The races read from rank tables of one document, merged across tables."""

    def __init__(self, builder: Builder) -> None:
        self.b = builder
        self.slots: dict[RaceKey, RaceSlot] = {}
        self.last: RaceSlot | None = None
        self.heats: dict[tuple[RaceKey, str], RaceKey] = {}

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
        reader = RowReader(self.b, columns, language)
        self.last = self.slot(base, distance, line)
        if columns.distance >= 0 or columns.gender >= 0:
            self.read_own_races(base, distance, rows, reader, line)
            return
        entries = reader.entries(rows, distance.is_relay)
        heat = columns.heat
        races: dict[str | None, tuple[RaceSlot, dict[int, int]]] = {}
        seen: dict[RaceKey, dict[int, int]] = {}  # per race: how often each rank came
        for row, entry_rank in zip(rows, entries, strict=True):
            if entry_rank is None:
                continue
            cells = row.cells
            text = cells[heat] if 0 <= heat < len(cells) else None
            race = races.get(text)
            if race is None:
                key = self.heat_key(base, row, columns)
                slot = self.slots.get(key) or self.slot(
                    key, distance, line if key == base else row.line
                )
                race = races[text] = (slot, seen.setdefault(key, {}))
            slot, ranks = race
            entry, rank = entry_rank
            occurrence = ranks.get(rank, 0)
            ranks[rank] = occurrence + 1
            group = slot.entries.get((rank, occurrence))
            if group is None:
                slot.entries[(rank, occurrence)] = [entry]
            else:
                group.append(entry)

    def read_own_races(
        self, base: RaceKey, distance: Distance, rows: list[Row], reader: RowReader, line: int
    ) -> None:
        """The rows of a table whose cells name each row's distance or gender."""
        columns = reader.columns
        seen: dict[tuple[RaceKey, int], int] = {}
        for row in rows:
            key, distance = self.row_key(base, distance, row, columns)
            if columns.heat >= 0:
                key = self.heat_key(key, row, columns)
            entry_rank = reader.entry(row, distance.is_relay)
            if entry_rank is None:
                continue
            entry, rank = entry_rank
            occurrence = seen.get((key, rank), 0)
            seen[(key, rank)] = occurrence + 1
            slot = self.slots.get(key)
            if slot is None:
                slot = self.slot(key, distance, line if key == base else row.line)
            slot.entries.setdefault((rank, occurrence), []).append(entry)

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
        """The race of a row whose `Heat` cell numbers it (read once per cell text)."""
        if not 0 <= columns.heat < len(row.cells):
            return base
        text = row.cells[columns.heat]
        found = self.heats.get((base, text))
        if found is None:
            found = self.heats[(base, text)] = _heat(base, parse_rank(text))
        return found

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
    # Positional: a keyword argument costs the record's constructor a dict per placement.
    athlete = new_person(who.name, gender, who.nation, who.disambiguation, (), entry.line)
    return new_placement(
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
                new_person(m.name, self.gender, code, spellings=tuple(m.spellings), line=m.line)
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
            athlete = new_person(self.name[0], self.gender, code, self.name[1], line=self.name[2])
        else:
            self.b.info(line, "name_lost", f"rank {self.rank}: only the nation {code} is given")
        self.b.doc.placements.append(
            new_placement(
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
