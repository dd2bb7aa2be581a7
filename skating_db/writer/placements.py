"""Placements and relay members: new rows in bulk, another source's rows attested."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple

from skating_db.batch import NO_ONE, PlacementRow
from skating_db.writer.athletes import Athletes
from skating_db.writer.job import Job
from skating_db.writer.keys import PlacementKey, competitor_key


class MemberKey(NamedTuple):
    """The natural key of a relay member (`keys.NATURAL_KEYS['relay_members']`)."""

    placement_id: int
    athlete_id: int


# A placement's natural key as a plain tuple: equal to its `PlacementKey`, cheaper to make.
Natural = tuple[int, int | None, str]


class Earlier(NamedTuple):
    """A placement another source gave."""

    id: int
    time_ms: int | None


# The columns of a new placement row, in the order `_Collected.facts` gives them (after the id).
PLACEMENT_COLUMNS = (
    "id",
    "race_id",
    "rank",
    "athlete_id",
    "nation_id",
    "time_ms",
    "status",
    "source_id",
    "source_line",
    "competitor_key",
    "marks",
)


@dataclass(slots=True)
class _Collected:
    """A document's placements once each, as SQL rows (without the id) by natural key."""

    facts: dict[Natural, tuple[Any, ...]] = field(default_factory=dict)
    keys: list[Natural | None] = field(default_factory=list)  # None: a repeat


# Where `_Collected.facts` rows hold what a later step reads (PLACEMENT_COLUMNS, after the id).
_TIME_MS = PLACEMENT_COLUMNS.index("time_ms") - 1
_LINE = PLACEMENT_COLUMNS.index("source_line") - 1
# What `_existing_placements` reads of a placement row still waiting to be sent.
_EARLIER = itemgetter(
    *(PLACEMENT_COLUMNS.index(c) for c in ("id", "race_id", "rank", "competitor_key", "time_ms"))
)


def write_placements(
    job: Job, athletes: Athletes, race_ids: list[int], athlete_of: list[int]
) -> list[int | None]:
    """Placement ids in document order (None for a repeated one); new rows inserted in bulk."""
    found = _collect(job, athletes, race_ids, athlete_of)
    existing = _existing_placements(job)
    _report_conflicts(job, found.facts, existing)
    facts = found.facts
    fresh = [nk for nk in facts if nk not in existing] if existing else list(facts)
    ids = job.pending.ids("placements", len(fresh))
    job.pending.add(
        "placements", PLACEMENT_COLUMNS, [(i, *facts[nk]) for i, nk in zip(ids, fresh, strict=True)]
    )
    id_of = dict(zip(fresh, ids, strict=True))
    job.new_placements = ids
    if not existing:
        return [None if key is None else id_of[key] for key in found.keys]
    result: list[int | None] = []
    for key, row in zip(found.keys, job.doc.placements, strict=True):
        earlier = None if key is None else existing.get(key)
        if earlier is not None:  # another source's row: this one attests it
            job.attest_fact("placements", earlier.id, row.line)
            result.append(earlier.id)
        else:
            result.append(None if key is None else id_of[key])
    return result


def _collect(
    job: Job, athletes: Athletes, race_ids: list[int], athlete_of: list[int]
) -> _Collected:
    """Each placement's row once, by natural key; a repeat is reported and kept once."""
    nation_of = athletes.nation_of
    nations = job.nations
    member_nations: dict[int, int] = {}
    found = _Collected()
    facts, keys = found.facts, found.keys
    sid = job.sid
    for row in job.doc.placements:
        if row.athlete != NO_ONE and row.nation and not row.members:  # the common case
            athlete_id: int | None = athlete_of[row.athlete]
            nation_id: int | None = nations[row.nation]
            competitor = f"a{athlete_id}"
        else:
            athlete_id, nation_id = _competitor(job, row, athlete_of, nation_of, member_nations)
            competitor = competitor_key(athlete_id, nation_id)
        race_id, rank = race_ids[row.race], row.rank
        nk = (race_id, rank, competitor)
        if nk in facts:
            _duplicate(job, row, facts[nk][_LINE])
            keys.append(None)
            continue
        keys.append(nk)
        facts[nk] = (
            race_id, rank, athlete_id, nation_id, row.time_ms, row.status,
            sid, row.line, competitor, row.marks,
        )  # fmt: skip
    _fill_member_nations(job, athletes, member_nations)
    return found


def _competitor(
    job: Job,
    row: PlacementRow,
    athlete_of: list[int],
    nation_of: dict[int, int | None],
    member_nations: dict[int, int],
) -> tuple[int | None, int | None]:
    """The athlete and nation ids of a placement; a relay without a nation takes its
    members' nation, and members without a nation take their team's."""
    athlete_id = athlete_of[row.athlete] if row.athlete != NO_ONE else None
    nation_id = job.nations.get(row.nation) if row.nation else None
    if athlete_id is None and nation_id is None and row.members:
        nation_id = _relay_nation(job, row, athlete_of, nation_of)
    if athlete_id is not None and nation_id is None:
        nation_id = nation_of.get(athlete_id)
    if nation_id is not None:
        for member in row.members:
            member_id = athlete_of[member.person]
            if nation_of.get(member_id) is None:
                member_nations[member_id] = nation_of[member_id] = nation_id
    return athlete_id, nation_id


def _duplicate(job: Job, row: PlacementRow, first_line: int) -> None:
    given = "without a rank" if row.rank is None else f"rank {row.rank}"
    job.issue(
        row.line,
        "warning",
        "duplicate_placement",
        f"the same competitor is given {given} again (first on line {first_line}); kept once.",
    )


def _fill_member_nations(job: Job, athletes: Athletes, member_nations: dict[int, int]) -> None:
    """Members without a nation took their team's (already in `athletes.nation_of`)."""
    for athlete_id, nation_id in member_nations.items():
        job.pending.fill_empty("athletes", "nation_id", athlete_id, nation_id)
        athletes.by_id[athlete_id].nation_id = nation_id


def _relay_nation(
    job: Job, row: PlacementRow, athlete_of: list[int], nation_of: dict[int, int | None]
) -> int | None:
    """A relay team whose nation was lost is the nation its known members skate for."""
    votes = Counter(
        n for member in row.members if (n := nation_of.get(athlete_of[member.person])) is not None
    )
    if not votes:
        return None
    (nation_id, count), *rest = votes.most_common(2)
    if any(tied == count for _other, tied in rest):
        return None
    job.issue(
        row.line,
        "info",
        "relay_nation_inferred",
        f"the relay team's nation is missing; {job.code(nation_id)} inferred from"
        f" {count} of its {len(row.members)} members.",
    )
    return nation_id


def _existing_placements(job: Job) -> dict[Natural, Earlier]:
    """Placements other sources gave in this document's races, by natural key.

    Only races that existed before this document can hold them, and they are read by
    race, not by event (an event page shares its championship with dozens of pages);
    those still waiting to be sent are found without a query.
    """
    earlier = sorted(job.earlier_races)
    if not earlier:  # most documents: nothing to index the waiting rows for
        return {}
    sent = [race_id for race_id in earlier if not job.pending.unsent("races", race_id)]
    found: dict[Natural, Earlier] = {
        PlacementKey(race_id, rank, key): Earlier(pid, time_ms)
        for pid, race_id, rank, key, time_ms in job.sql.select_by(
            "id, race_id, rank, competitor_key, time_ms", "placements", "race_id", sent
        )
    }
    unsent = job.pending.waiting_by("placements", "race_id")  # a race sent may have rows waiting
    for race_id in earlier:
        for row in unsent.get(race_id, ()):
            pid, race, rank, key, time_ms = _EARLIER(row)
            found[PlacementKey(race, rank, key)] = Earlier(pid, time_ms)
    return found


def _report_conflicts(
    job: Job, facts: dict[Natural, tuple[Any, ...]], existing: dict[Natural, Earlier]
) -> None:
    """Another source already gave this placement: keep its value, record a disagreement."""
    if not existing:
        return
    ranks_taken = {(k[0], k[1]) for k in existing if k[1] is not None}
    for nk, row in facts.items():
        time_ms, line = row[_TIME_MS], row[_LINE]
        if nk in existing:
            first_time = existing[nk].time_ms
            if time_ms is not None and first_time is not None and time_ms != first_time:
                job.issue(
                    line,
                    "warning",
                    "source_conflict",
                    f"time {time_ms} ms differs from {first_time} ms that another source"
                    " gave for this placement; the first source's value is kept.",
                )
        elif (nk[0], nk[1]) in ranks_taken:
            job.issue(
                line,
                "warning",
                "rank_conflict",
                f"another source gives a different competitor at rank {nk[1]} in this"
                " race; both are kept.",
            )


def write_relay_members(job: Job, placement_ids: list[int | None], athlete_of: list[int]) -> None:
    """Members of new placements are new rows; members of another source's may exist."""
    rows: dict[MemberKey, int] = {}
    for pid, placement in zip(placement_ids, job.doc.placements, strict=True):
        if pid is None:
            continue
        for member in placement.members:
            rows.setdefault(MemberKey(pid, athlete_of[member.person]), member.line)
    fresh = [pair for pair in rows if pair.placement_id in job.new_placements]
    shared = [pair for pair in rows if pair.placement_id not in job.new_placements]
    member_ids = _existing_members(job, shared)
    new = fresh + [pair for pair in shared if pair not in member_ids]
    ids = job.pending.ids("relay_members", len(new))
    job.pending.add(
        "relay_members",
        ("id", "placement_id", "athlete_id"),
        [(i, *pair) for i, pair in zip(ids, new, strict=True)],
    )
    member_ids.update(zip(new, ids, strict=True))
    for pair, line in rows.items():
        job.attest_fact("relay_members", member_ids[pair], line)


def _existing_members(job: Job, shared: list[MemberKey]) -> dict[MemberKey, int]:
    """The ids of the relay members other sources gave to these placements."""
    placements = sorted({pair.placement_id for pair in shared})
    if not placements:
        return {}
    sent = [pid for pid in placements if not job.pending.unsent("placements", pid)]
    found = {
        MemberKey(pid, aid): mid
        for mid, pid, aid in job.sql.select_by(
            "id, placement_id, athlete_id", "relay_members", "placement_id", sent
        )
    }
    unsent = job.pending.waiting_by("relay_members", "placement_id")  # as in placements
    for pid in placements:
        found.update((MemberKey(p, a), mid) for mid, p, a in unsent.get(pid, ()))
    return found
