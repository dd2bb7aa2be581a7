"""Values no backend may refuse: over-long text is cut, points that are not numbers dropped.

SQLite stores a 10,000-character name that PostgreSQL's `varchar(200)` refuses; both
backends must load the same document the same way. Each repair is a data issue on
the value's line (`value_too_long`, `bad_points`). Limits are the schema's own.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, TypeVar

from skating_db.loaders.records import Event, Issue, Person
from skating_db.tables import LENGTHS

T = TypeVar("T")


NAME = LENGTHS["athletes"]["name"]
ALIAS = LENGTHS["athlete_aliases"]["alias"]
SUFFIX = LENGTHS["athletes"]["disambiguation"]
CITY = LENGTHS["venues"]["city"]
ARENA = LENGTHS["venues"]["arena"]
EVENT_NAME = LENGTHS["events"]["name"]
MARKS = LENGTHS["placements"]["marks"]
STATUS = LENGTHS["placements"]["status"]
TITLE = LENGTHS["sources"]["title"]
URL = LENGTHS["sources"]["url"]
LICENSE = LENGTHS["sources"]["license"]
INT_MAX = 2**31 - 1  # an INTEGER column on PostgreSQL
SHORT_NAME = min(NAME, ALIAS) - SUFFIX - 3  # a name this short fits beside any suffix


class Fitter:
    """Cuts values to their column's length, recording an issue for each cut."""

    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def cut(self, value: str, limit: int, what: str, line: int | None) -> str:
        if len(value) <= limit:
            return value
        self.issues.append(
            Issue(
                line,
                "warning",
                "value_too_long",
                f"{what} of {len(value)} characters is longer than {limit}; kept its first"
                f" {limit}: {value[:40]}…",
            )
        )
        return value[:limit].rstrip()

    def maybe(self, value: str | None, limit: int, what: str, line: int | None) -> str | None:
        return None if value is None else self.cut(value, limit, what, line)

    def person(self, p: Person) -> Person:
        if len(p.name) <= SHORT_NAME and not p.disambiguation and not p.spellings:
            return p  # the common case, checked first: fits whatever its suffix
        suffix = self.maybe(p.disambiguation, SUFFIX, "a namesake suffix", p.line)
        room = min(NAME, ALIAS - (len(suffix) + 3 if suffix else 0))
        name = self.cut(p.name, room, "a name", p.line)
        spellings = tuple(self.cut(s, ALIAS, "a spelling", p.line) for s in p.spellings)
        return _replace(p, name=name, disambiguation=suffix, spellings=spellings)

    def event(self, e: Event) -> Event:
        venue = e.venue
        if venue is not None:
            venue = _replace(
                venue,
                city=self.cut(venue.city, CITY, "a city", e.line),
                arena=self.maybe(venue.arena, ARENA, "an arena", e.line),
            )
        name = self.cut(e.name, EVENT_NAME, "an event name", e.line)
        return _replace(e, name=name, venue=venue)

    def time_ms(self, value: int | None, line: int) -> int | None:
        """A time no INTEGER column holds (over 24 days) is left empty."""
        if value is None or value <= INT_MAX:
            return value
        self.issues.append(
            Issue(
                line,
                "warning",
                "value_out_of_range",
                f"time {value} ms is out of range; left empty.",
            )
        )
        return None

    def points(self, value: float | None, line: int) -> float | None:
        if value is None or math.isfinite(value):
            return value
        self.issues.append(
            Issue(line, "warning", "bad_points", f"points {value} are not a number; left empty.")
        )
        return None


def _replace(record: T, **changes: Any) -> T:
    """`record` with `changes`, the same object when nothing changes (cheap on the hot path)."""
    if all(getattr(record, k) == v for k, v in changes.items()):
        return record
    return dataclasses.replace(record, **changes)  # type: ignore[type-var]
