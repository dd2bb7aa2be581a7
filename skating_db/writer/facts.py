"""The facts one source owns outright: standings, race notes, data issues; and attestations."""

from __future__ import annotations

from typing import Any

from skating_db.batch import NO_ONE
from skating_db.writer.job import Job

STANDING_COLUMNS = (
    "id",
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


def _add(job: Job, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """New rows of `table`, numbered after the rows it holds (`columns` names the id first)."""
    ids = job.pending.ids(table, len(rows))
    job.pending.add(table, columns, [(i, *row) for i, row in zip(ids, rows, strict=True)])


def write_standings(job: Job, athlete_of: list[int]) -> None:
    rows = [
        (
            job.seasons[s.season_start],
            s.series,
            s.gender,
            s.classification,
            s.rank,
            athlete_of[s.athlete] if s.athlete != NO_ONE else None,
            job.nations.get(s.nation) if s.nation else None,
            s.points,
            job.sid,
            s.line,
        )
        for s in job.doc.standings
    ]
    _add(job, "standings", STANDING_COLUMNS, rows)


def write_notes(job: Job, race_ids: list[int]) -> None:
    rows = [(race_ids[n.race], n.text, n.language, job.sid, n.line) for n in job.doc.notes]
    columns = ("id", "race_id", "text", "language", "source_id", "source_line")
    _add(job, "race_notes", columns, rows)


def write_attestations(job: Job) -> None:
    """This source's word for shared facts. None of its attestations exists yet (a new
    source, or one whose attestations the retraction removed), so nothing can collide."""
    job.pending.add(
        "attestations",
        ("fact_table", "fact_id", "source_id", "line"),
        [(t, i, job.sid, line) for (t, i), line in job.attest.items()],
    )


def write_issues(job: Job) -> None:
    rows = [(job.sid, i.line, i.severity, i.code, i.message) for i in job.issues]
    columns = ("id", "source_id", "line", "severity", "code", "message")
    _add(job, "data_issues", columns, rows)
