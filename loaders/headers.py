"""Header rows: each cell's column role, and two-row headers folded into one."""

from __future__ import annotations

from .lookups import column_role, column_role_in, language_of_header, round_of
from .memo import text_cache
from .tokens import Row


def header_roles(row: Row) -> list[str | None]:
    """The role of each header cell (None for a cell the vocabulary does not know)."""
    if row.roles is not None:
        return row.roles
    return list(_roles(tuple(row.cells)))


@text_cache(limit=4096)
def _roles(cells: tuple[str, ...]) -> tuple[str | None, ...]:
    """`header_roles` of a row's cells (cached: a table's header is asked for several times,
    and a document repeats its headers)."""
    language = language_of_header(cells) if len(cells) > 1 else None
    if language is None:
        return tuple(column_role(c) if c else None for c in cells)
    # In the header's own language first: Dutch `Bron` is a source, Slovenian a bronze.
    return tuple(column_role_in(c, language) if c else None for c in cells)


RANK_SHARE = 0.6  # of a `Place` column's cells that must be ranks for it to be the rank


def settle_place_column(rows: list[Row], start: int) -> None:
    """`Place` (Polish `Miejsce`…) names a venue in calendars and a rank in results
    (`Place | Name | Time`): the column's cells decide. The header row keeps the roles."""
    header = rows[start]
    roles = header_roles(header)
    for role, other in (("place", "rank"), ("rank", "place")):
        if role not in roles or (other == "place" and "date" not in roles):
            continue
        at = roles.index(role)
        cells = [r.cells[at] for r in rows[start + 1 :] if at < len(r.cells) and r.cells[at]]
        ranks = sum(1 for c in cells if c.rstrip(".").isdigit() and len(c) <= 4)
        share = ranks / len(cells) if cells else 1.0 if role == "rank" else 0.0
        if (share >= RANK_SHARE) == (other == "rank") and other not in roles:
            header.roles = [*roles[:at], other, *roles[at + 1 :]]
            return


def is_header(roles: list[str | None]) -> bool:
    return sum(1 for r in roles if r) >= 2


_SUBHEADER_KEEPS = (None, "athlete", "nation")


def heat_columns(cells: list[str], roles: list[str | None]) -> list[str | None]:
    """A column named after a round (`Semifinal`, `Heat`) numbers the race of each row."""
    return [
        "heat" if role in (None, "distance") and cell and round_of(cell) is not None else role
        for cell, role in zip(cells, roles, strict=True)
    ]


def merge_header_rows(rows: list[Row], start: int) -> None:
    """Fold a second header row into the first (`Gold` spanning `Skater | Time`): the
    lower cell names the column unless it only says who stands there."""
    if start + 1 >= len(rows):
        return
    upper, lower = rows[start], rows[start + 1]
    if any(c[:1].isdigit() for c in lower.cells):
        return  # a row of results (checked first: it is cheaper than the roles)
    lower_roles = header_roles(lower)
    if not is_header(lower_roles):
        return
    cells = list(upper.cells)
    for j, role in enumerate(lower_roles[: len(cells)]):
        if role not in _SUBHEADER_KEEPS or not header_roles(upper)[j]:
            cells[j] = lower.cells[j] or cells[j]
    upper.cells = cells
    del rows[start + 1]
