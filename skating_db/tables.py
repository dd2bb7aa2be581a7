"""The schema's table order and text column lengths, as plain data for the writer.

The writer needs only these two facts of the ORM models (`skating_db.models`), whose
import (SQLAlchemy's ORM and both dialects) costs more than a one-document load's
database work. tests/test_tables.py holds them equal to the models; a change to the
models makes it fail and print the text to paste here.
"""

from __future__ import annotations

# Parents first: the models' `metadata.sorted_tables`.
TABLE_ORDER = (
    "nations",
    "seasons",
    "sources",
    "athletes",
    "attestations",
    "data_issues",
    "venues",
    "athlete_aliases",
    "events",
    "standings",
    "races",
    "placements",
    "race_notes",
    "relay_members",
)

# The length of each text column that has one (`String(n)`), by table.
LENGTHS: dict[str, dict[str, int]] = {
    "nations": {"code": 3, "name": 100},
    "seasons": {"name": 20},
    "sources": {
        "name": 255,
        "sha256": 64,
        "title": 500,
        "format": 40,
        "url": 2000,
        "license": 200,
    },
    "athletes": {"name": 200, "gender": 5, "disambiguation": 40, "natural_key": 300},
    "attestations": {"fact_table": 30},
    "data_issues": {"severity": 7, "code": 60},
    "venues": {"city": 100, "arena": 200, "natural_key": 400},
    "athlete_aliases": {"alias": 200},
    "events": {"series": 40, "name": 200, "natural_key": 200},
    "standings": {"series": 40, "gender": 5, "classification": 20},
    "races": {"gender": 5, "round": 20},
    "placements": {"status": 10, "competitor_key": 30, "marks": 100},
    "race_notes": {"language": 8},
    "relay_members": {},
}
