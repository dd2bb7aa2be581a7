"""Where and when: nations, seasons, venues, events and races, upserted on their natural keys."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import text

from skating_db.identity import event_key, venue_city, venue_key
from skating_db.loaders.nations import nation_name
from skating_db.loaders.records import Venue
from skating_db.writer.dialect import Sql
from skating_db.writer.job import Job

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


class RaceKey(NamedTuple):
    """The natural key of a race (`keys.NATURAL_KEYS['races']`)."""

    event_id: int
    gender: str
    distance_m: int
    is_relay: bool
    round: str
    race_no: int


class Places:
    """Nation and season ids, cached for the life of one transaction."""

    def __init__(self, sql: Sql) -> None:
        self.sql = sql
        self._nations: dict[str, int] = {}
        self._seasons: dict[int, int] = {}

    def forget(self) -> None:
        """Rows may have been deleted: read them again."""
        self._nations.clear()
        self._seasons.clear()

    def nation_ids(self, codes: Iterable[str]) -> dict[str, int]:
        missing = sorted({c for c in codes if c not in self._nations})
        if missing:
            self.sql.upsert("nations", [{"code": c, "name": nation_name(c)} for c in missing])
            for nation_id, code in self.sql.select_in("id, code", "nations", "code", missing):
                self._nations[code] = nation_id
        return self._nations

    def season_ids(self, seasons: Iterable[tuple[int, str]]) -> dict[int, int]:
        missing = {year: name for year, name in seasons if year not in self._seasons}
        if missing:
            rows = [
                {"start_year": y, "end_year": y + 1, "name": n} for y, n in sorted(missing.items())
            ]
            self.sql.upsert("seasons", rows)
            for season_id, year in self.sql.select_in(
                "id, start_year", "seasons", "start_year", missing
            ):
                self._seasons[year] = season_id
        return self._seasons


def nation_codes(job: Job) -> set[str]:
    """Every nation the document names."""
    doc = job.doc
    codes = {e.venue.nation for e in doc.events if e.venue and e.venue.nation}
    codes.update(p.nation for p in doc.persons if p.nation)
    codes.update(p.nation for p in doc.placements if p.nation)
    codes.update(s.nation for s in doc.standings if s.nation)
    return codes


def write_venues(job: Job) -> dict[str, int]:
    """The id of each venue the document's events name, by natural key."""
    venues = {venue_key(e.venue): e.venue for e in job.doc.events if e.venue}
    if not venues:
        return {}
    rows = [
        {
            "city": v.city,
            "arena": v.arena,
            "nation_id": job.nations.get(v.nation) if v.nation else None,
            "natural_key": key,
        }
        for key, v in venues.items()
    ]
    update = {"nation_id": "COALESCE(venues.nation_id, excluded.nation_id)"}
    job.sql.upsert("venues", rows, update)
    venue_ids = dict(
        (key, venue_id)
        for venue_id, key in job.sql.select_in("id, natural_key", "venues", "natural_key", venues)
    )
    _venue_nations(job, venues, venue_ids)
    return venue_ids


def write_events(job: Job) -> list[int]:
    """The id of each of the document's events, in document order."""
    doc, sql = job.doc, job.sql
    venue_ids = write_venues(job)
    keys = [event_key(e) for e in doc.events]
    # Only events that existed before this document can hold another source's placements.
    job.earlier_events = {
        event_id for (event_id,) in sql.select_in("id", "events", "natural_key", keys)
    }
    rows: dict[str, dict[str, Any]] = {}
    for key, e in zip(keys, doc.events, strict=True):
        rows.setdefault(
            key,
            {
                "season_id": job.seasons[e.season.start_year],
                "series": e.series,
                "name": e.name,
                "venue_id": venue_ids[venue_key(e.venue)] if e.venue else None,
                "start_date": sql.date(e.start_date),
                "end_date": sql.date(e.end_date),
                "natural_key": key,
            },
        )
    update = {
        c: f"COALESCE(events.{c}, excluded.{c})" for c in ("venue_id", "start_date", "end_date")
    }
    sql.upsert("events", list(rows.values()), update)
    ids = dict(
        (key, event_id)
        for event_id, key in sql.select_in("id, natural_key", "events", "natural_key", rows)
    )
    event_ids = [ids[k] for k in keys]
    for event_id, e in zip(event_ids, doc.events, strict=True):
        job.attest_fact("events", event_id, e.line)
    return event_ids


def _venue_nations(job: Job, venues: dict[str, Venue], venue_ids: dict[str, int]) -> None:
    """An arena whose nation the document omits is in the nation its city is known in."""
    unknown = {k: v for k, v in venues.items() if v.nation is None}
    if not unknown:
        return
    sql = job.sql
    known: dict[str, set[int]] = defaultdict(set)
    for key, nation_id in sql.select_in(
        "natural_key, nation_id",
        "venues",
        sql.first_part("natural_key"),
        {venue_city(k) for k in unknown},
    ):
        if nation_id is not None:
            known[venue_city(key)].add(nation_id)
    updates = []
    for key, venue in unknown.items():
        nations = known.get(venue_city(key), set())
        if len(nations) != 1:
            continue
        nation_id = next(iter(nations))
        updates.append({"n": nation_id, "i": venue_ids[key]})
        event = next(e for e in job.doc.events if e.venue == venue)
        job.issue(
            event.line,
            "info",
            "venue_nation_inferred",
            f"{venue.arena or venue.city} has no nation here; {job.code(nation_id, '')}"
            f" taken from {venue.city} as other documents give it.".replace(" ;", ";"),
        )
    if updates:
        sql.conn.execute(
            text("UPDATE venues SET nation_id = :n WHERE id = :i AND nation_id IS NULL"), updates
        )


def _earlier_races(job: Job) -> tuple[dict[RaceKey, int], set[RaceKey]]:
    """Races of events other documents gave, by natural key, and which of them lack a date."""
    found: dict[RaceKey, int] = {}
    undated: set[RaceKey] = set()
    for race_id, event_id, gender, distance, relay, round_, race_no, race_date in job.sql.fetch_in(
        "SELECT id, event_id, gender, distance_m, is_relay, round, race_no, race_date"
        " FROM races WHERE event_id IN",
        sorted(job.earlier_events),
    ):
        key = RaceKey(event_id, gender, distance, bool(relay), round_, race_no)
        found[key] = race_id
        if race_date is None:
            undated.add(key)
    return found, undated


def write_races(job: Job, event_ids: list[int]) -> list[int]:
    """Match races of earlier events to their rows (filling a missing date); insert the rest."""
    sql = job.sql
    keys = [
        RaceKey(event_ids[r.event], r.gender, r.distance_m, r.is_relay, r.round, r.race_no)
        for r in job.doc.races
    ]
    found, undated = _earlier_races(job)
    new: dict[RaceKey, date | None] = {}
    dates: list[dict[str, Any]] = []
    for key, race in zip(keys, job.doc.races, strict=True):
        if key in found:
            if race.race_date is not None and key in undated:
                undated.discard(key)
                dates.append({"d": race.race_date, "i": found[key]})
        elif new.get(key) is None:
            new[key] = race.race_date
    if dates:
        sql.conn.execute(text("UPDATE races SET race_date = :d WHERE id = :i"), dates)
    ids = sql.new_ids("races", len(new))
    sql.bulk(
        "races",
        RACE_COLUMNS,
        [(i, *k, sql.date(d)) for i, (k, d) in zip(ids, new.items(), strict=True)],
    )
    found.update(zip(new, ids, strict=True))
    race_ids = [found[k] for k in keys]
    for race_id, race in zip(race_ids, job.doc.races, strict=True):
        job.attest_fact("races", race_id, race.line)
    return race_ids
