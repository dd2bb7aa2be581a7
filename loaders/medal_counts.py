"""Medal tables by nation (`Rank | Nation | Gold | Silver | Bronze | Total`): no placements,
but a cross-check of the placements the same document gives."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .builder import Builder
from .competitors import parse_competitor
from .lookups import section_kind
from .tokens import Row
from .values import parse_rank

MEDAL_ROLES = {"first": 1, "second": 2, "third": 3}
_NOT_COUNTS = {"athlete", "distance", "date", "time", "points"}


def is_medal_count(roles: set[str | None]) -> bool:
    """A table of medals won by nation rather than of races."""
    return {"nation", *MEDAL_ROLES} <= roles and not roles & _NOT_COUNTS


@dataclass(slots=True)
class MedalCounts:
    """What the medal tables of one document say, by nation: (gold, silver, bronze), line."""

    counts: dict[str, tuple[tuple[int, int, int], int]] = field(default_factory=dict)

    def read(self, builder: Builder, header: list[str | None], rows: list[Row]) -> None:
        nation_at = header.index("nation")
        medal_at = [header.index(role) for role in MEDAL_ROLES]
        for row in rows:
            cells = row.cells
            if max(nation_at, *medal_at) >= len(cells):
                continue
            if section_kind(cells[nation_at]) == "overall" or not cells[nation_at]:
                continue  # the total row
            who = parse_competitor(cells[nation_at], "en", True)
            numbers = [parse_rank(cells[i]) for i in medal_at]
            if who is None or who.nation is None or any(n is None for n in numbers):
                builder.warn(row.line, "row_not_understood", "a medal-table row without a nation")
                continue
            gold, silver, bronze = (n or 0 for n in numbers)
            self.counts.setdefault(who.nation, ((gold, silver, bronze), row.line))

    def check(self, builder: Builder) -> None:
        """One issue per nation whose count differs from the document's final podiums."""
        if not self.counts or not builder.doc.placements:
            return
        won: Counter[tuple[str, int]] = Counter()
        for placement in builder.doc.placements:
            race = builder.doc.races[placement.race]
            rank = placement.rank
            if race.round == "final" and rank in (1, 2, 3) and placement.nation:
                won[(placement.nation, rank)] += 1
        for nation, (expected, line) in sorted(self.counts.items()):
            found = tuple(won[(nation, rank)] for rank in (1, 2, 3))
            if found != expected:
                builder.warn(
                    line,
                    "medal_count_mismatch",
                    f"the medal table gives {nation} {'-'.join(map(str, expected))}; the results"
                    f" in this document give {'-'.join(map(str, found))}",
                )
