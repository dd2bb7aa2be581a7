"""Typed records every loader returns: natural keys and values, no database ids.

A loader turns one document's text into a `ParsedDocument`. Records refer to
each other by their index in the document's lists (`Race.event` is an index
into `ParsedDocument.events`), so they stay small, hashable and cheap to build
for documents with hundreds of thousands of rows.
"""

from __future__ import annotations

from dataclasses import MISSING, Field, dataclass, field, fields, make_dataclass
from datetime import date
from typing import Any, Literal, cast

Severity = Literal["info", "warning", "error"]
Gender = Literal["men", "women", "mixed"]

SERIES = (
    "world_cup",
    "olympics",
    "world_championships",
    "world_team_championships",
    "european_championships",
    "four_continents_championships",
    "world_junior_championships",
)
# `final` is the A final (or the only final); `race_no` numbers the races of one round.
ROUNDS = ("final", "final_b", "semifinal", "quarterfinal", "heat", "repechage")
CLASSIFICATIONS = ("overall", "500m", "1000m", "1500m", "3000m", "relay")


@dataclass(frozen=True, slots=True)
class Issue:
    """Something the loader repaired, guessed, skipped or reconciled."""

    line: int | None
    severity: Severity
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Season:
    """A July-to-June season; `name` is spelled as the source wrote it."""

    start_year: int
    name: str

    @property
    def end_year(self) -> int:
        return self.start_year + 1


@dataclass(frozen=True, slots=True)
class Venue:
    city: str
    arena: str | None = None
    nation: str | None = None  # IOC code


@dataclass(frozen=True, slots=True)
class Event:
    """One competition: a World Cup stop or a championship.

    World Cup stops are identified by season, venue and start date; any other
    series is one event per season (`is_once_a_season`).
    """

    season: Season
    series: str
    name: str
    venue: Venue | None
    start_date: date | None
    end_date: date | None
    line: int

    @property
    def is_once_a_season(self) -> bool:
        return self.series != "world_cup"


@dataclass(frozen=True, slots=True)
class Person:
    """An athlete as a source writes them.

    `name` is the spelling with any namesake suffix removed (`Yang Yang`),
    `disambiguation` the suffix (`A`). `spellings` lists other spellings the
    loader found for the same person in this document (a near miss inside one
    relay team), so the writer can keep them as aliases.
    """

    name: str
    gender: Gender
    nation: str | None = None  # IOC code
    disambiguation: str | None = None
    spellings: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True, slots=True)
class Race:
    event: int  # index into ParsedDocument.events
    gender: Gender
    distance_m: int
    is_relay: bool
    race_no: int = 1
    round: str = "final"
    race_date: date | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Placement:
    """A competitor's result in a race: an athlete, or a relay team (athlete None).

    `rank` is None when the source ranks no one there (a penalty, a fall); `status`
    is `DQ`, `PEN`, `YC`, `DNF` or `DNS`; `marks` are what a source prints beside the
    result (`Q`, `q`, `ADV`, `OR`, `WR`), in the order written.
    """

    race: int  # index into ParsedDocument.races
    rank: int | None
    athlete: Person | None
    nation: str | None  # IOC code
    members: tuple[Person, ...] = ()
    time_ms: int | None = None
    status: str | None = None
    line: int = 0
    marks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Standing:
    season: Season
    series: str
    gender: Gender
    classification: str
    rank: int
    athlete: Person | None
    nation: str | None
    points: float | None
    line: int


@dataclass(frozen=True, slots=True)
class RaceNote:
    race: int  # index into ParsedDocument.races
    text: str
    language: str  # ISO 639-1: "en", "sl"
    line: int


def _same_default(f: Field[Any]) -> Any:
    """A field spec with the default (or default factory) of `f`, for its twin."""
    if f.default is not MISSING:
        return field(default=f.default)
    if f.default_factory is not MISSING:
        return field(default_factory=f.default_factory)
    return field()


def twin_of(record: type[Any]) -> type[Any]:
    """A plain (not frozen) slots class with the fields of the frozen record class `record`,
    so the same memory layout: its instances can be filled, then become `record` instances.

    A frozen dataclass sets each field through `object.__setattr__`, and rows build two
    records each; filling the twin's slots and changing the class costs a third of that.
    """
    specs = [(f.name, f.type, _same_default(f)) for f in fields(record)]
    return make_dataclass(record.__name__, specs, slots=True, eq=False, repr=False)


_new = object.__new__
_PersonTwin = twin_of(Person)
_PlacementTwin = twin_of(Placement)


def new_person(
    name: str,
    gender: Gender,
    nation: str | None = None,
    disambiguation: str | None = None,
    spellings: tuple[str, ...] = (),
    line: int = 0,
) -> Person:
    """`Person(...)` at a third of its cost: the twin's slots filled, then the class swapped
    (one Python call, no `__init__` nor `__post_init__` called from C)."""
    made = _new(_PersonTwin)
    made.name, made.gender, made.nation = name, gender, nation
    made.disambiguation, made.spellings, made.line = disambiguation, spellings, line
    made.__class__ = Person
    return cast(Person, made)


def new_placement(
    race: int,
    rank: int | None,
    athlete: Person | None,
    nation: str | None,
    members: tuple[Person, ...] = (),
    time_ms: int | None = None,
    status: str | None = None,
    line: int = 0,
    marks: tuple[str, ...] = (),
) -> Placement:
    """`Placement(...)` built as `new_person` builds a Person."""
    made = _new(_PlacementTwin)
    made.race, made.rank, made.athlete, made.nation = race, rank, athlete, nation
    made.members, made.time_ms, made.status = members, time_ms, status
    made.line, made.marks = line, marks
    made.__class__ = Placement
    return cast(Placement, made)


@dataclass(slots=True)
class ParsedDocument:
    """Everything one document says, in document order."""

    format: str
    title: str | None = None
    events: list[Event] = field(default_factory=list)
    races: list[Race] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)
    standings: list[Standing] = field(default_factory=list)
    notes: list[RaceNote] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    url: str | None = None  # where the document says it comes from (infobox, sidecar)
    license: str | None = None  # the licence it names (`CC BY-SA 4.0`)

    @property
    def is_empty(self) -> bool:
        """True when the loader recognised no fact at all."""
        return not (self.events or self.races or self.placements or self.standings)

    def issue(self, line: int | None, severity: Severity, code: str, message: str) -> None:
        self.issues.append(Issue(line, severity, code, message))
