"""Where and when: nations, seasons, venues, events and races, found or added by natural key.

Each table behaves as an upsert on its natural key would: a known row keeps its values
and only fills the columns it lacks (`COALESCE`), a new row is added; the ledger says
which is which without a query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from skating_db.identity import event_key, venue_city, venue_key
from skating_db.loaders.nations import nation_name
from skating_db.loaders.records import Venue
from skating_db.writer.job import Job
from skating_db.writer.ledger import EventRow, Ledger, RaceKey, VenueRow
from skating_db.writer.pending import Pending

RACE_COLUMNS = (
    "id",
    "event_id",
    "gender",
    "distance_m",
    "is_relay",
    "round",
    "race_no",
    "race_date",
)
EVENT_COLUMNS = (
    "id",
    "season_id",
    "series",
    "name",
    "venue_id",
    "start_date",
    "end_date",
    "natural_key",
)


def nation_ids(ledger: Ledger, pending: Pending, codes: Iterable[str]) -> dict[str, int]:
    """Every nation's id by IOC code, the codes not yet known added."""
    known = ledger.nations()
    missing = sorted({c for c in codes if c not in known})
    ids = pending.ids("nations", len(missing))
    pending.add(
        "nations",
        ("id", "code", "name"),
        [(i, c, nation_name(c)) for i, c in zip(ids, missing, strict=True)],
    )
    known.update(zip(missing, ids, strict=True))
    return known


def season_ids(
    ledger: Ledger, pending: Pending, seasons: Iterable[tuple[int, str]]
) -> dict[int, int]:
    """Every season's id by start year, the years not yet known added (the last name given)."""
    known = ledger.seasons()
    missing = sorted({year: name for year, name in seasons if year not in known}.items())
    ids = pending.ids("seasons", len(missing))
    pending.add(
        "seasons",
        ("id", "start_year", "end_year", "name"),
        [(i, y, y + 1, n) for i, (y, n) in zip(ids, missing, strict=True)],
    )
    known.update((y, i) for i, (y, _n) in zip(ids, missing, strict=True))
    return known


def nation_codes(job: Job) -> set[str]:
    """Every nation the document names."""
    doc = job.doc
    codes = {e.venue.nation for e in doc.events if e.venue and e.venue.nation}
    codes.update(p.nation for p in doc.persons if p.nation)
    codes.update(p.nation for p in doc.placements if p.nation)
    codes.update(s.nation for s in doc.standings if s.nation)
    return codes


def write_venues(job: Job) -> dict[str, int]:
    """The id of each venue the document's events name, by natural key (the last
    spelling of a venue stands for it; a known venue only gains a missing nation)."""
    venues = {venue_key(e.venue): e.venue for e in job.doc.events if e.venue}
    if not venues:
        return {}
    known = job.ledger.venues()
    new = []
    for key, v in venues.items():
        nation_id = job.nations.get(v.nation) if v.nation else None
        row = known.get(key)
        if row is None:
            new.append((key, v, nation_id))
        elif row.nation_id is None and nation_id is not None:
            row.nation_id = nation_id
            job.pending.fill_empty("venues", "nation_id", row.id, nation_id)
    ids = job.pending.ids("venues", len(new))
    job.pending.add(
        "venues",
        ("id", "city", "arena", "nation_id", "natural_key"),
        [(i, v.city, v.arena, n, key) for i, (key, v, n) in zip(ids, new, strict=True)],
    )
    for i, (key, _v, n) in zip(ids, new, strict=True):
        known[key] = VenueRow(i, n)
    venue_ids = {key: known[key].id for key in venues}
    _venue_nations(job, venues, known)
    return venue_ids


def _venue_nations(job: Job, venues: dict[str, Venue], known: dict[str, VenueRow]) -> None:
    """An arena whose nation the document omits is in the nation its city is known in."""
    unknown = {k: v for k, v in venues.items() if v.nation is None}
    if not unknown:
        return
    cities = {venue_city(k) for k in unknown}
    nations: dict[str, set[int]] = defaultdict(set)
    for key, row in known.items():
        city = venue_city(key)
        if row.nation_id is not None and city in cities:
            nations[city].add(row.nation_id)
    fills = []
    for key, venue in unknown.items():
        found = nations.get(venue_city(key), set())
        if len(found) != 1:
            continue
        nation_id = next(iter(found))
        fills.append((key, nation_id))
        event = next(e for e in job.doc.events if e.venue == venue)
        job.issue(
            event.line,
            "info",
            "venue_nation_inferred",
            f"{venue.arena or venue.city} has no nation here; {job.code(nation_id, '')}"
            f" taken from {venue.city} as other documents give it.".replace(" ;", ";"),
        )
    for key, nation_id in fills:
        row = known[key]
        if row.nation_id is None:
            row.nation_id = nation_id
            job.pending.fill_empty("venues", "nation_id", row.id, nation_id)


def write_events(job: Job) -> list[int]:
    """The id of each of the document's events, in document order."""
    doc, sql = job.doc, job.sql
    venue_ids = write_venues(job)
    keys = [event_key(e) for e in doc.events]
    known = job.ledger.events()
    # Only events that existed before this document can hold another source's placements.
    job.earlier_events = {known[k].id for k in keys if k in known}
    rows: dict[str, tuple[Any, ...]] = {}
    for key, e in zip(keys, doc.events, strict=True):
        if key not in rows:
            venue_id = venue_ids[venue_key(e.venue)] if e.venue else None
            rows[key] = (
                job.seasons[e.season.start_year], e.series, e.name, venue_id,
                sql.date(e.start_date), sql.date(e.end_date), key,
            )  # fmt: skip
    new = [key for key in rows if key not in known]
    for key in rows:
        if key in known:
            _fill_event(job, known[key], rows[key])
    ids = job.pending.ids("events", len(new))
    job.pending.add("events", EVENT_COLUMNS, [(i, *rows[k]) for i, k in zip(ids, new, strict=True)])
    for i, key in zip(ids, new, strict=True):
        _season, _series, _name, venue_id, start, end, _key = rows[key]
        known[key] = EventRow(i, venue_id, start, end)
        job.ledger.new_event(i)
    event_ids = [known[k].id for k in keys]
    for event_id, e in zip(event_ids, doc.events, strict=True):
        job.attest_fact("events", event_id, e.line)
    return event_ids


def _fill_event(job: Job, event: EventRow, row: tuple[Any, ...]) -> None:
    """A known event gains the venue and dates it lacked."""
    _season, _series, _name, venue_id, start, end, _key = row
    if event.venue_id is None and venue_id is not None:
        event.venue_id = venue_id
        job.pending.fill_empty("events", "venue_id", event.id, venue_id)
    if event.start_date is None and start is not None:
        event.start_date = start
        job.pending.fill_empty("events", "start_date", event.id, start)
    if event.end_date is None and end is not None:
        event.end_date = end
        job.pending.fill_empty("events", "end_date", event.id, end)


def write_races(job: Job, event_ids: list[int]) -> list[int]:
    """Match races of earlier events to their rows (filling a missing date); add the rest."""
    sql, ledger = job.sql, job.ledger
    keys = [
        RaceKey(event_ids[r.event], r.gender, r.distance_m, r.is_relay, r.round, r.race_no)
        for r in job.doc.races
    ]
    found = ledger.races(job.earlier_events)
    job.earlier_races = {found[k] for k in keys if k in found}
    new: dict[RaceKey, date | None] = {}
    for key, race in zip(keys, job.doc.races, strict=True):
        if key in found:
            race_id = found[key]
            if race.race_date is not None and race_id in ledger.undated:
                ledger.undated.discard(race_id)
                job.pending.fill_empty("races", "race_date", race_id, sql.date(race.race_date))
        elif new.get(key) is None:
            new[key] = race.race_date
    ids = job.pending.ids("races", len(new))
    job.pending.add(
        "races",
        RACE_COLUMNS,
        [(i, *k, sql.date(d)) for i, (k, d) in zip(ids, new.items(), strict=True)],
    )
    for i, (key, day) in zip(ids, new.items(), strict=True):
        ledger.add_race(key, i, day is not None)
        found[key] = i
    race_ids = [found[k] for k in keys]
    for race_id, race in zip(race_ids, job.doc.races, strict=True):
        job.attest_fact("races", race_id, race.line)
    return race_ids
