"""The data-quality report: `data_issues` joined to their documents, filtered."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from skating_db.connections import display_name, opened
from skating_db.errors import UserError
from skating_db.migrate import current_revision
from skating_db.ownership import refuse_unless_ours

SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


@dataclass(frozen=True, slots=True)
class IssueReport:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    by_severity: dict[str, int]


def issue_report(
    url: str, *, source: str | None = None, severity: str | None = None
) -> IssueReport:
    levels = [
        s for s, n in SEVERITY_ORDER.items() if n >= SEVERITY_ORDER.get(severity or "info", 0)
    ]
    if source is not None:
        source = unicodedata.normalize("NFC", source)  # as document names are stored
    with opened(url, read_only=True) as conn:
        refuse_unless_ours(conn, display_name(url))
        if current_revision(conn) is None:
            raise UserError(
                f"{display_name(url)}: holds no skating-db data yet; run skating-db rebuild"
                " or load first."
            )
        if source is not None:
            found = conn.execute(
                text("SELECT 1 FROM sources WHERE name = :n"), {"n": source}
            ).first()
            if found is None:
                raise UserError(f"{display_name(url)}: no document named {source}.")
        where = " WHERE s.name = :source" if source is not None else ""
        rows = conn.execute(
            text(
                "SELECT s.name AS source, i.line, i.severity, i.code, i.message"
                f" FROM data_issues i LEFT JOIN sources s ON s.id = i.source_id{where}"
                " ORDER BY s.name, i.line, i.id"
            ),
            {"source": source},
        ).all()
    kept = [tuple(r) for r in rows if r.severity in levels]
    counts = Counter(r.severity for r in rows if r.severity in levels)
    return IssueReport(
        ["source", "line", "severity", "code", "message"],
        kept,
        {s: counts[s] for s in SEVERITY_ORDER if counts[s]},
    )
