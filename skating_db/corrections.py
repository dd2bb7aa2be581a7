"""Identity corrections a person keeps in `seeds/corrections.toml`, not in code.

[[alias]]                        # this spelling is that athlete
gender = "men"
alias = "Nicola Franceshcina"
athlete = "Nicola Franceschina"

[[distinct]]                     # these spellings are different people
gender = "women"
names = ["Wang Wei", "Wang Meng"]
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skating_db.domains import GENDERS
from skating_db.errors import UserError
from skating_db.identity import NameKey
from skating_db.loaders.competitors import identity

FILE_NAME = "corrections.toml"
# The fields each kind of entry may have (`note` is the person's own remark).
FIELDS = {"alias": ("gender", "alias", "athlete", "note"), "distinct": ("gender", "names", "note")}


@dataclass(frozen=True, slots=True)
class Corrections:
    # (gender, folded alias) -> canonical spelling
    aliases: dict[tuple[str, str], str] = field(default_factory=dict)
    # pairs of names that are different people
    distinct: frozenset[frozenset[NameKey]] = frozenset()

    def canonical(self, gender: str, name: str) -> str | None:
        return self.aliases.get((gender, identity(name)))

    def are_distinct(self, a: NameKey, b: NameKey) -> bool:
        return frozenset((a, b)) in self.distinct


def load_corrections(path: Path, *, required: bool = False) -> Corrections:
    """Read a corrections file; a missing file means no corrections unless it is `required`
    (named by the user)."""
    if not path.is_file():
        if required:
            what = (
                "is a folder, not a"
                if path.is_dir()
                else "is not a regular"
                if path.exists()
                else "no such"
            )
            raise UserError(f"{path}: {what} corrections file.")
        return Corrections()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: not a valid corrections file ({exc}).") from exc
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror}).") from exc
    aliases = _aliases(data, path)
    distinct: set[frozenset[NameKey]] = set()
    for n, entry in enumerate(_entries(data, "distinct", path), 1):
        gender = _text(entry, "gender", path, "distinct", n)
        names = entry.get("names")
        if not isinstance(names, list) or not all(isinstance(x, str) for x in names):
            raise UserError(f"{path}: [[distinct]] entry {n}: names must be a list of texts.")
        keys = [NameKey.of(gender, name) for name in names]
        distinct.update(frozenset((a, b)) for a in keys for b in keys if a != b)
    return Corrections(aliases, frozenset(distinct))


_ALIAS_FIELDS = ("gender", "alias", "athlete")


def _aliases(data: dict[str, Any], path: Path) -> dict[tuple[str, str], str]:
    """The [[alias]] entries; one spelling given two athletes, or an athlete that is itself
    an alias (a chain or a cycle, which would swap athletes), is refused with its entry."""
    aliases: dict[tuple[str, str], str] = {}
    entry_of: dict[tuple[str, str], int] = {}
    for n, entry in enumerate(_entries(data, "alias", path), 1):
        gender, alias, athlete = (_text(entry, f, path, "alias", n) for f in _ALIAS_FIELDS)
        key = (gender, identity(alias))
        if key in aliases and identity(aliases[key]) != identity(athlete):
            raise UserError(
                f"{path}: [[alias]] entry {n} gives {alias!r} another athlete than entry"
                f" {entry_of[key]}; keep one."
            )
        aliases[key], entry_of[key] = athlete, n
    for key, athlete in aliases.items():
        target = (key[0], identity(athlete))
        if target in aliases and target != key:
            raise UserError(
                f"{path}: [[alias]] entry {entry_of[key]} names {athlete!r}, which entry"
                f" {entry_of[target]} makes an alias itself; point both at the same athlete."
            )
    return aliases


def _entries(data: dict[str, Any], table: str, path: Path) -> list[dict[str, Any]]:
    """The entries of one kind, each with only that kind's fields; a kind the file should
    not hold is refused too, since a typo there would silently correct nothing."""
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise UserError(
            f"{path}: [[{unknown[0]}]] is not a kind of correction; the file holds [[alias]]"
            " and [[distinct]] entries."
        )
    entries = data.get(table, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise UserError(f"{path}: {table} must be written as [[{table}]] tables.")
    for n, entry in enumerate(entries, 1):
        odd = sorted(set(entry) - set(FIELDS[table]))
        if odd:
            raise UserError(
                f"{path}: [[{table}]] entry {n} has the unknown field {odd[0]}; its fields are"
                f" {', '.join(FIELDS[table])}."
            )
    return entries


def _text(entry: dict[str, Any], name: str, path: Path, table: str, n: int) -> str:
    """A field that must be text; its absence or another type is said with the entry."""
    if name not in entry:
        raise UserError(f"{path}: [[{table}]] entry {n} lacks the field {name}.")
    value = entry[name]
    if not isinstance(value, str):
        raise UserError(
            f"{path}: [[{table}]] entry {n}: {name} must be text in quotes (found {value!r})."
        )
    if name == "gender" and value not in GENDERS:
        raise UserError(
            f"{path}: [[{table}]] entry {n}: gender is {value!r}; it is one of"
            f" {', '.join(GENDERS)}."
        )
    return value
