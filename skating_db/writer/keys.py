"""Each table's natural key, declared once: the upsert, the retraction and `check` read it."""

from __future__ import annotations

from typing import NamedTuple

# table -> the columns that name one of its rows, whatever its id
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "nations": ("code",),
    "seasons": ("start_year",),
    "venues": ("natural_key",),
    "events": ("natural_key",),
    "races": ("event_id", "gender", "distance_m", "is_relay", "round", "race_no"),
    "athletes": ("natural_key",),
    "athlete_aliases": ("alias",),
    # a NULL rank (unranked) is unique on race and competitor: the partial index
    # uq_placements_race_id_competitor_key_unranked; GROUP BY and Python tuples agree.
    "placements": ("race_id", "rank", "competitor_key"),
    "relay_members": ("placement_id", "athlete_id"),
    "attestations": ("fact_table", "fact_id", "source_id"),
    "sources": ("name",),
}
# Facts several sources may give; each source's word is an attestation row.
ATTESTED = ("relay_members", "races", "events", "athlete_aliases")
# Facts whose own source is on the row (placements: other sources attest them).
OWNED = ("standings", "race_notes", "data_issues")

# `placements.competitor_key` computed in SQL from the row's athlete and nation.
COMPETITOR_KEY_SQL = (
    "CASE WHEN athlete_id IS NOT NULL THEN 'a' || CAST(athlete_id AS VARCHAR)"
    " WHEN nation_id IS NOT NULL THEN 'n' || CAST(nation_id AS VARCHAR) ELSE '?' END"
)


class PlacementKey(NamedTuple):
    """The natural key of a placement (rank None: an unranked competitor)."""

    race_id: int
    rank: int | None
    competitor: str


def competitor_key(athlete_id: int | None, nation_id: int | None) -> str:
    """Who a placement is for, as `placements.competitor_key` stores it (`COMPETITOR_KEY_SQL`)."""
    if athlete_id:
        return f"a{athlete_id}"
    return f"n{nation_id}" if nation_id else "?"


def index_elements(table: str) -> list[str]:
    """The conflict target of an upsert into `table`."""
    return list(NATURAL_KEYS[table])


def duplicate_count_sql(table: str) -> str:
    """How many natural keys of `table` name more than one row (0 in a sound database)."""
    columns = ", ".join(NATURAL_KEYS[table])
    return (
        f"SELECT COUNT(*) FROM (SELECT 1 AS x FROM {table} GROUP BY {columns}"
        " HAVING COUNT(*) > 1) d"
    )
