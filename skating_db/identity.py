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

from loaders.records import Event, Person, Venue

_DROP = str.maketrans("", "", " -\u2010\u2011\u2012\u2013\u2014'\u2019.`\u00b4_\t")


def fold(text: str) -> str:
    """Case-, diacritic-, hyphen- and space-insensitive form of a name."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return (
        stripped.casefold().replace("ß", "ss").replace("ø", "o").replace("ł", "l").translate(_DROP)
    )


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
        return {other for other in found if _within_one_edit(key, other)}


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and (a[diff[1]] == b[diff[0]])
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]
