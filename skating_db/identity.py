"""Identity keys: when two spellings name the same athlete, venue or event.

Keys fold case, diacritics, hyphens and white space (`Lee Seung-Jae` and
`Lee Seung-jae`, `Éric Bédard` and `Eric Bedard` are one key) but keep a
namesake suffix apart (`Yang Yang (A)` is not `Yang Yang (S)`).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date

from loaders.competitors import identity, near_miss
from loaders.records import Event, Person, Venue


def fold(text: str) -> str:
    """Case-, diacritic-, hyphen- and space-insensitive form of a name (the loaders' own key)."""
    return identity(text)


def spelling(person: Person) -> str:
    """The spelling a source wrote, suffix included: `Yang Yang (A)`."""
    name = " ".join(unicodedata.normalize("NFC", person.name).split())
    return f"{name} ({person.disambiguation})" if person.disambiguation else name


def athlete_key(gender: str, name: str, disambiguation: str | None) -> str:
    return f"{gender}|{fold(name)}|{fold(disambiguation or '')}"


def venue_key(venue: Venue) -> str:
    return f"{fold(venue.city)}|{fold(venue.arena or '')}"


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
    variant, so each name is indexed under its variants and a look-up is linear
    in the name's length, not in the number of names.
    """

    def __init__(self) -> None:
        self._by_variant: dict[str, set[str]] = defaultdict(set)

    def add(self, key: str) -> None:
        for variant in _deletions(key):
            self._by_variant[variant].add(key)

    def add_all(self, keys: Iterable[str]) -> None:
        for key in keys:
            self.add(key)

    def near(self, key: str) -> set[str]:
        """Indexed keys within one edit of `key` (not `key` itself)."""
        found: set[str] = set()
        for variant in _deletions(key):
            found |= self._by_variant.get(variant, set())
        found.discard(key)
        return {other for other in found if near_miss(key, other)}
