"""Places: venue cells (`CAN Pacific Coliseum, Vancouver`, `Grenoble, France`, an arena alone)
and venue headings that carry the dates (`Salt Lake City 1–3 November 2019`)."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from .nations import known_arena, resolve_nation
from .records import Venue
from .values import DateSpan, parse_date_prefix
from .vocabulary import fold, vocabulary, words_of

_CODE_CITY = re.compile(r"^([A-Z]{3})\s+(\S.*)$")
_DIGIT = re.compile(r"\d")


def is_arena(text: str) -> bool:
    """True when a place names a building (`… Oval`, `… Arena`, `Palavela`), by its words."""
    words = set(words_of(text))
    return bool(words & vocabulary().arena_words) or known_arena(text) is not None


def known_city(arena: str) -> tuple[str, str | None] | None:
    """The city (and nation) of an arena the reference list knows."""
    found = known_arena(arena)
    return (found.city, found.nation or None) if found else None


@lru_cache(maxsize=8192)
def place_of(text: str, language: str = "en") -> Venue | None:
    """A place cell: `CHN Changchun`, `Grenoble, France`, `CAN Pacific Coliseum, Vancouver`,
    `Utah Olympic Oval, Salt Lake City, United States`, `CAN Montreal, Maurice Richard Arena`
    (the part that names a building is the arena, whichever comes first) or a bare name."""
    text = " ".join(text.split()).strip(" ,.")
    if not text:
        return None
    nation: str | None = None
    match = _CODE_CITY.match(text)
    if match and resolve_nation(match.group(1), language):
        nation = resolve_nation(match.group(1), language)
        text = match.group(2)
    first, _, rest = text.partition(" ")
    if rest and "," not in text and not first.isascii() and resolve_nation(first, language):
        nation, text = nation or resolve_nation(first, language), rest  # `일본 나고야`
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) > 1 and resolve_nation(parts[-1], language):
        nation = nation or resolve_nation(parts[-1], language)
        parts = parts[:-1]
    if len(parts) >= 2 and is_arena(parts[-1]) and not is_arena(parts[0]):
        return Venue(city=parts[0], arena=", ".join(parts[1:]), nation=nation)  # city first
    if len(parts) >= 2:
        return Venue(city=parts[-1], arena=", ".join(parts[:-1]), nation=nation)
    return Venue(city=parts[0], nation=nation) if parts else None


def arena_venue(venue: Venue) -> Venue:
    """A place cell that named only a known arena: its city from the reference list."""
    known = known_city(venue.city) if venue.arena is None else None
    if known is None:
        return venue
    return Venue(city=known[0], arena=venue.city, nation=venue.nation or known[1])


@lru_cache(maxsize=4096)
def heading_place(text: str) -> tuple[str, DateSpan | None]:
    """`Salt Lake City 1–3 November 2019` -> (`Salt Lake City`, the span); a heading without
    dates is all place."""
    for match in _DIGIT.finditer(text):
        span = parse_date_prefix(text[match.start() :])
        if span is not None and not span.rest.strip(" ()"):
            place = text[: match.start()].strip(" ,:(\u2013\u2014-")
            return place, span
    return text, None


_NOT_A_WORD = re.compile(r"^[\W\d_]*$")


@cache
def _series_words() -> frozenset[str]:
    """Every word of a series name, and the filler words around one."""
    vocab = vocabulary()
    return frozenset(w for phrase in vocab.series for w in phrase.split()) | vocab.series_filler


def venue_heading(text: str) -> str:
    """The place a venue heading names, without its series words and number
    (`World Cup 1 \u2013 Salt Lake City` -> `Salt Lake City`)."""
    series_words = _series_words()
    kept = [
        word
        for word in text.split()
        if not _NOT_A_WORD.match(word) and fold(word.strip(":,#")) not in series_words
    ]
    return " ".join(kept).strip(" :,") if kept else text


def infobox_venue(infobox: dict[str, tuple[str, int]]) -> Venue | None:
    """The venue an infobox names: `Venue: Arena, City, Country`, or a host city and an arena."""
    venue = place_of(infobox["venue"][0]) if "venue" in infobox else None
    city = place_of(infobox["city"][0]) if "city" in infobox else None
    if city is None:
        return venue
    if venue is None:
        return city
    if venue.arena is None and fold(venue.city) != fold(city.city):
        return Venue(city=city.city, arena=venue.city, nation=city.nation or venue.nation)
    return Venue(city=venue.city, arena=venue.arena, nation=venue.nation or city.nation)
