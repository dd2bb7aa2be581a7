"""What the writing of one document carries from step to step."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from skating_db.batch import Batch
from skating_db.corrections import Corrections
from skating_db.loaders.records import Issue, Severity
from skating_db.writer.dialect import Sql
from skating_db.writer.ledger import Ledger
from skating_db.writer.pending import Pending


@dataclass(slots=True)
class Job:
    """One document being written: its source id, the ids found so far, its issues."""

    sql: Sql
    ledger: Ledger
    pending: Pending
    corrections: Corrections
    sid: int
    doc: Batch
    issues: list[Issue] = field(default_factory=list)
    attest: dict[tuple[str, int], int | None] = field(default_factory=dict)
    nations: dict[str, int] = field(default_factory=dict)  # IOC code -> id
    seasons: dict[int, int] = field(default_factory=dict)  # start year -> id
    earlier_events: set[int] = field(default_factory=set)  # events other documents gave
    earlier_races: set[int] = field(default_factory=set)  # races other documents gave
    new_placements: range = range(0)  # the ids of the placements this document adds
    counts: Counter[str] = field(default_factory=Counter)

    def issue(self, line: int | None, severity: Severity, code: str, message: str) -> None:
        self.issues.append(Issue(line, severity, code, message))

    def attest_fact(self, fact_table: str, fact_id: int, line: int | None) -> None:
        """This document gives that fact (the first line it gives it on)."""
        self.attest.setdefault((fact_table, fact_id), line)

    def code(self, nation_id: int, unknown: str = "?") -> str:
        """The IOC code of a nation id this document uses."""
        return next((code for code, i in self.nations.items() if i == nation_id), unknown)
