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

from loaders.competitors import identity
from skating_db.errors import UserError
from skating_db.identity import NameKey

FILE_NAME = "corrections.toml"


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


def load_corrections(path: Path) -> Corrections:
    """Read a corrections file; a missing file means no corrections."""
    if not path.is_file():
        return Corrections()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: not a valid corrections file ({exc}).") from exc
    aliases: dict[tuple[str, str], str] = {}
    distinct: set[frozenset[NameKey]] = set()
    try:
        for entry in data.get("alias", []):
            aliases[(entry["gender"], identity(entry["alias"]))] = entry["athlete"]
        for entry in data.get("distinct", []):
            keys = [NameKey.of(entry["gender"], name) for name in entry["names"]]
            distinct.update(frozenset((a, b)) for a in keys for b in keys if a != b)
    except (KeyError, TypeError) as exc:
        raise UserError(f"{path}: an entry lacks the field {exc}.") from exc
    return Corrections(aliases, frozenset(distinct))
