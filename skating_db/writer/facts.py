"""The facts one source owns outright: standings, race notes, data issues; and attestations."""

from __future__ import annotations

from skating_db.batch import NO_ONE
from skating_db.writer.job import Job

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
    job.sql.bulk("standings", STANDING_COLUMNS, rows)


def write_notes(job: Job, race_ids: list[int]) -> None:
    rows = [(race_ids[n.race], n.text, n.language, job.sid, n.line) for n in job.doc.notes]
    columns = ("race_id", "text", "language", "source_id", "source_line")
    job.sql.bulk("race_notes", columns, rows)


def write_attestations(job: Job) -> None:
    """This source's word for shared facts. None of its attestations exists yet (a new
    source, or one whose attestations the retraction removed), so nothing can collide."""
    job.sql.bulk(
        "attestations",
        ("fact_table", "fact_id", "source_id", "line"),
        [(t, i, job.sid, line) for (t, i), line in job.attest.items()],
    )


def write_issues(job: Job) -> None:
    rows = [(job.sid, i.line, i.severity, i.code, i.message) for i in job.issues]
    columns = ("source_id", "line", "severity", "code", "message")
    job.sql.bulk("data_issues", columns, rows)
