"""Competitor cells: athletes, relay teams, members, and cells that lost part of their text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .memo import text_cache
from .nations import is_ioc_code, resolve_nation
from .vocabulary import fold, is_cjk

_CODE_PREFIX = re.compile(r"^([A-Z]{3})\s+(\S.*)$")
_CODE_SUFFIX = re.compile(r"^(.*\S)\s+([A-Z]{3})$")
_BARE_CODE = re.compile(r"^[A-Z]{2,3}$")
_PARENS = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_DISAMBIGUATION = re.compile(r"^(?:[A-Z]{1,2}|\d{1,2}|[A-Z]\.)$")
_CUT_CODE = re.compile(r"^\(?([A-Z]{2,3})\)$")


@dataclass(frozen=True, slots=True)
class Competitor:
    """What a competitor cell says; any part may be unknown.

    `team` is True when the cell names a nation as a competitor (a relay team),
    `name_lost` when only a nation code survived (`KAN)`), `truncated` when the
    cell lost its beginning (`Guo Wei)`).
    """

    name: str | None = None
    disambiguation: str | None = None
    nation: str | None = None
    team: bool = False
    members: tuple[str, ...] = ()
    name_lost: bool = False
    truncated: bool = False
    unresolved: str | None = None  # a nation text that no reference list knows


def _nation(text: str, language: str) -> str | None:
    return resolve_nation(text, language)


def _code(text: str, language: str) -> str | None:
    """An IOC or local-language code, resolved."""
    if language != "en":
        local = resolve_nation(text, language)
        if local is not None:
            return local
    return text if is_ioc_code(text) else resolve_nation(text, language)


def split_members(text: str) -> tuple[str, ...]:
    parts = re.split(r"\s*[,;/]\s*|\s+[-\u2013]\s+", text)
    return tuple(" ".join(p.split()) for p in parts if p.strip(" .\u2026"))


def _person(text: str) -> tuple[str, str | None]:
    """(name, disambiguation) from `Yang Yang (A)`."""
    match = _PARENS.match(text)
    if match and _DISAMBIGUATION.match(match.group(2).strip()):
        return match.group(1).strip(), match.group(2).strip()
    return text.strip(), None


_EMPTY = {"-", "\u2013", "\u2014", "?", "\u2026"}


@lru_cache(maxsize=8192)
def parse_competitor(text: str, language: str = "en", relay: bool = False) -> Competitor | None:
    """Read a competitor cell; None when it is empty. `relay` says the race is a relay."""
    text = " ".join(text.split()).strip(" ,")
    if not text or text in _EMPTY:
        return None
    if text.endswith(")") and text.count("(") < text.count(")"):
        return _cut(text, language, relay)
    if _BARE_CODE.match(text):
        code = _code(text, language)
        if code is None:
            return Competitor(team=relay, unresolved=text, name_lost=not relay)
        return Competitor(nation=code, team=relay, name_lost=not relay)
    prefix = _CODE_PREFIX.match(text)
    found = _code_first(prefix, language, relay) if prefix else None
    if found is None and _PARENS.match(text):
        found = _bracketed(text, language, relay)
    if found is not None:
        return found
    nation = _nation(text, language)
    if nation is not None:
        return Competitor(nation=nation, team=True)
    found = _nation_after(text, language, relay) or _nation_before(text, language)
    if found is not None:
        return found
    name, disambiguation = _person(text)
    return Competitor(name, disambiguation)


def _code_first(prefix: re.Match[str], language: str, relay: bool) -> Competitor | None:
    """`CAN Marc Gagnon`, `KOR South Korea`, or `KIM Dong-Sung (KOR)` (capitals, not a code)."""
    code = _code(prefix.group(1), language)
    inner = parse_competitor(prefix.group(2), language, relay)
    if code is not None:
        if inner is None:
            return Competitor(nation=code, team=relay)
        if inner.team or (inner.nation is not None and inner.name is None):
            return Competitor(nation=code, team=True, members=inner.members)
        return Competitor(inner.name, inner.disambiguation, code, False, inner.members)
    if inner is not None and inner.name is not None and inner.nation is not None:
        return Competitor(f"{prefix.group(1)} {inner.name}", inner.disambiguation, inner.nation)
    if inner is not None and inner.name is not None and not inner.team:
        return Competitor(inner.name, inner.disambiguation, unresolved=prefix.group(1))
    return None


def _bracketed(text: str, language: str, relay: bool) -> Competitor | None:
    """`Name (CAN)`, `Canada (A, B, C, D)`, `Yang Yang (A)`: what the brackets hold."""
    parens = _PARENS.match(text)
    assert parens is not None
    head, inside = parens.group(1).strip(), parens.group(2).strip()
    if "," in inside or ";" in inside or (relay and inside and not _BARE_CODE.match(inside)):
        nation = _nation(head, language) if head else None
        unresolved = head if head and nation is None else None
        return Competitor(
            nation=nation, team=True, members=split_members(inside), unresolved=unresolved
        )
    if _DISAMBIGUATION.match(inside) and not _BARE_CODE.match(inside):
        return Competitor(*_person(text))
    nation = _code(inside, language) if _BARE_CODE.match(inside) else _nation(inside, language)
    if nation is not None:
        name, disambiguation = _person(head)
        if not name:
            return Competitor(nation=nation, team=relay, name_lost=not relay)
        if relay and _nation(name, language) is not None:
            return Competitor(nation=nation, team=True)
        return Competitor(name, disambiguation, nation)
    if _DISAMBIGUATION.match(inside):
        return Competitor(*_person(text))
    return None


def _nation_after(text: str, language: str, relay: bool) -> Competitor | None:
    """`Alpha Beta CAN`, `Alpha Beta Netherlands`: a name, then its nation."""
    code = _CODE_SUFFIX.match(text)
    if code:
        nation = _code(code.group(2), language)
        inner = parse_competitor(code.group(1), language, relay)
        if inner is not None and inner.name is not None and nation is not None:
            return Competitor(inner.name, inner.disambiguation, nation, members=inner.members)
        if inner is not None and inner.name is not None and len(inner.name.split()) >= 2:
            return Competitor(inner.name, inner.disambiguation, unresolved=code.group(2))
    words = text.split()
    least = 1 if is_cjk(words[0]) else 2  # a Han or Hangul name is one word
    for size in (3, 2, 1):
        if len(words) - size < least:
            continue
        nation = _nation(" ".join(words[-size:]), language)
        if nation is not None:
            name, disambiguation = _person(" ".join(words[:-size]))
            return Competitor(name, disambiguation, nation)
    return None


def _nation_before(text: str, language: str) -> Competitor | None:
    """`日本 渡辺 大輝`, `Канада Иван Петров`: a nation written out in a non-Latin script,
    then the name (a Latin first name could be a country's: Jordan, Chad)."""
    words = text.split()
    if len(words) < 2 or words[0].isascii():
        return None
    nation = _nation(words[0], language)
    if nation is None:
        return None
    name, disambiguation = _person(" ".join(words[1:]))
    return Competitor(name, disambiguation, nation)


def _cut(text: str, language: str, relay: bool) -> Competitor:
    """A cell that lost its beginning: `KAN)` (a code survived) or `Guo Wei)`."""
    code = _CUT_CODE.match(text)
    if code:
        nation = _code(code.group(1), language)
        return Competitor(
            nation=nation,
            team=relay,
            name_lost=not relay,
            unresolved=None if nation else code.group(1),
        )
    body = text[: text.rfind(")")].strip(" (,")
    if relay:
        return Competitor(team=True, members=split_members(body), truncated=True)
    name, disambiguation = _person(body)
    return Competitor(name or None, disambiguation, truncated=True)


_IDENTITY_DROP = re.compile(r"[\s\-\u2010-\u2015.'\u2019`\u00b4_]+")
_IDENTITY_LETTERS = str.maketrans({"ß": "ss", "ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe"})


@text_cache(limit=65536)
def identity(name: str) -> str:
    """The key two spellings of one person share (case, diacritics, hyphens, spaces)."""
    return _IDENTITY_DROP.sub("", fold(name).translate(_IDENTITY_LETTERS))


def near_miss(a: str, b: str) -> bool:
    """True when two identity keys are one edit apart (insert, delete, replace or swap)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and a[diffs[0]] == b[diffs[1]]
            and a[diffs[1]] == b[diffs[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


def lost_name(rank: int | None, nation: str | None, unresolved: str | None = None) -> str:
    """The `name_lost` sentence: what a competitor cell without a name still gives (never a
    bare `None`: a cell may keep no nation either)."""
    where = f"rank {rank}" if rank else "a row without a rank"
    if nation is not None:
        return f"{where}: only the nation {nation} is given"
    if unresolved is not None:
        return f"{where}: only {unresolved!r} is given, which names no known nation"
    return f"{where}: neither a name nor a nation is given"
