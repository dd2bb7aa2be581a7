"""Nation reference data: IOC codes, English names and local-language names or codes.

The lists live in `loaders/data/*.tsv` so that a person can add a nation or a
language without touching code.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from loaders.vocabulary import fold


@cache
def _tables() -> tuple[
    dict[str, str], dict[str, str], dict[tuple[str, str], str], dict[str, set[str]]
]:
    """(IOC code -> name, folded English name -> code, (language, folded alias) -> code,
    folded alias -> codes in any language)."""
    data = resources.files("loaders") / "data"
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
