"""Column roles of a table without a header row, guessed from the shapes of its cells."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from .competitors import parse_competitor
from .nations import resolve_nation
from .tokens import Row
from .values import parse_date_prefix, parse_distance, parse_rank, plain_time_ms

MIN_ROWS = 2
_SHAPES: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("rank", lambda c: (parse_rank(c) or 0) > 0 and len(c) <= 4),
    ("time", lambda c: plain_time_ms(c.replace(",", ".")) is not None),
    ("date", lambda c: parse_date_prefix(c) is not None),
    ("distance", lambda c: parse_distance(c) is not None),
    ("nation", lambda c: resolve_nation(c) is not None),
    ("athlete", lambda c: _is_name(c)),
)


def _is_name(cell: str) -> bool:
    who = parse_competitor(cell)
    return who is not None and who.name is not None and len(cell.split()) >= 2


def _shape(cell: str) -> str | None:
    return next((role for role, test in _SHAPES if cell and test(cell)), None)


def guess_roles(rows: list[Row]) -> list[str | None] | None:
    """A role per column when most of its cells share one shape; None for too few rows."""
    if len(rows) < MIN_ROWS:
        return None
    width = max(len(r.cells) for r in rows)
    roles: list[str | None] = []
    for column in range(width):
        shapes = Counter(_shape(r.cells[column]) for r in rows if column < len(r.cells))
        role, count = shapes.most_common(1)[0]
        roles.append(role if role is not None and count * 2 > len(rows) else None)
    taken: set[str] = set()
    for i, role in enumerate(roles):  # the first column of a role keeps it
        if role in taken:
            roles[i] = None
        elif role is not None:
            taken.add(role)
    return roles
