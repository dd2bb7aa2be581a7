"""The views the migrations create, and the types of their computed columns.

A view column that passes a table's column through has that column's declared type, in
SQLite as in PostgreSQL; a count, a sum or a formatted time has none in SQLite, so the
types here are what an export's datapackage.json says of them. tests/test_export.py
checks them against the values a built database holds.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.types import TypeEngine

VIEW_NAMES = (
    "podiums",
    "medal_table",
    "athlete_careers",
    "medal_table_total",
    "round_progress",
    "head_to_head",
)

_MEDALS: dict[str, TypeEngine[Any]] = dict.fromkeys(
    ("gold", "silver", "bronze", "total"), Integer()
)
COMPUTED_COLUMNS: dict[str, dict[str, TypeEngine[Any]]] = {
    "podiums": {"time": String()},  # 1:29.109, from time_ms
    "medal_table": _MEDALS,
    "medal_table_total": _MEDALS,
    "athlete_careers": dict.fromkeys(
        ("first_season_start_year", "last_season_start_year", "podiums", "wins", "relay_podiums"),
        Integer(),
    ),
    "round_progress": {"stage": Integer()},  # 1 (heat) to 6 (final), for ordering rounds
    "head_to_head": dict.fromkeys(("races", "wins", "losses"), Integer()),
}
