"""The writer's input for one document: its records as plain tuples, each person once.

Pure (no database), so it is computed beside the parser, in a worker process when a
load runs several: plain tuples cost a tenth of what frozen records cost to pickle and
unpickle, and the writer's loops read them without attribute look-ups.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from loaders.records import Event, Gender, Issue, ParsedDocument, Person, RaceNote
from skating_db.identity import fold

NO_ONE = -1  # in a person column: no athlete (a relay team, or a name the source lost)

PersonKey = tuple[str, str, str | None, str | None]  # gender, folded name, suffix, nation
# event index, gender, distance_m, is_relay, round, race_no, race_date, line
RaceRow = tuple[int, Gender, int, bool, str, int, date | None, int]
# race index, rank, athlete (person index), nation, members ((person index, line), ...),
# time_ms, status, line
PlacementRow = tuple[
    int, int | None, int, str | None, tuple[tuple[int, int], ...], int | None, str | None, int
]
# season start year, season name, series, gender, classification, rank, athlete (person
# index), nation, points, line
StandingRow = tuple[int, str, str, Gender, str, int, int, str | None, float | None, int]


@dataclass(slots=True)
class Batch:
    """One document ready for the writer."""

    name: str
    sha256: str
    format: str
    title: str | None
    events: list[Event]
    races: list[RaceRow]
    persons: list[Person]  # distinct, in order of first appearance
    person_keys: list[PersonKey]
    placements: list[PlacementRow]
    standings: list[StandingRow]
    notes: list[RaceNote]
    issues: list[Issue] = field(default_factory=list)


def person_key(person: Person) -> PersonKey:
    """Who a person is within one document: same gender, folded name, suffix and nation."""
    return (person.gender, fold(person.name), person.disambiguation, person.nation)


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
    athletes = [number(p.athlete) for p in doc.placements]
    members = [tuple((number(m), m.line or p.line) for m in p.members) for p in doc.placements]
    placements: list[PlacementRow] = [
        (p.race, p.rank, athlete, p.nation, team, p.time_ms, p.status, p.line)
        for p, athlete, team in zip(doc.placements, athletes, members, strict=True)
    ]
    standings: list[StandingRow] = [
        (
            s.season.start_year,
            s.season.name,
            s.series,
            s.gender,
            s.classification,
            s.rank,
            number(s.athlete),
            s.nation,
            s.points,
            s.line,
        )
        for s in doc.standings
    ]
    races: list[RaceRow] = [
        (r.event, r.gender, r.distance_m, r.is_relay, r.round, r.race_no, r.race_date, r.line)
        for r in doc.races
    ]
    return Batch(
        name=name,
        sha256=sha256,
        format=doc.format,
        title=doc.title,
        events=doc.events,
        races=races,
        persons=number.persons,
        person_keys=[person_key(p) for p in number.persons],
        placements=placements,
        standings=standings,
        notes=doc.notes,
        issues=doc.issues,
    )
