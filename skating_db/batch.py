"""The writer's input for one document: its records as named tuples, each person once.

Pure (no database), so it is computed beside the parser, in a worker process when a
load runs several: tuples cost a tenth of what frozen records cost to pickle and
unpickle, and the writer's loops read them without attribute look-ups.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from itertools import repeat
from typing import Any, NamedTuple

from skating_db.identity import spelling
from skating_db.loaders.competitors import identity
from skating_db.loaders.records import Event, Gender, Issue, ParsedDocument, Person, Race, RaceNote
from skating_db.writer.limits import INT_MAX, LICENSE, MARKS, STATUS, TITLE, URL, Fitter

NO_ONE = -1  # in a person column: no athlete (a relay team, or a name the source lost)


class PersonKey(NamedTuple):
    """Who a person is within one document."""

    gender: str
    name: str  # folded
    suffix: str | None
    nation: str | None


class PersonRow(NamedTuple):
    """A distinct person of one document, as the writer reads it."""

    name: str  # without the namesake suffix
    gender: Gender
    nation: str | None  # IOC code
    disambiguation: str | None  # the namesake suffix
    spellings: tuple[str, ...]  # other spellings of the same person in this document
    line: int
    spelling: str  # as the source wrote it, suffix included (`identity.spelling`)


class RaceRow(NamedTuple):
    event: int  # index into Batch.events
    gender: Gender
    distance_m: int
    is_relay: bool
    round: str
    race_no: int
    race_date: date | None
    line: int


class Member(NamedTuple):
    person: int  # index into Batch.persons
    line: int


class PlacementRow(NamedTuple):
    race: int  # index into Batch.races
    rank: int | None  # None: ranked nowhere (a penalty, a fall)
    athlete: int  # index into Batch.persons, or NO_ONE
    nation: str | None
    members: tuple[Member, ...]
    time_ms: int | None
    status: str | None
    line: int
    marks: str | None  # the marks joined by one space, None when there are none


class StandingRow(NamedTuple):
    season_start: int
    season_name: str
    series: str
    gender: Gender
    classification: str
    rank: int
    athlete: int  # index into Batch.persons, or NO_ONE
    nation: str | None
    points: float | None
    line: int


@dataclass(slots=True)
class Batch:
    """One document ready for the writer."""

    name: str
    sha256: str
    format: str
    title: str | None
    events: list[Event]
    races: list[RaceRow]
    persons: list[PersonRow]  # distinct, in order of first appearance
    person_keys: list[PersonKey]
    placements: list[PlacementRow]
    standings: list[StandingRow]
    notes: list[RaceNote]
    issues: list[Issue] = field(default_factory=list)
    url: str | None = None
    license: str | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the row lists as plain tuples: a parser process sends batches to the
        writer, and unpickling named tuples costs the writer four times as much."""
        values = [getattr(self, f.name) for f in fields(self)]
        for i in ROW_FIELDS:
            values[i] = [tuple(row) for row in values[i]]
        return (_unpickle, (values,))


ROW_TYPES: dict[str, type[tuple[Any, ...]]] = {
    "races": RaceRow,
    "persons": PersonRow,
    "person_keys": PersonKey,
    "placements": PlacementRow,
    "standings": StandingRow,
}
ROW_FIELDS = [i for i, f in enumerate(fields(Batch)) if f.name in ROW_TYPES]


def _unpickle(values: list[Any]) -> Batch:
    """A batch from `Batch.__reduce__`: each row list typed again without a Python call per
    row (`tuple.__new__` is what a named tuple's own constructor calls)."""
    for i, f in enumerate(fields(Batch)):
        if f.name in ROW_TYPES:
            values[i] = list(map(tuple.__new__, repeat(ROW_TYPES[f.name]), values[i]))
    return Batch(*values)


def person_key(person: Person) -> PersonKey:
    """Who a person is within one document: same gender, folded name, suffix and nation."""
    return PersonKey(person.gender, identity(person.name), person.disambiguation, person.nation)


class _Persons:
    """Numbers each distinct person once; the first appearance (and its line) represents it."""

    def __init__(self) -> None:
        self.index: dict[tuple[object, ...], int] = {}
        self.persons: list[Person] = []

    def __call__(self, person: Person | None) -> int:
        if person is None:
            return NO_ONE
        key = (person.name, person.gender, person.nation, person.disambiguation, person.spellings)
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.persons)
            self.persons.append(person)
        return found


def make_batch(name: str, sha256: str, doc: ParsedDocument) -> Batch:
    """Reduce `doc` to a batch; persons are numbered athletes first, then relay members,
    then standings, the order in which the writer meets them."""
    number = _Persons()
    fitter = Fitter()
    placements = _placements(doc, number, fitter)
    standings = [
        StandingRow(
            s.season.start_year,
            s.season.name,
            s.series,
            s.gender,
            s.classification,
            s.rank,
            number(s.athlete),
            s.nation,
            fitter.points(s.points, s.line),
            s.line,
        )
        for s in doc.standings
    ]
    persons = [fitter.person(p) for p in number.persons]
    return Batch(
        name=name,
        sha256=sha256,
        format=doc.format,
        title=fitter.maybe(doc.title, TITLE, "the title", None),
        events=[fitter.event(e) for e in doc.events],
        races=[_race(r) for r in doc.races],
        persons=[_person(p) for p in persons],
        person_keys=[person_key(p) for p in persons],
        placements=placements,
        standings=standings,
        notes=doc.notes,
        issues=doc.issues + fitter.issues,
        url=fitter.maybe(doc.url, URL, "the URL", None),
        license=fitter.maybe(doc.license, LICENSE, "the licence", None),
    )


def _person(p: Person) -> PersonRow:
    return PersonRow(p.name, p.gender, p.nation, p.disambiguation, p.spellings, p.line, spelling(p))


def _race(r: Race) -> RaceRow:
    return RaceRow(
        r.event, r.gender, r.distance_m, r.is_relay, r.round, r.race_no, r.race_date, r.line
    )


def _placements(doc: ParsedDocument, number: _Persons, fitter: Fitter) -> list[PlacementRow]:
    athletes = [number(p.athlete) for p in doc.placements]
    members = [
        tuple(Member(number(m), m.line or p.line) for m in p.members) for p in doc.placements
    ]
    rows = [
        PlacementRow(
            p.race,
            p.rank,
            athlete,
            p.nation,
            team,
            p.time_ms,
            p.status,
            p.line,
            " ".join(p.marks) if p.marks else None,
        )
        for p, athlete, team in zip(doc.placements, athletes, members, strict=True)
    ]
    for i, row in enumerate(rows):  # rare: only a value too long for its column is rewritten
        too_long = (row.status and len(row.status) > STATUS) or (
            row.marks and len(row.marks) > MARKS
        )
        if too_long or (row.time_ms is not None and row.time_ms > INT_MAX):
            rows[i] = row._replace(
                status=fitter.maybe(row.status, STATUS, "a status", row.line),
                marks=fitter.maybe(row.marks, MARKS, "the marks", row.line),
                time_ms=fitter.time_ms(row.time_ms, row.line),
            )
    return rows
