"""Family 3: MediaWiki medal tables of a championship, possibly in several languages.

Each `{| … |}` table is one race (gender from the section heading, distance from
the race heading). Sections in different languages that describe the same race
are merged into one set of placements: the first value in document order wins
and every disagreement is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from loaders.builder import Builder
from loaders.competitors import Competitor, identity, near_miss, parse_competitor
from loaders.records import Gender, ParsedDocument, Person, Placement, RaceNote
from loaders.results import header_roles
from loaders.seasons import olympic_year
from loaders.tokens import Heading, Item, Paragraph, Row, Table, Tokens, tokenize
from loaders.values import Distance, find_distance, parse_rank, parse_time, plain_time_ms
from loaders.vocabulary import gender_of, language_of_header, series_in

FORMAT = "wikitable"
_RANK_ROLES = ("medal", "rank")


@dataclass(slots=True)
class Entry:
    """One cell row of one section: who, at which rank, with what time."""

    who: Competitor | None
    time_ms: int | None
    status: str | None
    line: int
    time_line: int


@dataclass(slots=True)
class RaceSlot:
    """Everything the sections say about one race."""

    gender: Gender
    distance: Distance
    line: int
    entries: dict[tuple[int, int], list[Entry]] = field(default_factory=dict)
    notes: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass(slots=True)
class Member:
    name: str
    spellings: list[str]
    line: int


def detect(text: str) -> float:
    """Confidence that `text` holds MediaWiki medal or result tables."""
    tables = [b for b in tokenize(text).blocks if isinstance(b, Table) and b.kind == "wiki"]
    if not tables:
        return 0.0
    for table in tables:
        for row in table.rows[:3]:
            roles = set(header_roles(row))
            if roles & set(_RANK_ROLES) and ("athlete" in roles or "time" in roles):
                return 0.9
    return 0.3


class _Parser:
    def __init__(self, tokens: Tokens) -> None:
        self.tokens = tokens
        self.b = Builder(FORMAT)
        self.slots: dict[tuple[Gender, int, bool, int], RaceSlot] = {}
        self.headings: list[tuple[int, Heading]] = []
        self.section_language: str | None = None
        self.last_slot: RaceSlot | None = None
        self.note_language = "en"
        self.series: str | None = None
        self.year: tuple[int, int] | None = None

    def gender(self) -> tuple[Gender, str] | None:
        for _, heading in reversed(self.headings):
            found = gender_of(heading.text)
            if found is not None:
                return found
        return None

    def distance(self, table: Table) -> Distance | None:
        if table.label:
            found = find_distance(table.label)
            if found is not None:
                return found
        for _, heading in reversed(self.headings):
            found = find_distance(heading.text)
            if found is not None:
                return found
        return None

    def text_facts(self, text: str, line: int) -> None:
        """Title, series and year from a title, caption or prose line."""
        if self.b.doc.title is None:
            self.b.doc.title = text
        self.b.take_season(text)
        series = series_in(text)
        if series is not None and self.series is None:
            self.series = series
        year = olympic_year(text)
        if year is not None and self.year is None:
            self.year = (year, line)

    def heading(self, block: Heading) -> None:
        self.last_slot = None
        if block.level == 1:
            self.text_facts(block.text, block.line)
            return
        while self.headings and self.headings[-1][0] >= block.level:
            self.headings.pop()
        self.headings.append((block.level, block))
        if gender_of(block.text) is None and find_distance(block.text) is None:
            self.b.warn(block.line, "heading_not_understood", f"heading {block.text!r} ignored")

    def paragraph(self, block: Paragraph) -> None:
        if block.bold or self.last_slot is None:
            self.text_facts(block.text, block.line)
            if block.bold:
                self.last_slot = None
            return
        self.last_slot.notes.append((block.text, self.note_language, block.line))

    def table(self, block: Table) -> None:
        self.last_slot = None
        if not block.closed:
            self.b.warn(
                self.tokens.line_count,
                "document_truncated",
                "the text ends inside this table; its complete rows are loaded",
            )
        start = next(
            (i for i, r in enumerate(block.rows) if sum(1 for x in header_roles(r) if x) >= 2),
            None,
        )
        gender = self.gender()
        distance = self.distance(block)
        if start is None or gender is None or distance is None:
            self.b.warn(block.line, "table_not_understood", "table without header, gender or race")
            return
        header = header_roles(block.rows[start])
        language = language_of_header(block.rows[start].cells) or gender[1]
        self.note_language = language
        key = (gender[0], distance.metres, distance.is_relay, distance.race_no)
        slot = self.slots.get(key)
        if slot is None:
            slot = RaceSlot(gender[0], distance, block.line)
            self.slots[key] = slot
        self.last_slot = slot
        rows = block.rows[start + 1 :]
        if rows and not self.complete(block, rows[-1], len(header)):
            rows.pop()
        self.read_rows(slot, rows, header, language)

    def complete(self, table: Table, last_row: Row, width: int) -> bool:
        """False when the text ends inside the last row (the cut itself is reported per table)."""
        if table.closed:
            return True
        return self.tokens.ends_with_newline and len(last_row.cells) >= width

    def read_rows(
        self, slot: RaceSlot, rows: list[Row], header: list[str | None], language: str
    ) -> None:
        """One entry of `slot` per row with a rank; one loop per table, locals bound once."""
        rank_at = next((i for i, r in enumerate(header) if r in _RANK_ROLES), 0)
        who_at = header.index("athlete") if "athlete" in header else -1
        nation_at = header.index("nation") if "nation" in header else -1
        time_at = header.index("time") if "time" in header else -1
        relay = slot.distance.is_relay
        entries = slot.entries
        warn = self.b.warn
        seen: dict[int, int] = {}
        for row in rows:
            cells = row.cells
            width = len(cells)
            if rank_at >= width:
                warn(row.line, "row_width_mismatch", "row without a rank cell")
                continue
            rank = parse_rank(cells[rank_at])
            if rank is None or rank <= 0:
                code = "rank_zero" if rank == 0 else "bad_rank"
                warn(row.lines[rank_at], code, f"{cells[rank_at]!r} is not a rank; row skipped")
                continue
            who: Competitor | None = None
            line = row.line
            if 0 <= who_at < width:
                line = row.lines[who_at]
                text = cells[who_at]
                if 0 <= nation_at < width and cells[nation_at]:
                    text = f"{text} ({cells[nation_at]})" if text else cells[nation_at]
                who = parse_competitor(text, language, relay)
                if who is not None and who.truncated:
                    warn(line, "truncated_cell", f"cell {cells[who_at]!r} lost its beginning")
            time_ms = status = None
            time_line = row.line
            if 0 <= time_at < width:
                time_line = row.lines[time_at]
                time_ms = plain_time_ms(cells[time_at])
                parsed = parse_time(cells[time_at]) if time_ms is None else None
                if parsed is not None and parsed.problem:
                    warn(time_line, "bad_time", parsed.problem)
                elif parsed is not None:
                    time_ms, status = parsed.ms, parsed.status
            occurrence = seen.get(rank, 0)
            seen[rank] = occurrence + 1
            entry = Entry(who, time_ms, status, line, time_line)
            same_rank = entries.get((rank, occurrence))
            if same_rank is None:
                entries[(rank, occurrence)] = [entry]
            else:
                same_rank.append(entry)

    # -- merge -------------------------------------------------------------
    def emit(self) -> None:
        if not self.slots:
            return
        series = self.series or "olympics"
        if self.year is not None:
            self.b.season_of_year(self.year[0], self.year[1], "championship's year")
        if self.b.season is None:
            self.b.error(None, "season_unknown", "no season or year in the document")
            return
        event = self.b.championship(series, None, None, None, self.first_line())
        for slot in self.slots.values():
            race = self.b.race(event, slot.gender, slot.distance, None, slot.line, merge=True)
            for (rank, _), entries in sorted(slot.entries.items()):
                self.merge(race, rank, slot, entries)
            for text, language, line in slot.notes:
                self.b.doc.notes.append(RaceNote(race, text, language, line))

    def first_line(self) -> int:
        return min(slot.line for slot in self.slots.values())

    def conflict(self, what: str, first: object, other: object, a: int, b: int) -> None:
        self.b.warn(
            b,
            "conflicting_values",
            f"{what}: {first} (line {a}) and {other} (line {b}) disagree; kept {first}",
        )

    def merge(self, race: int, rank: int, slot: RaceSlot, entries: list[Entry]) -> None:
        """One placement from every section's entry for this rank."""
        name: tuple[str, str | None, int] | None = None
        nation: tuple[str, int] | None = None
        time: tuple[int, int] | None = None
        status: str | None = None
        members: list[Member] = []
        for entry in entries:
            who = entry.who
            if entry.time_ms is not None:
                if time is None:
                    time = (entry.time_ms, entry.time_line)
                elif time[0] != entry.time_ms:
                    self.conflict(
                        f"time of rank {rank}",
                        _clock(time[0]),
                        _clock(entry.time_ms),
                        time[1],
                        entry.time_line,
                    )
            status = status or entry.status
            if who is None:
                continue
            if who.nation is not None:
                if nation is None:
                    nation = (who.nation, entry.line)
                elif nation[0] != who.nation:
                    self.conflict(
                        f"nation of rank {rank}", nation[0], who.nation, nation[1], entry.line
                    )
            if who.name is not None:
                if name is None:
                    name = (who.name, who.disambiguation, entry.line)
                elif identity(name[0]) != identity(who.name):
                    self.conflict(f"athlete of rank {rank}", name[0], who.name, name[2], entry.line)
            for member in who.members:
                self.add_member(members, member, entry.line, rank)
            if who.unresolved:
                self.b.warn(
                    entry.line, "unknown_nation", f"no nation is known as {who.unresolved!r}"
                )
        line = entries[0].line
        code = nation[0] if nation else None
        athlete: Person | None = None
        team: tuple[Person, ...] = ()
        if slot.distance.is_relay:
            team = tuple(
                Person(m.name, slot.gender, code, spellings=tuple(m.spellings), line=m.line)
                for m in members
            )
            if code is None:
                self.b.info(
                    line,
                    "relay_nation_unknown",
                    f"relay rank {rank}: nation lost; members {', '.join(m.name for m in members)}",
                )
        elif name is not None:
            athlete = Person(name[0], slot.gender, code, name[1], line=name[2])
        else:
            self.b.info(line, "name_lost", f"rank {rank}: only the nation {code} is given")
        self.b.doc.placements.append(
            Placement(race, rank, athlete, code, team, time[0] if time else None, status, line)
        )

    def add_member(self, members: list[Member], name: str, line: int, rank: int) -> None:
        key = identity(name)
        for member in members:
            known = identity(member.name)
            if known == key or any(identity(s) == key for s in member.spellings):
                if name != member.name and name not in member.spellings:
                    member.spellings.append(name)
                return
        for member in members:
            if near_miss(identity(member.name), key):
                member.spellings.append(name)
                self.b.warn(
                    line,
                    "near_miss_spelling",
                    f"relay rank {rank}: {name!r} and {member.name!r} (line {member.line}) are"
                    " one letter apart in the same team; taken as one person",
                )
                return
        members.append(Member(name, [], line))

    def run(self) -> ParsedDocument:
        for block in self.tokens.blocks:
            if isinstance(block, Heading):
                self.heading(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, Paragraph):
                self.paragraph(block)
            elif isinstance(block, Item):
                self.text_facts(block.text, block.line)
        if self.b.season is None:
            for _, heading in self.headings:
                self.b.take_season(heading.text)
        self.emit()
        return self.b.doc


def _clock(ms: int) -> str:
    minutes, rest = divmod(ms, 60000)
    seconds = f"{rest / 1000:06.3f}" if minutes else f"{rest / 1000:.3f}"
    return f"{minutes}:{seconds}" if minutes else seconds


def parse(text: str) -> ParsedDocument:
    """Parse a MediaWiki championship document."""
    return _Parser(tokenize(text)).run()
