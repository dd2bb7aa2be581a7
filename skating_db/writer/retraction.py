"""Replacing a changed document: remove what only it gave, then the entities left unused."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from skating_db.writer.dialect import chunks
from skating_db.writer.keys import ATTESTED, OWNED

if TYPE_CHECKING:
    from skating_db.writer.dialect import Sql

# Entities a replaced document may have been the last to refer to: (table, SQL of its
# ids the source refers to, the condition under which nothing refers to a row any more).
# `{hint}` marks an attestation filter on one kind and one source: SQLite, which has no
# statistics of the tables, would read it through the primary key's `fact_table` prefix
# (every attestation of that kind: 440,000 aliases at a million placements) instead of
# the `source_id` index; a unary `+` keeps the column out of its index choice.
CANDIDATES: dict[str, tuple[str, str]] = {
    "athletes": (
        "SELECT athlete_id FROM placements WHERE source_id = :sid AND athlete_id IS NOT NULL"
        " UNION SELECT athlete_id FROM standings WHERE source_id = :sid"
        " AND athlete_id IS NOT NULL"
        " UNION SELECT m.athlete_id FROM relay_members m JOIN attestations a"
        " ON {hint}a.fact_table = 'relay_members' AND a.fact_id = m.id AND a.source_id = :sid"
        " UNION SELECT l.athlete_id FROM athlete_aliases l JOIN attestations a"
        " ON {hint}a.fact_table = 'athlete_aliases' AND a.fact_id = l.id AND a.source_id = :sid",
        "NOT EXISTS (SELECT 1 FROM placements x WHERE x.athlete_id = athletes.id)"
        " AND NOT EXISTS (SELECT 1 FROM relay_members x WHERE x.athlete_id = athletes.id)"
        " AND NOT EXISTS (SELECT 1 FROM standings x WHERE x.athlete_id = athletes.id)",
    ),
    "venues": (
        "SELECT e.venue_id FROM events e JOIN attestations a ON {hint}a.fact_table = 'events'"
        " AND a.fact_id = e.id AND a.source_id = :sid WHERE e.venue_id IS NOT NULL",
        "NOT EXISTS (SELECT 1 FROM events x WHERE x.venue_id = venues.id)",
    ),
    "seasons": (
        "SELECT e.season_id FROM events e JOIN attestations a ON {hint}a.fact_table = 'events'"
        " AND a.fact_id = e.id AND a.source_id = :sid"
        " UNION SELECT season_id FROM standings WHERE source_id = :sid",
        "NOT EXISTS (SELECT 1 FROM events x WHERE x.season_id = seasons.id)"
        " AND NOT EXISTS (SELECT 1 FROM standings x WHERE x.season_id = seasons.id)",
    ),
    "nations": (
        "SELECT nation_id FROM placements WHERE source_id = :sid AND nation_id IS NOT NULL"
        " UNION SELECT nation_id FROM standings WHERE source_id = :sid"
        " AND nation_id IS NOT NULL",
        "NOT EXISTS (SELECT 1 FROM placements x WHERE x.nation_id = nations.id)"
        " AND NOT EXISTS (SELECT 1 FROM standings x WHERE x.nation_id = nations.id)"
        " AND NOT EXISTS (SELECT 1 FROM athletes x WHERE x.nation_id = nations.id)"
        " AND NOT EXISTS (SELECT 1 FROM venues x WHERE x.nation_id = nations.id)",
    ),
}
ONLY_HERE = (
    "id IN (SELECT fact_id FROM attestations WHERE {hint}fact_table = '{t}' AND source_id = :sid)"
    " AND NOT EXISTS (SELECT 1 FROM attestations o WHERE o.fact_table = '{t}'"
    " AND o.fact_id = {t}.id AND o.source_id <> :sid)"
)
# Placements (ranked or not) this source owns and no other source attests.
DELETE_PLACEMENTS = (
    "DELETE FROM placements WHERE source_id = :sid AND NOT EXISTS (SELECT 1 FROM"
    " attestations o WHERE o.fact_table = 'placements' AND o.fact_id = placements.id"
    " AND o.source_id <> :sid)"
)
# Placements another source also gives, whose values that source disputes (it holds a
# `source_conflict` issue on the line it gives them on): (that source, its line, the time
# the placement keeps). Read before HAND_OVER names that source as theirs.
DISPUTED_HAND_OVERS = (
    "SELECT b.source_id, b.line, p.time_ms FROM placements p JOIN attestations b"
    " ON b.fact_table = 'placements' AND b.fact_id = p.id AND b.source_id = (SELECT"
    " MIN(c.source_id) FROM attestations c WHERE c.fact_table = 'placements'"
    " AND c.fact_id = p.id AND c.source_id <> :sid)"
    " WHERE p.source_id = :sid AND EXISTS (SELECT 1 FROM data_issues i"
    " WHERE i.source_id = b.source_id AND i.line = b.line AND i.code = 'source_conflict')"
    " ORDER BY b.source_id, b.line"
)
# Placements another source also gives now name that source as theirs.
HAND_OVER = (
    "UPDATE placements SET"
    " source_line = (SELECT MIN(a.line) FROM attestations a WHERE a.fact_table ="
    " 'placements' AND a.fact_id = placements.id AND a.source_id = (SELECT"
    " MIN(b.source_id) FROM attestations b WHERE b.fact_table = 'placements'"
    " AND b.fact_id = placements.id AND b.source_id <> :sid)),"
    " source_id = (SELECT MIN(b.source_id) FROM attestations b WHERE"
    " b.fact_table = 'placements' AND b.fact_id = placements.id"
    " AND b.source_id <> :sid)"
    " WHERE source_id = :sid"
)
# A placement's own source is on its row, never in attestations.
DROP_OWN = (
    "DELETE FROM attestations WHERE fact_table = 'placements' AND EXISTS (SELECT 1"
    " FROM placements p WHERE p.id = attestations.fact_id"
    " AND p.source_id = attestations.source_id)"
)


Disputed = tuple[int, int | None, int | None]  # (source id, its line, the time kept)


@dataclass(slots=True)
class Candidates:
    """Entity ids by table that may be unused once the document is retracted, and the
    placements handed over to a source that disputes their values."""

    ids: dict[str, set[int]] = field(default_factory=dict)
    disputed: list[Disputed] = field(default_factory=list)


def retract(sql: Sql, source_id: int) -> Candidates:
    """Remove what only this source gave; keep facts other sources also attest."""
    sid = {"sid": source_id}
    cand = Candidates(
        {
            name: {v for (v,) in sql.named(hinted(sql, ids), sid)}
            for name, (ids, _) in CANDIDATES.items()
        }
    )
    for name in OWNED:
        sql.named(f"DELETE FROM {name} WHERE source_id = :sid", sid)
    sql.named(DELETE_PLACEMENTS, sid)
    for name in ATTESTED:
        sql.named(f"DELETE FROM {name} WHERE " + hinted(sql, ONLY_HERE, t=name), sid)
    cand.disputed = [(b, line, ms) for b, line, ms in sql.named(DISPUTED_HAND_OVERS, sid)]
    sql.named(HAND_OVER, sid)
    sql.named("DELETE FROM attestations WHERE source_id = :sid", sid)
    sql.named(DROP_OWN, {})
    return cand


def hinted(sql: Sql, text: str, **names: str) -> str:
    """`text` with its `{hint}`s filled for the dialect (see CANDIDATES) and `names`."""
    return text.format(hint="" if sql.postgres else "+", **names)


def collect_garbage(sql: Sql, cand: Candidates) -> None:
    """Delete entities the replaced document alone referred to and nothing refers to now."""
    for name, (_, unused) in CANDIDATES.items():
        for chunk in chunks(sorted(cand.ids[name])):
            marks = ", ".join([sql.mark] * len(chunk))
            sql.rows(f"DELETE FROM {name} WHERE id IN ({marks}) AND {unused}", chunk)
