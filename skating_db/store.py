"""The one place that writes: parsed documents in, set-based inserts out.

`Store.write` runs inside the caller's transaction and `Store.finish` ends its work
there. The small tables live in memory for the transaction (`writer.ledger`), so a
document finds its ids without a query; its new rows wait in `writer.pending`, with
ids the writer draws, and go out many documents at a time: one executemany or `COPY`
per table. The cost of a document is proportional to the document, not to the
database. The steps live in `skating_db.writer`, one module per kind of fact.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from skating_db.batch import Batch
from skating_db.corrections import Corrections
from skating_db.errors import UserError
from skating_db.pipeline import is_skipped
from skating_db.writer.athletes import Athletes, resolve_persons
from skating_db.writer.dialect import WRITER_LOCK, Sql
from skating_db.writer.facts import write_attestations, write_issues, write_notes, write_standings
from skating_db.writer.job import Job
from skating_db.writer.ledger import Ledger, SourceRow
from skating_db.writer.pending import FLUSH_ROWS, Pending
from skating_db.writer.placements import write_placements, write_relay_members
from skating_db.writer.places import nation_codes, nation_ids, season_ids, write_events, write_races
from skating_db.writer.retraction import collect_garbage, retract

Status = Literal["loaded", "replaced", "unchanged"]
__all__ = ["WRITER_LOCK", "LoadResult", "Status", "Store"]


@dataclass(slots=True)
class LoadResult:
    source: str
    status: Status
    counts: Counter[str] = field(default_factory=Counter)


SOURCE_COLUMNS = ("id", "name", "sha256", "title", "format", "loaded_at", "url", "license")


class Store:
    """Writes documents through one connection; caches ids for the life of one transaction."""

    def __init__(
        self, sql: Sql, corrections: Corrections | None = None, *, reparse: bool = False
    ) -> None:
        self.corrections = corrections or Corrections()
        self.reparse = reparse  # a document held byte for byte is read again, not skipped
        self.sql = sql
        self.ledger = Ledger(self.sql)
        self.pending = Pending(self.sql)
        self.athletes = Athletes(self.sql)

    def held_sha(self, name: str) -> str | None:
        """The hash of the document `name` the database holds (None: it holds none)."""
        self.sql.lock_writers()
        found = self.ledger.sources().get(name)
        return None if found is None else found.sha256

    def write(self, doc: Batch) -> LoadResult:
        """Upsert one document's facts; a changed document replaces exactly its own facts."""
        self.sql.lock_writers()
        sources = self.ledger.sources()
        existing = sources.get(doc.name)
        if existing is not None and existing.sha256 == doc.sha256 and not self.reparse:
            return LoadResult(doc.name, "unchanged")
        if existing is None:
            (source_id,) = self.pending.ids("sources", 1)
            self.pending.add("sources", SOURCE_COLUMNS, [(source_id, *self._source(doc))])
            sources[doc.name] = SourceRow(source_id, doc.sha256)
            result = self._write(source_id, doc, "loaded")
        else:
            result = self._replace(existing.id, doc)
        if self.pending.count >= FLUSH_ROWS:
            self.pending.send(behind=True)
        return result

    def finish(self) -> None:
        """Send every row still waiting (call before the transaction commits)."""
        self.pending.finish()

    def settle(self) -> None:
        """Wait until nothing runs behind the writer (what failed there fails here): the
        connection is then the caller's alone, to commit or to roll back."""
        self.sql.wait()

    def _source(self, doc: Batch) -> tuple[object, ...]:
        """The `sources` row of `doc`, after its id."""
        loaded_at = self.sql.timestamp(datetime.now(UTC))
        return (doc.name, doc.sha256, doc.title, doc.format, loaded_at, doc.url, doc.license)

    def _replace(self, source_id: int, doc: Batch) -> LoadResult:
        """Retract what the document gave before, then write it again."""
        self.pending.send()  # the retraction's queries must see every row
        candidates = retract(self.sql, source_id)
        self._forget()
        mark = self.sql.mark
        listed = ", ".join(f"{c} = {mark}" for c in SOURCE_COLUMNS[1:])
        self.sql.rows(
            f"UPDATE sources SET {listed} WHERE id = {mark}", (*self._source(doc), source_id)
        )
        result = self._write(source_id, doc, "replaced")
        self._note_disputed(doc, candidates.disputed)
        self.pending.send()
        collect_garbage(self.sql, candidates)
        self._forget()
        return result

    def _note_disputed(
        self, doc: Batch, disputed: list[tuple[int, int | None, int | None]]
    ) -> None:
        """A placement now rests on a source that gave it other values: it keeps the
        replaced document's until that source is read again; say so on that source's line."""
        rows = [
            (
                source_id,
                line,
                "warning",
                "values_of_replaced_source",
                f"this placement keeps the time {time_ms} ms that {doc.name} gave, which no"
                " longer gives it; load this document again with --reparse to take its own.",
            )
            for source_id, line, time_ms in disputed
        ]
        ids = self.pending.ids("data_issues", len(rows))
        columns = ("id", "source_id", "line", "severity", "code", "message")
        self.pending.add("data_issues", columns, [(i, *r) for i, r in zip(ids, rows, strict=True)])

    def _forget(self) -> None:
        """Rows were deleted: what was read of the database is read again."""
        self.athletes.forget()
        self.ledger.forget()
        self.pending.forget_ids()

    def _write(self, source_id: int, doc: Batch, status: Status) -> LoadResult:
        """Every step of one document, in the order their ids are needed."""
        job = Job(
            self.sql, self.ledger, self.pending, self.corrections, source_id, doc, list(doc.issues)
        )
        job.nations = nation_ids(self.ledger, self.pending, nation_codes(job))
        job.seasons = season_ids(
            self.ledger,
            self.pending,
            [(e.season.start_year, e.season.name) for e in doc.events]
            + [(s.season_start, s.season_name) for s in doc.standings],
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


def write_batches(
    store: Store, batches: Iterable[Batch], progress: Callable[[Batch], None] | None = None
) -> list[LoadResult]:
    """Each batch written in turn, in the order they come; every row is in the database
    (not yet committed) when this returns. A document the load skipped as unchanged must
    still be what the database holds (another load may have changed it meanwhile)."""
    try:
        results = [_write_one(store, batch, progress) for batch in batches]
        store.finish()
    except BaseException:
        with contextlib.suppress(Exception):  # the first error is the one to tell
            store.settle()  # the caller rolls back on a connection nothing else uses
        raise
    return results


def _write_one(store: Store, batch: Batch, progress: Callable[[Batch], None] | None) -> LoadResult:
    """One document's batch, refused when it stood for a document another load changed."""
    if is_skipped(batch) and store.held_sha(batch.name) != batch.sha256:
        raise UserError(
            f"{batch.name}: another load changed this document in the database while this"
            " load started; nothing was written: run the load again."
        )
    result = store.write(batch)
    if progress is not None:
        progress(batch)
    return result
