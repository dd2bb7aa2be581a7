"""Athlete search over names and every alias, folded: `bedard` finds Éric Bédard.

The index (`athletes_fts`, revision 0004) is kept in step by triggers. On SQLite it is
FTS5 (each word of the query is a prefix of a word of a spelling); on PostgreSQL a
folded copy of the spellings, searched with LIKE (each word appears in a spelling).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, text

from skating_db.connections import display_name, opened
from skating_db.errors import UserError
from skating_db.loaders.vocabulary import fold
from skating_db.ownership import refuse_unless_ours, require_head

COLUMNS = ("id", "name", "nation", "gender", "matched")
MAX_LIMIT = 2**63 - 1  # the largest LIMIT SQLite and PostgreSQL take
# Letters that do not decompose; the index folds them the same way (revision 0004).
_LETTERS = str.maketrans(
    {
        "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE",
        "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH",
    }
)  # fmt: skip
_WORD = re.compile(r"[^\W_]+")  # letters and digits: `_` is a LIKE wildcard, not a letter
_SELECT = (
    "SELECT a.id, a.name, n.code AS nation, a.gender FROM athletes_fts f"
    " JOIN athletes a ON a.id = f.{key} LEFT JOIN nations n ON n.id = a.nation_id"
    " WHERE {where} ORDER BY a.name, a.id LIMIT :limit"
)


@dataclass(frozen=True, slots=True)
class AthleteHit:
    """One athlete found, with the spelling that matched (an alias, or the name)."""

    id: int
    name: str
    nation: str | None
    gender: str
    matched: str | None


def words(query: str) -> list[str]:
    """The folded words of a query, as the index stores them."""
    return _WORD.findall(fold(query.translate(_LETTERS)))


def search_athletes(url: str, query: str, limit: int = 20) -> list[AthleteHit]:
    """Athletes whose name or an alias contains every word of `query`, by name."""
    if not words(query):
        raise UserError(f"'{query}' has no letters or digits to search for.")
    limit = min(limit, MAX_LIMIT)  # more than any table can hold: every match
    with opened(url, read_only=True) as conn:
        where = display_name(url)
        refuse_unless_ours(conn, where)
        require_head(conn, where, "searching")
        rows = _find(conn, query, limit)
        spellings = _aliases(conn, [row.id for row in rows])
    return [
        AthleteHit(r.id, r.name, r.nation, r.gender, _matched(query, [*spellings[r.id], r.name]))
        for r in rows
    ]


def _find(conn: Connection, query: str, limit: int) -> list[AthleteHit]:
    if conn.dialect.name == "sqlite":
        # FTS5 folds case and diacritics itself; it gets the text, not NFKD-decomposed.
        raw = _WORD.findall(unicodedata.normalize("NFC", query.translate(_LETTERS)))
        match = " ".join(f'"{word}"*' for word in raw)
        sql = _SELECT.format(key="rowid", where="athletes_fts MATCH :match")
        params: dict[str, object] = {"match": match, "limit": limit}
    else:
        # The server folds through NFKD, which spells Hangul as jamo: so must the query.
        found = [unicodedata.normalize("NFKD", word) for word in words(query)]
        where = " AND ".join(f"f.folded LIKE :w{i}" for i in range(len(found)))
        sql = _SELECT.format(key="athlete_id", where=where)
        params = {f"w{i}": f"%{word}%" for i, word in enumerate(found)} | {"limit": limit}
    result = conn.execute(text(sql), params)
    return [AthleteHit(row.id, row.name, row.nation, row.gender, None) for row in result]


def _aliases(conn: Connection, ids: list[int]) -> dict[int, list[str]]:
    spellings: dict[int, list[str]] = {athlete: [] for athlete in ids}
    if ids:
        stmt = text(
            "SELECT athlete_id, alias FROM athlete_aliases WHERE athlete_id IN :ids ORDER BY id"
        ).bindparams(bindparam("ids", expanding=True))
        for row in conn.execute(stmt, {"ids": ids}):
            spellings[row.athlete_id].append(row.alias)
    return spellings


def _matched(query: str, spellings: list[str]) -> str | None:
    """The first spelling in which every word of the query starts or is found in a word."""
    wanted = words(query)
    for spelling in spellings:
        folded = words(spelling)
        if all(any(w in word for word in folded) for w in wanted):
            return spelling
    return None
