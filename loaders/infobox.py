"""Medallists an event page's infobox names (`- Gold: …`, `- Goldnoc: CHN`), as final entries.

They join the rank tables' Final A race: the same competitor at the same rank is one
placement attested twice; a different one is a `rank_conflict`.
"""

from __future__ import annotations

from .builder import Builder
from .competitors import identity, parse_competitor
from .rank_rows import Entry
from .rank_tables import RaceKey, RaceSlot, RankTables
from .records import Gender
from .values import find_distance, plain_time_ms

MEDALS = (("gold", 1), ("silver", 2), ("bronze", 3))


def medallists(
    builder: Builder,
    ranks: RankTables,
    title: str,
    gender: Gender | None,
    infobox: dict[str, tuple[str, int]],
) -> None:
    """Add the infobox medallists to the final of the race the title names."""
    distance = find_distance(title)
    if distance is None or gender is None or "gold" not in infobox:
        return
    key = RaceKey(gender, distance.metres, distance.is_relay, "final", distance.race_no)
    had_final = key in ranks.slots
    slot = ranks.slot(key, distance, infobox["gold"][1])
    for role, rank in MEDALS:
        if role not in infobox:
            continue
        name, line = infobox[role]
        nation = infobox.get(f"{role}_nation", ("", line))[0]
        who = parse_competitor(f"{name} ({nation})" if nation else name, "en", distance.is_relay)
        if who is None:
            continue
        time = (
            plain_time_ms(infobox["win_value"][0])
            if role == "gold" and "win_value" in infobox
            else None
        )
        entry = Entry(who, time, None, line, line)
        existing = slot.entries.get((rank, 0))
        if had_final and existing and not _same(existing[0], entry):
            _conflict(builder, slot, entry, existing[0], name, rank)
            continue
        slot.entries.setdefault((rank, 0), []).append(entry)


def _conflict(
    builder: Builder, slot: RaceSlot, entry: Entry, existing: Entry, name: str, rank: int
) -> None:
    """The infobox names another medallist than the final table: the table is kept."""
    elsewhere = any(_same(e, entry) for es in slot.entries.values() for e in es)
    builder.warn(
        entry.line,
        "rank_conflict" if elsewhere else "source_conflict",
        f"the infobox gives {name!r} rank {rank}; the final table (line"
        f" {existing.line}) gives "
        + ("that rank to another competitor" if elsewhere else "another competitor")
        + "; the table is kept",
    )


def _same(a: Entry, b: Entry) -> bool:
    if a.who is None or b.who is None or a.who.name is None or b.who.name is None:
        return a.who is not None and b.who is not None and a.who.nation == b.who.nation
    return identity(a.who.name) == identity(b.who.name)
