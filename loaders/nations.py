"""Nation reference data: IOC codes, English names and local-language names or codes,
and the well-known arenas a place cell may name alone (arena, city, nation).

The lists live in `loaders/data/*.tsv` so that a person can add a nation, a
language or an arena without touching code.
"""

from __future__ import annotations

import csv
from functools import cache
from typing import NamedTuple

from . import DATA
from .vocabulary import fold


@cache
def _tables() -> tuple[
    dict[str, str], dict[str, str], dict[tuple[str, str], str], dict[str, set[str]]
]:
    """(IOC code -> name, folded English name -> code, (language, folded alias) -> code,
    folded alias -> codes in any language)."""
    data = DATA
    names: dict[str, str] = {}
    by_name: dict[str, str] = {}
    with (data / "nations.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            names[row["code"]] = row["name"]
            by_name[fold(row["name"])] = row["code"]
    local: dict[tuple[str, str], str] = {}
    anywhere: dict[str, set[str]] = {}
    with (data / "nation_aliases.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            key = fold(row["alias"])
            local[(row["language"], key)] = row["code"]
            anywhere.setdefault(key, set()).add(row["code"])
    return names, by_name, local, anywhere


def nation_name(code: str) -> str:
    """The English name of an IOC code (the code itself when unknown)."""
    return _tables()[0].get(code, code)


def is_ioc_code(text: str) -> bool:
    return text in _tables()[0]


def resolve_nation(text: str, language: str = "en") -> str | None:
    """The IOC code that `text` (a code or a name, in `language`) stands for, or None.

    A local-language code wins over an IOC code in its own language (Slovenian
    `BOL` is Bulgaria, not Bolivia); elsewhere IOC codes and English names come
    first, then an alias that is unambiguous across languages.
    """
    text = " ".join(text.split())
    if not text:
        return None
    names, by_name, local, anywhere = _tables()
    key = fold(text)
    if language != "en" and (language, key) in local:
        return local[(language, key)]
    if text.upper() == text and text in names:
        return text
    if key in by_name:
        return by_name[key]
    if ("en", key) in local:
        return local[("en", key)]
    codes = anywhere.get(key, set())
    if len(codes) == 1:
        return next(iter(codes))
    return None


def nation_languages() -> frozenset[str]:
    """The languages the alias list names nations in (`en`, `de`, `zh` …)."""
    data = DATA
    with (data / "nation_aliases.tsv").open(encoding="utf-8") as fh:
        return frozenset(row["language"] for row in csv.DictReader(fh, delimiter="\t"))


class Arena(NamedTuple):
    """A well-known rink: its name as usually written, its city and IOC nation code."""

    arena: str
    city: str
    nation: str


@cache
def _arenas() -> dict[str, Arena]:
    data = DATA
    with (data / "arenas.tsv").open(encoding="utf-8") as fh:
        rows = [
            Arena(r["arena"], r["city"], r["nation"]) for r in csv.DictReader(fh, delimiter="\t")
        ]
    return {fold(a.arena): a for a in rows}


def known_arena(text: str) -> Arena | None:
    """The arena a place cell names on its own (`Utah Olympic Oval`), from `arenas.tsv`."""
    return _arenas().get(fold(text.strip(" ,.")))
