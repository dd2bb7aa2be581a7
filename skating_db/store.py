"""The one place that writes: parsed documents in, set-based upserts out.

`Store.write` runs inside the caller's transaction. Every table gets one bulk
statement per document (an `INSERT … ON CONFLICT` on its natural key, in the
dialect's native form) and ids come back with one scoped SELECT, so the cost
of a document is proportional to the document, not to the database.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy import Connection, Table, bindparam, select, text
from sqlalchemy.dialects import postgresql, sqlite

from loaders.nations import nation_name
from loaders.records import Issue, Person, Venue
from skating_db import models as m
from skating_db.batch import NO_ONE, Batch, PersonKey
from skating_db.corrections import Corrections
from skating_db.identity import (
    NearMissIndex,
    athlete_key,
    event_key,
    spelling,
    venue_key,
)

CHUNK = 500
WRITER_LOCK = 0x5C47_1DB0  # the PostgreSQL advisory lock key all skating-db writers share
STANDING_COLUMNS = (
    "season_id",
    "series",
    "gender",
    "classification",
    "rank",
    "athlete_id",
    "nation_id",
    "points",
    "source_id",
    "source_line",
)
PLACEMENT_COLUMNS = (
    "race_id",
    "rank",
    "athlete_id",
    "nation_id",
    "time_ms",
    "status",
    "source_id",
    "source_line",
    "competitor_key",
)
Status = Literal["loaded", "replaced", "unchanged"]


@dataclass(slots=True)
class LoadResult:
    source: str
    status: Status
    counts: Counter[str] = field(default_factory=Counter)


def _table(model: type[m.Base]) -> Table:
    return m.Base.metadata.tables[model.__tablename__]


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(slots=True)
class _Known:
    id: int
    nation_id: int | None
    name: str


class Store:
    """Writes documents through one connection; caches ids for the life of one transaction."""

    def __init__(self, conn: Connection, corrections: Corrections | None = None) -> None:
        self.conn = conn
        self.corrections = corrections or Corrections()
        self._nations: dict[str, int] = {}
        self._seasons: dict[int, int] = {}
        self._athletes: dict[str, _Known] | None = None
        self._by_name: dict[str, list[str]] = defaultdict(list)  # gender|fold -> athlete keys
        self._near: NearMissIndex | None = None
        self._locked = False

    # -- statements -------------------------------------------------------------------------

    def _insert(self, table: Table) -> Any:
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        return dialect.insert(table)

    def _execute(self, stmt: Any, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.conn.execute(stmt, list(rows))

    def _bulk(
        self,
        table: str,
        columns: Sequence[str],
        rows: Sequence[tuple[Any, ...]],
        conflict: Sequence[str] | None = None,
    ) -> None:
        """Insert tuples with one executemany, the hot path for fact rows (no ORM, no dicts).

        With `conflict`, rows that collide with that natural key are skipped
        (`INSERT … ON CONFLICT (…) DO NOTHING`, the same text on both backends).
        """
        if not rows:
            return
        mark = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)})"
            f" VALUES ({', '.join([mark] * len(columns))})"
        )
        if conflict is not None:
            sql += f" ON CONFLICT ({', '.join(conflict)}) DO NOTHING"
        self.conn.exec_driver_sql(sql, list(rows))

    def _new_ids(self, table: str, count: int) -> Sequence[int]:
        """Ids for `count` rows about to be inserted into `table`, so no SELECT must find them.

        Writers never overlap (SQLite's `BEGIN IMMEDIATE`, PostgreSQL's advisory lock), so on
        SQLite the ids after the current maximum are free; PostgreSQL draws from the sequence.
        """
        if count == 0:
            return ()
        if self.conn.dialect.name == "postgresql":
            rows = self.conn.exec_driver_sql(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"
                " FROM generate_series(1, %(n)s)",
                {"n": count},
            )
            return [r[0] for r in rows]
        top = self.conn.exec_driver_sql(f"SELECT MAX(id) FROM {table}").scalar() or 0
        return range(top + 1, top + 1 + count)

    def _date(self, value: date | None) -> date | str | None:
        """A date as the driver takes it: SQLite stores ISO text, as SQLAlchemy's Date does."""
        if value is None or self.conn.dialect.name != "sqlite":
            return value
        return value.isoformat()

    def _fetch_in(self, sql: str, values: Iterable[Any]) -> list[tuple[Any, ...]]:
        """Plain tuples of `sql` (ending in `IN`) for each chunk of `values`: the bulk read path."""
        values = list(dict.fromkeys(values))
        mark = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"
        rows: list[tuple[Any, ...]] = []
        cursor = self.conn.connection.cursor()  # the driver's own: tuples, no Row objects
        try:
            for chunk in _chunks(values):
                cursor.execute(f"{sql} ({', '.join([mark] * len(chunk))})", tuple(chunk))
                rows.extend(cursor.fetchall())
        finally:
            cursor.close()
        return rows

    def _select_in(
        self, columns: str, table: str, key: str, values: Iterable[Any]
    ) -> list[tuple[Any, ...]]:
        """`columns` of the rows of `table` whose `key` is in `values`."""
        return self._fetch_in(f"SELECT {columns} FROM {table} WHERE {key} IN", values)

    # -- entry point --------------------------------------------------------------------------

    def _lock_writers(self) -> None:
        """On PostgreSQL, hold the writers' lock until the transaction ends, as SQLite's
        `BEGIN IMMEDIATE` does: loads queue, and ids the writer assigns cannot collide."""
        if not self._locked and self.conn.dialect.name == "postgresql":
            self.conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%(key)s)", {"key": WRITER_LOCK})
        self._locked = True

    def write(self, doc: Batch) -> LoadResult:
        """Upsert one document's facts; a changed document replaces exactly its own facts."""
        self._lock_writers()
        name, sha256 = doc.name, doc.sha256
        existing = self.conn.execute(
            select(m.Source.id, m.Source.sha256).where(m.Source.name == name)
        ).first()
        if existing is not None and existing.sha256 == sha256:
            return LoadResult(name, "unchanged")
        values = {
            "name": name,
            "sha256": sha256,
            "title": doc.title,
            "format": doc.format,
            "loaded_at": datetime.now(UTC),
        }
        candidates: _Candidates | None = None
        if existing is not None:
            source_id = existing.id
            candidates = self._retract(source_id)
            self.conn.execute(
                _table(m.Source).update().where(m.Source.id == source_id).values(**values)
            )
        else:
            source_id = self.conn.execute(
                _table(m.Source).insert().values(**values).returning(m.Source.id)
            ).scalar_one()
        result = LoadResult(name, "replaced" if existing is not None else "loaded")
        _Writer(self, source_id, doc, result).run()
        if candidates is not None:
            self._collect_garbage(candidates)
        return result

    # -- replacing a changed document ---------------------------------------------------------

    def _retract(self, source_id: int) -> _Candidates:
        """Remove what only this source gave; keep facts other sources also attest."""
        conn, sid = self.conn, {"sid": source_id}
        cand = _Candidates()
        cand.athletes.update(
            conn.execute(
                text(
                    "SELECT athlete_id FROM placements WHERE source_id = :sid"
                    " AND athlete_id IS NOT NULL"
                    " UNION SELECT athlete_id FROM standings WHERE source_id = :sid"
                    " AND athlete_id IS NOT NULL"
                    " UNION SELECT m.athlete_id FROM relay_members m JOIN attestations a"
                    " ON a.fact_table = 'relay_members' AND a.fact_id = m.id"
                    " AND a.source_id = :sid"
                    " UNION SELECT l.athlete_id FROM athlete_aliases l JOIN attestations a"
                    " ON a.fact_table = 'athlete_aliases' AND a.fact_id = l.id"
                    " AND a.source_id = :sid"
                ),
                sid,
            ).scalars()
        )
        cand.venues.update(
            conn.execute(
                text(
                    "SELECT e.venue_id FROM events e JOIN attestations a ON a.fact_table = 'events'"
                    " AND a.fact_id = e.id AND a.source_id = :sid WHERE e.venue_id IS NOT NULL"
                ),
                sid,
            ).scalars()
        )
        cand.seasons.update(
            conn.execute(
                text(
                    "SELECT e.season_id FROM events e JOIN attestations a"
                    " ON a.fact_table = 'events'"
                    " AND a.fact_id = e.id AND a.source_id = :sid"
                    " UNION SELECT season_id FROM standings WHERE source_id = :sid"
                ),
                sid,
            ).scalars()
        )
        cand.nations.update(
            conn.execute(
                text(
                    "SELECT nation_id FROM placements WHERE source_id = :sid"
                    " AND nation_id IS NOT NULL"
                    " UNION SELECT nation_id FROM standings WHERE source_id = :sid"
                    " AND nation_id IS NOT NULL"
                ),
                sid,
            ).scalars()
        )
        for table in ("standings", "race_notes", "data_issues"):
            conn.execute(text(f"DELETE FROM {table} WHERE source_id = :sid"), sid)
        only_here = (
            "id IN (SELECT fact_id FROM attestations WHERE fact_table = '{t}' AND source_id = :sid)"
            " AND NOT EXISTS (SELECT 1 FROM attestations o WHERE o.fact_table = '{t}'"
            " AND o.fact_id = {t}.id AND o.source_id <> :sid)"
        )
        conn.execute(
            text(
                "DELETE FROM placements WHERE source_id = :sid AND NOT EXISTS (SELECT 1 FROM"
                " attestations o WHERE o.fact_table = 'placements' AND o.fact_id = placements.id"
                " AND o.source_id <> :sid)"
            ),
            sid,
        )
        for table in ("relay_members", "races", "events", "athlete_aliases"):
            conn.execute(text(f"DELETE FROM {table} WHERE " + only_here.format(t=table)), sid)
        # Placements another source also gives now name that source as theirs.
        conn.execute(
            text(
                "UPDATE placements SET"
                " source_line = (SELECT MIN(a.line) FROM attestations a WHERE a.fact_table ="
                " 'placements' AND a.fact_id = placements.id AND a.source_id = (SELECT"
                " MIN(b.source_id) FROM attestations b WHERE b.fact_table = 'placements'"
                " AND b.fact_id = placements.id AND b.source_id <> :sid)),"
                " source_id = (SELECT MIN(b.source_id) FROM attestations b WHERE"
                " b.fact_table = 'placements' AND b.fact_id = placements.id"
                " AND b.source_id <> :sid)"
                " WHERE source_id = :sid"
            ),
            sid,
        )
        conn.execute(text("DELETE FROM attestations WHERE source_id = :sid"), sid)
        # A placement's own source is on its row, never in attestations.
        conn.execute(
            text(
                "DELETE FROM attestations WHERE fact_table = 'placements' AND EXISTS (SELECT 1"
                " FROM placements p WHERE p.id = attestations.fact_id"
                " AND p.source_id = attestations.source_id)"
            )
        )
        self._athletes = None  # deleted rows may have been cached
        self._nations.clear()
        self._seasons.clear()
        return cand

    def _collect_garbage(self, cand: _Candidates) -> None:
        """Delete entities the replaced document alone referred to and nothing refers to now."""
        rules = [
            (
                "athletes",
                cand.athletes,
                "NOT EXISTS (SELECT 1 FROM placements x WHERE x.athlete_id = athletes.id)"
                " AND NOT EXISTS (SELECT 1 FROM relay_members x WHERE x.athlete_id = athletes.id)"
                " AND NOT EXISTS (SELECT 1 FROM standings x WHERE x.athlete_id = athletes.id)",
            ),
            (
                "venues",
                cand.venues,
                "NOT EXISTS (SELECT 1 FROM events x WHERE x.venue_id = venues.id)",
            ),
            (
                "seasons",
                cand.seasons,
                "NOT EXISTS (SELECT 1 FROM events x WHERE x.season_id = seasons.id)"
                " AND NOT EXISTS (SELECT 1 FROM standings x WHERE x.season_id = seasons.id)",
            ),
            (
                "nations",
                cand.nations,
                "NOT EXISTS (SELECT 1 FROM placements x WHERE x.nation_id = nations.id)"
                " AND NOT EXISTS (SELECT 1 FROM standings x WHERE x.nation_id = nations.id)"
                " AND NOT EXISTS (SELECT 1 FROM athletes x WHERE x.nation_id = nations.id)"
                " AND NOT EXISTS (SELECT 1 FROM venues x WHERE x.nation_id = nations.id)",
            ),
        ]
        for table, ids, condition in rules:
            stmt = text(f"DELETE FROM {table} WHERE id IN :ids AND {condition}").bindparams(
                bindparam("ids", expanding=True)
            )
            for chunk in _chunks(sorted(ids)):
                self.conn.execute(stmt, {"ids": list(chunk)})
        self._athletes = None
        self._nations.clear()
        self._seasons.clear()

    # -- shared look-ups ----------------------------------------------------------------------

    def nation_ids(self, codes: Iterable[str]) -> dict[str, int]:
        missing = sorted({c for c in codes if c not in self._nations})
        if missing:
            stmt = self._insert(_table(m.Nation)).on_conflict_do_nothing(index_elements=["code"])
            self._execute(stmt, [{"code": c, "name": nation_name(c)} for c in missing])
            for nation_id, code in self._select_in("id, code", "nations", "code", missing):
                self._nations[code] = nation_id
        return self._nations

    def season_ids(self, seasons: Iterable[tuple[int, str]]) -> dict[int, int]:
        missing = {year: name for year, name in seasons if year not in self._seasons}
        if missing:
            stmt = self._insert(_table(m.Season)).on_conflict_do_nothing(
                index_elements=["start_year"]
            )
            rows = [
                {"start_year": y, "end_year": y + 1, "name": n} for y, n in sorted(missing.items())
            ]
            self._execute(stmt, rows)
            for season_id, year in self._select_in(
                "id, start_year", "seasons", "start_year", missing
            ):
                self._seasons[year] = season_id
        return self._seasons

    def known_athletes(self) -> dict[str, _Known]:
        """Every athlete in the database by identity key, read once per transaction."""
        if self._athletes is None:
            self._athletes = {}
            self._by_name.clear()
            self._near = None
            for row in self.conn.execute(
                text("SELECT id, natural_key, nation_id, name FROM athletes")
            ):
                self._remember(row.natural_key, _Known(row.id, row.nation_id, row.name))
        return self._athletes

    def _remember(self, key: str, known: _Known) -> None:
        assert self._athletes is not None
        self._athletes[key] = known
        name_key = key.rsplit("|", 1)[0]
        self._by_name[name_key].append(key)
        if self._near is not None:
            self._near.add(name_key)

    def near_misses(self, name_key: str) -> set[str]:
        """Known gender|name keys one edit away from `name_key` (built on first use)."""
        if self._near is None:
            self._near = NearMissIndex()
            self._near.add_all(self._by_name)
        return self._near.near(name_key)

    def namesakes(self, name_key: str) -> list[str]:
        return self._by_name.get(name_key, [])

    def add_name(self, name_key: str) -> None:
        """Make a name known to the near-miss index before its athlete row exists."""
        self._by_name.setdefault(name_key, [])
        if self._near is not None:
            self._near.add(name_key)

    def display_name(self, name_key: str) -> str:
        known = self.known_athletes()
        return ", ".join(known[k].name for k in self._by_name.get(name_key, [])) or name_key


@dataclass(slots=True)
class _Candidates:
    athletes: set[int] = field(default_factory=set)
    venues: set[int] = field(default_factory=set)
    seasons: set[int] = field(default_factory=set)
    nations: set[int] = field(default_factory=set)


class _Writer:
    """Writes one document; a fresh instance per document keeps the steps' state together."""

    def __init__(self, store: Store, source_id: int, doc: Batch, result: LoadResult):
        self.store = store
        self.conn = store.conn
        self.sid = source_id
        self.doc = doc
        self.result = result
        self.issues: list[Issue] = list(doc.issues)
        self.attest: dict[tuple[str, int], int | None] = {}
        self.earlier_events: set[int] = set()
        self.new_placements: set[int] = set()

    def issue(self, line: int | None, severity: Any, code: str, message: str) -> None:
        self.issues.append(Issue(line, severity, code, message))

    def _attest(self, table: str, fact_id: int, line: int | None) -> None:
        self.attest.setdefault((table, fact_id), line)

    def run(self) -> None:
        doc = self.doc
        self.nations = self.store.nation_ids(self._nation_codes())
        self.seasons = self.store.season_ids(
            [(e.season.start_year, e.season.name) for e in doc.events]
            + [(s[0], s[1]) for s in doc.standings]
        )
        event_ids = self._events()
        race_ids = self._races(event_ids)
        athlete_of = self._athletes()
        placement_ids = self._placements(race_ids, athlete_of)
        self._relay_members(placement_ids, athlete_of)
        self._standings(athlete_of)
        self._notes(race_ids)
        self._write_attestations()
        self._write_issues()
        counts = self.result.counts
        counts.update(
            events=len(doc.events),
            races=len(doc.races),
            placements=len(doc.placements),
            standings=len(doc.standings),
            notes=len(doc.notes),
            issues=len(self.issues),
        )

    def _nation_codes(self) -> set[str]:
        doc = self.doc
        codes = {e.venue.nation for e in doc.events if e.venue and e.venue.nation}
        codes.update(p.nation for p in doc.persons if p.nation)
        codes.update(p[3] for p in doc.placements if p[3])
        codes.update(s[7] for s in doc.standings if s[7])
        return codes

    # -- events and races -----------------------------------------------------------------------

    def _events(self) -> list[int]:
        doc, store = self.doc, self.store
        venues = {venue_key(e.venue): e.venue for e in doc.events if e.venue}
        venue_ids: dict[str, int] = {}
        if venues:
            stmt = store._insert(_table(m.Venue))
            stmt = stmt.on_conflict_do_update(
                index_elements=["natural_key"],
                set_={"nation_id": text("COALESCE(venues.nation_id, excluded.nation_id)")},
            )
            store._execute(
                stmt,
                [
                    {
                        "city": v.city,
                        "arena": v.arena,
                        "nation_id": self.nations.get(v.nation) if v.nation else None,
                        "natural_key": key,
                    }
                    for key, v in venues.items()
                ],
            )
            for venue_id, key in store._select_in(
                "id, natural_key", "venues", "natural_key", venues
            ):
                venue_ids[key] = venue_id
            self._venue_nations(venues, venue_ids)
        keys = [event_key(e) for e in doc.events]
        # Only events that existed before this document can hold another source's placements.
        self.earlier_events = {
            event_id for (event_id,) in store._select_in("id", "events", "natural_key", keys)
        }
        rows: dict[str, dict[str, Any]] = {}
        for key, e in zip(keys, doc.events, strict=True):
            rows.setdefault(
                key,
                {
                    "season_id": self.seasons[e.season.start_year],
                    "series": e.series,
                    "name": e.name,
                    "venue_id": venue_ids[venue_key(e.venue)] if e.venue else None,
                    "start_date": e.start_date,
                    "end_date": e.end_date,
                    "natural_key": key,
                },
            )
        if rows:
            stmt = store._insert(_table(m.Event))
            stmt = stmt.on_conflict_do_update(
                index_elements=["natural_key"],
                set_={
                    c: text(f"COALESCE(events.{c}, excluded.{c})")
                    for c in ("venue_id", "start_date", "end_date")
                },
            )
            store._execute(stmt, list(rows.values()))
        ids = {
            key: event_id
            for event_id, key in store._select_in("id, natural_key", "events", "natural_key", rows)
        }
        event_ids = [ids[k] for k in keys]
        for event_id, e in zip(event_ids, doc.events, strict=True):
            self._attest("events", event_id, e.line)
        return event_ids

    def _venue_nations(self, venues: dict[str, Venue], venue_ids: dict[str, int]) -> None:
        """An arena whose nation the document omits is in the nation its city is known in."""
        unknown = {k: v for k, v in venues.items() if v.nation is None}
        if not unknown:
            return
        cities = {k.split("|", 1)[0] for k in unknown}
        known: dict[str, set[int]] = defaultdict(set)
        for key, nation_id in self.store._select_in(
            "natural_key, nation_id",
            "venues",
            "substr(natural_key, 1, instr(natural_key, '|') - 1)"
            if self.conn.dialect.name == "sqlite"
            else "split_part(natural_key, '|', 1)",
            cities,
        ):
            if nation_id is not None:
                known[key.split("|", 1)[0]].add(nation_id)
        updates = []
        for key, venue in unknown.items():
            nations = known.get(key.split("|", 1)[0], set())
            if len(nations) != 1:
                continue
            nation_id = next(iter(nations))
            updates.append({"n": nation_id, "i": venue_ids[key]})
            event = next(e for e in self.doc.events if e.venue == venue)
            self.issue(
                event.line,
                "info",
                "venue_nation_inferred",
                f"{venue.arena or venue.city} has no nation here; {self._code(nation_id, '')}"
                f" taken from {venue.city} as other documents give it.".replace(" ;", ";"),
            )
        if updates:
            self.conn.execute(
                text("UPDATE venues SET nation_id = :n WHERE id = :i AND nation_id IS NULL"),
                updates,
            )

    def _races(self, event_ids: list[int]) -> list[int]:
        """Match races of earlier events to their rows (filling a missing date); insert the rest."""
        store = self.store
        keys = [(event_ids[r[0]], *r[1:6]) for r in self.doc.races]
        found: dict[tuple[Any, ...], int] = {}
        undated: set[tuple[Any, ...]] = set()
        for (
            race_id,
            event_id,
            gender,
            distance,
            relay,
            round_,
            race_no,
            race_date,
        ) in store._fetch_in(
            "SELECT id, event_id, gender, distance_m, is_relay, round, race_no, race_date"
            " FROM races WHERE event_id IN",
            sorted(self.earlier_events),
        ):
            found_key = (event_id, gender, distance, bool(relay), round_, race_no)
            found[found_key] = race_id
            if race_date is None:
                undated.add(found_key)
        new: dict[tuple[Any, ...], date | None] = {}
        dates: list[dict[str, Any]] = []
        for key, race in zip(keys, self.doc.races, strict=True):
            race_date = race[6]
            if key in found:
                if race_date is not None and key in undated:
                    undated.discard(key)
                    dates.append({"d": race_date, "i": found[key]})
            elif new.get(key) is None:
                new[key] = race_date
        if dates:
            self.conn.execute(text("UPDATE races SET race_date = :d WHERE id = :i"), dates)
        ids = store._new_ids("races", len(new))
        store._bulk(
            "races",
            ("id", "event_id", "gender", "distance_m", "is_relay", "round", "race_no", "race_date"),
            [(i, *k, store._date(d)) for i, (k, d) in zip(ids, new.items(), strict=True)],
        )
        found.update(zip(new, ids, strict=True))
        race_ids = [found[k] for k in keys]
        for race_id, race in zip(race_ids, self.doc.races, strict=True):
            self._attest("races", race_id, race[7])
        return race_ids

    # -- athletes -----------------------------------------------------------------------------

    def _athletes(self) -> list[int]:
        """The athlete id of each of the document's persons, creating new athletes."""
        store, doc = self.store, self.doc
        known = store.known_athletes()
        resolved: dict[PersonKey, int] = {}
        new: dict[str, dict[str, Any]] = {}
        new_lines: dict[str, int] = {}
        aliases: dict[str, tuple[str, int]] = {}
        nation_updates: dict[str, int] = {}
        pending: list[tuple[PersonKey, str]] = []
        written: dict[str, tuple[PersonKey, int]] = {}
        for person, pkey in zip(doc.persons, doc.person_keys, strict=True):
            for spelt in (spelling(person), *person.spellings):
                written.setdefault(spelt, (pkey, person.line))
            if pkey in resolved:
                continue
            key = self._identify(person)
            pending.append((pkey, key))
            resolved[pkey] = -1
            nation_id = self.nations.get(person.nation) if person.nation else None
            if key in known:
                k = known[key]
                if nation_id is not None and k.nation_id is None:
                    nation_updates.setdefault(key, nation_id)
                elif nation_id is not None and k.nation_id != nation_id:
                    self.issue(
                        person.line,
                        "info",
                        "nation_differs",
                        f"{spelling(person)} is listed for {person.nation} here and for another"
                        " nation elsewhere; kept as one athlete.",
                    )
            elif key in new:
                if nation_id is not None and new[key]["nation_id"] is None:
                    new[key]["nation_id"] = nation_id
            else:
                canonical = self.store.corrections.canonical(person.gender, person.name)
                new[key] = {
                    "name": canonical or " ".join(person.name.split()),
                    "gender": person.gender,
                    "nation_id": nation_id,
                    "disambiguation": person.disambiguation,
                    "natural_key": key,
                }
                new_lines[key] = person.line
        if new:
            self._flag_near_misses(new, new_lines)
            stmt = store._insert(_table(m.Athlete)).on_conflict_do_nothing(
                index_elements=["natural_key"]
            )
            store._execute(stmt, list(new.values()))
            for athlete_id, key, nation_id, name in store._select_in(
                "id, natural_key, nation_id, name", "athletes", "natural_key", new
            ):
                store._remember(key, _Known(athlete_id, nation_id, name))
        if nation_updates:
            self.conn.execute(
                text("UPDATE athletes SET nation_id = :n WHERE id = :i AND nation_id IS NULL"),
                [{"n": n, "i": known[k].id} for k, n in nation_updates.items()],
            )
            for athlete_key_, nation in nation_updates.items():
                known[athlete_key_].nation_id = nation
        key_of: dict[PersonKey, str] = {}
        for pkey, key in pending:
            resolved[pkey] = known[key].id
            key_of[pkey] = key
        for spelt, (pkey, line) in written.items():
            aliases.setdefault(spelt, (key_of[pkey], line))
        self._aliases(aliases, known)
        return [resolved[pkey] for pkey in doc.person_keys]

    def _identify(self, person: Person) -> str:
        """The identity key of a person: a correction, a known spelling, else their own."""
        store = self.store
        known = store.known_athletes()
        canonical = store.corrections.canonical(person.gender, person.name)
        if canonical is not None:
            return athlete_key(person.gender, canonical, person.disambiguation)
        key = athlete_key(person.gender, person.name, person.disambiguation)
        if key in known:
            return key
        for other in person.spellings:
            other_key = athlete_key(person.gender, other, person.disambiguation)
            if other_key in known:
                return other_key
        if person.disambiguation is None:
            namesakes = store.namesakes(key.rsplit("|", 1)[0])
            if len(namesakes) == 1 and namesakes[0] in known:
                suffix = namesakes[0].rsplit("|", 1)[1]
                self.issue(
                    person.line,
                    "warning",
                    "namesake_guessed",
                    f"{person.name} has no namesake suffix; taken as the only known"
                    f" {person.name} ({suffix.upper()}).",
                )
                return namesakes[0]
            if len(namesakes) > 1:
                self.issue(
                    person.line,
                    "warning",
                    "ambiguous_namesake",
                    f"{person.name} has no namesake suffix and {len(namesakes)} athletes share"
                    " the name; recorded as a separate athlete.",
                )
        return key

    def _flag_near_misses(self, new: dict[str, dict[str, Any]], lines: dict[str, int]) -> None:
        """A new name one edit from another is a possible duplicate: reported, never merged."""
        store = self.store
        names: dict[str, str] = {}
        for key, row in new.items():
            name_key = key.rsplit("|", 1)[0]
            if name_key not in names and not store.namesakes(name_key):
                for other in sorted(store.near_misses(name_key)):
                    if store.corrections.are_distinct(name_key, other):
                        continue
                    other_name = names.get(other) or store.display_name(other)
                    self.issue(
                        lines[key],
                        "warning",
                        "possible_duplicate",
                        f"{row['name']} is one letter away from {other_name}; kept as different"
                        " athletes (add a correction if they are one person).",
                    )
            names.setdefault(name_key, row["name"])
            store.add_name(name_key)

    def _aliases(self, aliases: dict[str, tuple[str, int]], known: dict[str, _Known]) -> None:
        store = self.store
        stmt = store._insert(_table(m.AthleteAlias)).on_conflict_do_nothing(
            index_elements=["alias"]
        )
        store._execute(
            stmt, [{"alias": a, "athlete_id": known[k].id} for a, (k, _line) in aliases.items()]
        )
        for alias_id, alias, athlete_id in store._select_in(
            "id, alias, athlete_id", "athlete_aliases", "alias", aliases
        ):
            key, line = aliases[alias]
            if athlete_id != known[key].id:
                self.issue(
                    line,
                    "info",
                    "alias_shared",
                    f"the spelling {alias} already names another athlete; this athlete keeps"
                    " it only through the placement.",
                )
                continue
            self._attest("athlete_aliases", alias_id, line)

    # -- placements ---------------------------------------------------------------------------

    def _placements(self, race_ids: list[int], athlete_of: list[int]) -> list[int | None]:
        """Placement ids in document order (None for a repeated one); new rows inserted in bulk."""
        store, nations, sid = self.store, self.nations, self.sid
        known = store.known_athletes()
        nation_of_athlete = {k.id: k.nation_id for k in known.values()}
        rows: dict[tuple[int, int | None, str], tuple[Any, ...]] = {}
        keys: list[tuple[int, int | None, str] | None] = []
        member_nations: dict[int, int] = {}
        for race, rank, athlete, nation, members, time_ms, status, line in self.doc.placements:
            athlete_id = athlete_of[athlete] if athlete != NO_ONE else None
            nation_id = nations.get(nation) if nation else None
            if athlete_id is None and nation_id is None and members:
                nation_id = self._relay_nation(line, members, athlete_of, nation_of_athlete)
            if athlete_id is not None and nation_id is None:
                nation_id = nation_of_athlete.get(athlete_id)
            if nation_id is not None:
                for member, _line in members:
                    member_id = athlete_of[member]
                    if nation_of_athlete.get(member_id) is None:
                        member_nations[member_id] = nation_of_athlete[member_id] = nation_id
            competitor = f"a{athlete_id}" if athlete_id else f"n{nation_id}" if nation_id else "?"
            nk = (race_ids[race], rank, competitor)
            if nk in rows:
                self.issue(
                    line,
                    "warning",
                    "duplicate_placement",
                    f"the same competitor is given rank {rank} again (first on line"
                    f" {rows[nk][7]}); kept once.",
                )
                keys.append(None)
                continue
            keys.append(nk)
            rows[nk] = (nk[0], rank, athlete_id, nation_id, time_ms, status, sid, line, competitor)
        if member_nations:
            self.conn.execute(
                text("UPDATE athletes SET nation_id = :n WHERE id = :i AND nation_id IS NULL"),
                [{"n": n, "i": i} for i, n in member_nations.items()],
            )
            for k in known.values():
                if k.id in member_nations:
                    k.nation_id = member_nations[k.id]
        existing = self._existing_placements(sorted(self.earlier_events))
        self._report_conflicts(rows, existing)
        fresh = [nk for nk in rows if nk not in existing]
        ids = store._new_ids("placements", len(fresh))
        store._bulk(
            "placements",
            ("id", *PLACEMENT_COLUMNS),
            [(i, *rows[nk]) for i, nk in zip(ids, fresh, strict=True)],
        )
        id_of = {nk: found[0] for nk, found in existing.items()}
        id_of.update(zip(fresh, ids, strict=True))
        self.new_placements = set(ids)
        result: list[int | None] = []
        for key, placement in zip(keys, self.doc.placements, strict=True):
            if key is None:
                result.append(None)
                continue
            if key in existing:  # another source's row: this one attests it
                self._attest("placements", id_of[key], placement[7])
            result.append(id_of[key])
        return result

    def _code(self, nation_id: int, unknown: str = "?") -> str:
        """The IOC code of a nation id this document uses."""
        return next((code for code, i in self.nations.items() if i == nation_id), unknown)

    def _relay_nation(
        self,
        line: int,
        members: tuple[tuple[int, int], ...],
        athlete_of: list[int],
        nation_of_athlete: dict[int, int | None],
    ) -> int | None:
        """A relay team whose nation was lost is the nation its known members skate for."""
        votes = Counter(
            n
            for member, _line in members
            if (n := nation_of_athlete.get(athlete_of[member])) is not None
        )
        if not votes:
            return None
        (nation_id, count), *rest = votes.most_common()
        if rest and rest[0][1] == count:
            return None
        self.issue(
            line,
            "info",
            "relay_nation_inferred",
            f"the relay team's nation is missing; {self._code(nation_id)} inferred from"
            f" {count} of its {len(members)} members.",
        )
        return nation_id

    def _existing_placements(
        self, event_ids: list[int]
    ) -> dict[tuple[int, int | None, str], tuple[int, int | None]]:
        """Placements other sources gave in these events: natural key -> (id, time)."""
        return {
            (race_id, rank, key): (pid, time_ms)
            for pid, race_id, rank, key, time_ms in self.store._fetch_in(
                "SELECT p.id, p.race_id, p.rank, p.competitor_key, p.time_ms"
                " FROM placements p JOIN races r ON r.id = p.race_id WHERE r.event_id IN",
                event_ids,
            )
        }

    def _report_conflicts(
        self,
        rows: dict[tuple[int, int | None, str], tuple[Any, ...]],
        existing: dict[tuple[int, int | None, str], tuple[int, int | None]],
    ) -> None:
        """Another source already gave this placement: keep its value, record a disagreement."""
        if not existing:
            return
        ranks_taken = {(race, rank) for (race, rank, _key) in existing}
        for nk, row in rows.items():
            time_ms, line = row[4], row[7]
            if nk in existing:
                first_time = existing[nk][1]
                if time_ms is not None and first_time is not None and time_ms != first_time:
                    self.issue(
                        line,
                        "warning",
                        "source_conflict",
                        f"time {time_ms} ms differs from {first_time} ms that another source"
                        " gave for this placement; the first source's value is kept.",
                    )
            elif nk[:2] in ranks_taken:
                self.issue(
                    line,
                    "warning",
                    "rank_conflict",
                    f"another source gives a different competitor at rank {nk[1]} in this"
                    " race; both are kept.",
                )

    def _relay_members(self, placement_ids: list[int | None], athlete_of: list[int]) -> None:
        """Members of new placements are new rows; members of another source's may exist."""
        store = self.store
        rows: dict[tuple[int, int], int] = {}
        for pid, placement in zip(placement_ids, self.doc.placements, strict=True):
            if pid is None:
                continue
            for member, line in placement[4]:
                rows.setdefault((pid, athlete_of[member]), line)
        fresh = [pair for pair in rows if pair[0] in self.new_placements]
        ids = store._new_ids("relay_members", len(fresh))
        store._bulk(
            "relay_members",
            ("id", "placement_id", "athlete_id"),
            [(i, *pair) for i, pair in zip(ids, fresh, strict=True)],
        )
        member_ids = dict(zip(fresh, ids, strict=True))
        shared = [pair for pair in rows if pair[0] not in self.new_placements]
        if shared:
            columns = ("placement_id", "athlete_id")
            store._bulk("relay_members", columns, shared, columns)
            member_ids.update(
                ((pid, aid), mid)
                for mid, pid, aid in store._fetch_in(
                    "SELECT id, placement_id, athlete_id FROM relay_members WHERE placement_id IN",
                    sorted({pid for pid, _aid in shared}),
                )
            )
        for pair, line in rows.items():
            self._attest("relay_members", member_ids[pair], line)

    # -- standings, notes, issues ---------------------------------------------------------------

    def _standings(self, athlete_of: list[int]) -> None:
        seasons, nations, sid = self.seasons, self.nations, self.sid
        rows = [
            (
                seasons[year],
                series,
                gender,
                classification,
                rank,
                athlete_of[athlete] if athlete != NO_ONE else None,
                nations.get(nation) if nation else None,
                points,
                sid,
                line,
            )
            for year, _, series, gender, classification, rank, athlete, nation, points, line in (
                self.doc.standings
            )
        ]
        self.store._bulk("standings", STANDING_COLUMNS, rows)

    def _notes(self, race_ids: list[int]) -> None:
        rows = [(race_ids[n.race], n.text, n.language, self.sid, n.line) for n in self.doc.notes]
        columns = ("race_id", "text", "language", "source_id", "source_line")
        self.store._bulk("race_notes", columns, rows)

    def _write_attestations(self) -> None:
        self.store._bulk(
            "attestations",
            ("fact_table", "fact_id", "source_id", "line"),
            [(t, i, self.sid, line) for (t, i), line in self.attest.items()],
            conflict=("fact_table", "fact_id", "source_id"),
        )

    def _write_issues(self) -> None:
        rows = [(self.sid, i.line, i.severity, i.code, i.message) for i in self.issues]
        columns = ("source_id", "line", "severity", "code", "message")
        self.store._bulk("data_issues", columns, rows)
