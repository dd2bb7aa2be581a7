"""Identity keys: when two spellings name the same athlete, venue or event.

Keys fold case, diacritics, hyphens and white space (`Lee Seung-Jae` and
`Lee Seung-jae`, `Éric Bédard` and `Eric Bedard` are one key) but keep a
namesake suffix apart (`Yang Yang (A)` is not `Yang Yang (S)`). The folding is
the loaders' own (`loaders.competitors.identity`, built on `loaders.vocabulary.fold`).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from typing import NamedTuple

from skating_db.loaders.competitors import identity, near_miss
from skating_db.loaders.records import Event, Person, Venue

SEPARATOR = "|"  # between the parts of a natural key as the database stores it


class NameKey(NamedTuple):
    """A folded name within one gender: who a correction or a namesake look-up means."""

    gender: str
    name: str

    @classmethod
    def of(cls, gender: str, name: str) -> NameKey:
        return cls(gender, identity(name))


class Key(NamedTuple):
    """An athlete's identity: gender, folded name and folded namesake suffix ('' if none)."""

    gender: str
    name: str
    suffix: str

    @classmethod
    def of(cls, gender: str, name: str, disambiguation: str | None) -> Key:
        return cls(gender, identity(name), identity(disambiguation or ""))

    @classmethod
    def parse(cls, natural_key: str) -> Key:
        """The key of an `athletes.natural_key` value."""
        gender, rest = natural_key.split(SEPARATOR, 1)
        name, suffix = rest.rsplit(SEPARATOR, 1)  # a name may hold the separator itself
        return cls(gender, name, suffix)

    @property
    def natural_key(self) -> str:
        """The text stored in `athletes.natural_key`."""
        return SEPARATOR.join(self)

    @property
    def name_key(self) -> NameKey:
        return NameKey(self.gender, self.name)


def spelling(person: Person) -> str:
    """The spelling a source wrote, suffix included: `Yang Yang (A)`."""
    name = " ".join(unicodedata.normalize("NFC", person.name).split())
    return f"{name} ({person.disambiguation})" if person.disambiguation else name


def venue_key(venue: Venue) -> str:
    return f"{identity(venue.city)}{SEPARATOR}{identity(venue.arena or '')}"


def venue_city(natural_key: str) -> str:
    """The folded city part of a venue's natural key."""
    return natural_key.split(SEPARATOR, 1)[0]


def event_key(event: Event) -> str:
    """Once-a-season series: season and series; World Cup stops add venue and start date."""
    base = f"{event.season.start_year}|{event.series}"
    if event.is_once_a_season:
        return base
    venue = venue_key(event.venue) if event.venue else ""
    start = event.start_date.isoformat() if isinstance(event.start_date, date) else ""
    return f"{base}|{venue}|{start}"


def _deletions(key: str) -> Iterator[str]:
    yield key
    for i in range(len(key)):
        yield key[:i] + key[i + 1 :]


class NearMissIndex:
    """Finds names one edit (or one transposition) away, without comparing every pair.

    Symmetric-delete blocking: two strings within one edit share a one-deletion
    variant, so each name is indexed under its variants (per gender) and a look-up
    costs the name's length, not the number of names: linear over a document.
    """

    def __init__(self) -> None:
        self._by_variant: dict[tuple[str, str], set[str]] = defaultdict(set)

    def add(self, key: NameKey) -> None:
        for variant in _deletions(key.name):
            self._by_variant[(key.gender, variant)].add(key.name)

    def add_all(self, keys: Iterable[NameKey]) -> None:
        for key in keys:
            self.add(key)

    def near(self, key: NameKey) -> set[NameKey]:
        """Indexed keys within one edit of `key` (not `key` itself)."""
        found: set[str] = set()
        for variant in _deletions(key.name):
            found |= self._by_variant.get((key.gender, variant), set())
        found.discard(key.name)
        return {NameKey(key.gender, other) for other in found if near_miss(key.name, other)}
