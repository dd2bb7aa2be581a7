"""What the database holds of the small tables, read once per transaction and kept in step.

Sources, nations, seasons, venues, events, aliases, and the races of each event the
load meets are few (a few thousand rows for a million placements), so the writer keeps
them in memory: a document finds its ids, and whether a row is new, without a query.
Writers never overlap (SQLite's `BEGIN IMMEDIATE`, PostgreSQL's advisory lock), so the
copy stays exact; it is read again after a changed document's facts are deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from skating_db.writer.dialect import Sql


class RaceKey(NamedTuple):
    """The natural key of a race (`keys.NATURAL_KEYS['races']`)."""

    event_id: int
    gender: str
    distance_m: int
    is_relay: bool
    round: str
    race_no: int


class SourceRow(NamedTuple):
    id: int
    sha256: str


@dataclass(slots=True)
class VenueRow:
    id: int
    nation_id: int | None


@dataclass(slots=True)
class EventRow:
    id: int
    venue_id: int | None
    start_date: Any
    end_date: Any


class Ledger:
    """The small tables by natural key; each is read on first use."""

    def __init__(self, sql: Sql) -> None:
        self.sql = sql
        self._tables: dict[str, dict[Any, Any]] = {}
        self._races: dict[int, dict[RaceKey, int]] = {}  # event id -> its races
        self.undated: set[int] = set()  # ids of races (among those read) without a date

    def forget(self) -> None:
        """Rows were deleted: read everything again when next needed."""
        self._tables.clear()
        self._races.clear()
        self.undated.clear()

    def _table(self, name: str, sql: str) -> dict[Any, Any]:
        found = self._tables.get(name)
        if found is None:
            found = self._tables[name] = {}
            for row in self.sql.rows(sql):
                found[row[0]] = self._value(name, row[1:])
        return found

    @staticmethod
    def _value(name: str, rest: tuple[Any, ...]) -> Any:
        if name == "sources":
            return SourceRow(*rest)
        if name == "venues":
            return VenueRow(*rest)
        if name == "events":
            return EventRow(*rest)
        return rest[0] if len(rest) == 1 else rest

    def sources(self) -> dict[str, SourceRow]:
        return self._table("sources", "SELECT name, id, sha256 FROM sources")

    def nations(self) -> dict[str, int]:
        return self._table("nations", "SELECT code, id FROM nations")

    def seasons(self) -> dict[int, int]:
        return self._table("seasons", "SELECT start_year, id FROM seasons")

    def venues(self) -> dict[str, VenueRow]:
        return self._table("venues", "SELECT natural_key, id, nation_id FROM venues")

    def events(self) -> dict[str, EventRow]:
        return self._table(
            "events", "SELECT natural_key, id, venue_id, start_date, end_date FROM events"
        )

    def aliases(self) -> dict[str, tuple[int, int]]:
        """Alias -> (its id, its athlete's id)."""
        return self._table("athlete_aliases", "SELECT alias, id, athlete_id FROM athlete_aliases")

    def new_event(self, event_id: int) -> None:
        """An event this load created has no races yet."""
        self._races[event_id] = {}

    def races(self, event_ids: Iterable[int]) -> dict[RaceKey, int]:
        """The races of these events by natural key (each event's read once)."""
        events = sorted(set(event_ids))
        unread = [e for e in events if e not in self._races]
        for e in unread:
            self._races[e] = {}
        for race_id, event_id, gender, distance, relay, round_, race_no, day in self.sql.select_by(
            "id, event_id, gender, distance_m, is_relay, round, race_no, race_date",
            "races",
            "event_id",
            unread,
        ):
            self._races[event_id][
                RaceKey(event_id, gender, distance, bool(relay), round_, race_no)
            ] = race_id
            if day is None:
                self.undated.add(race_id)
        found: dict[RaceKey, int] = {}
        for e in events:
            found.update(self._races[e])
        return found

    def add_race(self, key: RaceKey, race_id: int, dated: bool) -> None:
        self._races[key.event_id][key] = race_id
        if not dated:
            self.undated.add(race_id)
