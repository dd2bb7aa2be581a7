"""The one place that writes: parsed documents in, set-based upserts out.

`Store.write` runs inside the caller's transaction. Every table gets one bulk
statement per document (an `INSERT … ON CONFLICT` on its natural key, in the
dialect's native form) and ids come back with one scoped SELECT, so the cost
of a document is proportional to the document, not to the database. The steps
live in `skating_db.writer`, one module per kind of fact.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Connection, select

from skating_db import models as m
from skating_db.batch import Batch
from skating_db.corrections import Corrections
from skating_db.writer.athletes import Athletes, resolve_persons
from skating_db.writer.dialect import WRITER_LOCK, Sql
from skating_db.writer.facts import write_attestations, write_issues, write_notes, write_standings
from skating_db.writer.job import Job
from skating_db.writer.placements import write_placements, write_relay_members
from skating_db.writer.places import Places, nation_codes, write_events, write_races
from skating_db.writer.retraction import collect_garbage, retract

Status = Literal["loaded", "replaced", "unchanged"]
__all__ = ["WRITER_LOCK", "LoadResult", "Status", "Store"]


@dataclass(slots=True)
class LoadResult:
    source: str
    status: Status
    counts: Counter[str] = field(default_factory=Counter)


class Store:
    """Writes documents through one connection; caches ids for the life of one transaction."""

    def __init__(self, conn: Connection, corrections: Corrections | None = None) -> None:
        self.conn = conn
        self.corrections = corrections or Corrections()
        self.sql = Sql(conn)
        self.places = Places(self.sql)
        self.athletes = Athletes(self.sql)

    def write(self, doc: Batch) -> LoadResult:
        """Upsert one document's facts; a changed document replaces exactly its own facts."""
        self.sql.lock_writers()
        existing = self.conn.execute(
            select(m.Source.id, m.Source.sha256).where(m.Source.name == doc.name)
        ).first()
        if existing is not None and existing.sha256 == doc.sha256:
            return LoadResult(doc.name, "unchanged")
        values: dict[str, Any] = {
            "name": doc.name,
            "sha256": doc.sha256,
            "title": doc.title,
            "format": doc.format,
            "loaded_at": datetime.now(UTC),
            "url": doc.url,
            "license": doc.license,
        }
        sources = m.Base.metadata.tables["sources"]
        if existing is None:
            source_id = self.conn.execute(
                sources.insert().values(**values).returning(sources.c.id)
            ).scalar_one()
            return self._write(source_id, doc, "loaded")
        candidates = retract(self.conn, existing.id)
        self._forget()
        self.conn.execute(sources.update().where(sources.c.id == existing.id).values(**values))
        result = self._write(existing.id, doc, "replaced")
        collect_garbage(self.conn, candidates)
        self._forget()
        return result

    def _forget(self) -> None:
        """Deleted rows may have been cached."""
        self.athletes.forget()
        self.places.forget()

    def _write(self, source_id: int, doc: Batch, status: Status) -> LoadResult:
        """Every step of one document, in the order their ids are needed."""
        job = Job(self.sql, self.corrections, source_id, doc, issues=list(doc.issues))
        job.nations = self.places.nation_ids(nation_codes(job))
        job.seasons = self.places.season_ids(
            [(e.season.start_year, e.season.name) for e in doc.events]
            + [(s.season_start, s.season_name) for s in doc.standings]
        )
        event_ids = write_events(job)
        race_ids = write_races(job, event_ids)
        athlete_of = resolve_persons(job, self.athletes)
        placement_ids = write_placements(job, self.athletes, race_ids, athlete_of)
        write_relay_members(job, placement_ids, athlete_of)
        write_standings(job, athlete_of)
        write_notes(job, race_ids)
        write_attestations(job)
        write_issues(job)
        result = LoadResult(doc.name, status)
        result.counts.update(
            events=len(doc.events),
            races=len(doc.races),
            placements=len(doc.placements),
            standings=len(doc.standings),
            notes=len(doc.notes),
            issues=len(job.issues),
        )
        return result
