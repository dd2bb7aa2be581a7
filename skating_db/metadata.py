"""Datasette metadata for a built database: titles, licences, descriptions, labels, queries.

Descriptions come from the models' `comment=` (or `info["description"]`), so the schema
has one source of truth; what the models do not describe gets a short fallback here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Table, inspect

from skating_db.connections import opened
from skating_db.db import sqlite_path
from skating_db.models import VIEW_NAMES, Base

FILE_SUFFIX = ".metadata.json"
TITLE = "skating-db: short-track speed skating results"
DESCRIPTION = (
    "Short-track speed skating results (events, races, placements, standings) built by"
    " skating-db from season documents. Seasons are written with an en dash: 2002–03."
)
SOURCE = "Wikipedia-derived season documents; the sources table names each one"
SOURCE_URL = "https://en.wikipedia.org/"
DATA_LICENSE = "CC BY-SA 4.0"
DATA_LICENSE_ID = "CC-BY-SA-4.0"
DATA_LICENSE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
CODE_LICENSE = "MIT"
HIDDEN_TABLES = ("alembic_version",)
FTS_TABLE = "athletes_fts"

# The column Datasette shows instead of a bare id where another table points at this one.
LABELS = {
    "nations": "name",
    "venues": "city",
    "seasons": "name",
    "events": "name",
    "races": "round",
    "athletes": "name",
    "athlete_aliases": "alias",
    "sources": "name",
}
# Default orders: (column, descending). Only indexed or small columns, so pages stay fast.
SORTS = {
    "seasons": ("start_year", True),
    "events": ("start_date", True),
    "athletes": ("name", False),
    "nations": ("code", False),
    "sources": ("name", False),
    "data_issues": ("id", True),
}
FALLBACK_DESCRIPTIONS = {
    "nations": "Nations by their three-letter code.",
    "venues": "Cities and arenas where events took place.",
    "seasons": "Skating seasons, written with an en dash (2002–03).",
    "events": "Competitions: a World Cup stop, a championship, the Olympics.",
    "races": "One race of an event: gender, distance, round and race number.",
    "athletes": "Skaters, one row per person.",
    "athlete_aliases": "Other spellings under which documents name an athlete.",
    "sources": "The documents the database was built from, with their URL and licence.",
    "placements": "One competitor's result in one race.",
    "relay_members": "The athletes of a relay team's placement.",
    "standings": "Season classifications (overall World Cup rankings and the like).",
    "race_notes": "Notes printed beside a race (penalties, records, remarks).",
    "data_issues": "What the loaders repaired, guessed or skipped, with the line.",
    "attestations": "Which source gives which shared fact.",
    "podiums": "Placements with their season, event, race, athlete and nation by name.",
    "medal_table": "Medals per season, series, gender and nation.",
    "medal_table_total": "Medals per season, series and nation, genders summed.",
    "athlete_careers": "Each athlete's first and last podium season, podiums and wins.",
    "round_progress": "Each athlete's path through the rounds of one distance.",
    "head_to_head": "Races where two athletes met, and who finished ahead.",
}


@dataclass(frozen=True, slots=True)
class Catalog:
    """What a database holds: its model tables, its views (in order) and its other tables."""

    tables: list[Table]
    views: list[str]
    others: list[str]


def catalog(conn: Connection) -> Catalog:
    """The model tables and views present in the database, tables in foreign-key order."""
    inspector = inspect(conn)
    present = set(inspector.get_table_names())
    tables = [t for t in Base.metadata.sorted_tables if t.name in present]
    found = set(inspector.get_view_names())
    views = [v for v in VIEW_NAMES if v in found] + sorted(found - set(VIEW_NAMES))
    others = sorted(present - {t.name for t in tables})
    return Catalog(tables, views, others)


def table_description(name: str, table: Table | None = None) -> str:
    """A table's or view's description: the model's comment, else a short fallback."""
    if table is not None and table.comment:
        return table.comment
    return FALLBACK_DESCRIPTIONS.get(name, f"The {name.replace('_', ' ')} of the database.")


def column_description(column: Column[Any]) -> str | None:
    """A column's description from the model: `comment=`, else `info["description"]`."""
    if column.comment:
        return column.comment
    described = column.info.get("description")
    return str(described) if described else None


def _table_entry(table: Table) -> dict[str, Any]:
    entry: dict[str, Any] = {"description": table_description(table.name, table)}
    columns = {c.name: d for c in table.columns if (d := column_description(c))}
    if columns:
        entry["columns"] = columns
    if table.name in LABELS:
        entry["label_column"] = LABELS[table.name]
    if table.name in SORTS:
        column, descending = SORTS[table.name]
        entry["sort_desc" if descending else "sort"] = column
    return entry


def _view_entry(name: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"description": table_description(name)}
    if name in ("medal_table", "medal_table_total"):
        entry["sort_desc"] = "start_year"
    return entry


def _tables(conn: Connection, found: Catalog) -> dict[str, Any]:
    tables: dict[str, Any] = {t.name: _table_entry(t) for t in found.tables}
    tables.update({v: _view_entry(v) for v in found.views})
    for name in found.others:
        if name in HIDDEN_TABLES or name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_"):
            tables[name] = {"hidden": True}
    if FTS_TABLE in found.others and "athletes" in tables:
        tables["athletes"].update({"fts_table": FTS_TABLE, "fts_pk": "id"})
        tables["athletes"]["searchmode"] = "escaped"
    return tables


def _columns(conn: Connection, view: str) -> list[str]:
    return [str(c["name"]) for c in inspect(conn).get_columns(view)]


# A season parameter typed with a hyphen (2002-03) matches the en dash the data uses.
_SEASON = "replace(:season, '-', '–')"


def _medal_query(views: Iterable[str]) -> str:
    if "medal_table_total" in views:
        return (
            "SELECT nation, series, gold, silver, bronze, total FROM medal_table_total"
            f" WHERE season = {_SEASON} ORDER BY gold DESC, silver DESC, bronze DESC, nation"
        )
    return (
        "SELECT nation, series, SUM(gold) AS gold, SUM(silver) AS silver,"
        " SUM(bronze) AS bronze, SUM(total) AS total FROM medal_table"
        f" WHERE season = {_SEASON}"
        " GROUP BY nation, series ORDER BY gold DESC, silver DESC, bronze DESC, nation"
    )


def _head_to_head(conn: Connection) -> dict[str, Any] | None:
    """A canned query over the head_to_head view, if it names its two athletes' columns."""
    names = ("athlete", "athlete_a", "athlete_1", "opponent", "rival", "athlete_b", "athlete_2")
    pair = [c for c in _columns(conn, "head_to_head") if c in names]
    if len(pair) != 2:
        return None
    return {
        "title": "Head to head of two athletes",
        "description": "Every race in which the two athletes met (names as in athletes.name).",
        "sql": f"SELECT * FROM head_to_head WHERE {pair[0]} = :athlete AND {pair[1]} = :opponent",
    }


def _queries(conn: Connection, views: list[str]) -> dict[str, Any]:
    queries: dict[str, Any] = {
        "medal_table_of_season": {
            "title": "Medal table of a season",
            "description": "Finals only. Seasons: 2002–03 (2002-03 works too).",
            "sql": _medal_query(views),
        },
        "athlete_podiums": {
            "title": "Podiums of an athlete",
            "description": "Every top-three finish of the athlete named exactly like this.",
            "sql": "SELECT season, event, city, gender, distance_m, is_relay, rank, time_ms"
            " FROM podiums WHERE athlete = :athlete AND rank <= 3 AND round = 'final'"
            " ORDER BY start_year, race_date, event, distance_m",
        },
        "event_podiums": {
            "title": "Podiums of an event",
            "description": "The top three of each final of one event, by its name.",
            "sql": "SELECT gender, distance_m, is_relay, rank, athlete, nation, time_ms"
            " FROM podiums WHERE event = :event AND rank <= 3 AND round = 'final'"
            " ORDER BY gender, distance_m, is_relay, rank",
        },
    }
    if "head_to_head" in views and (head := _head_to_head(conn)) is not None:
        queries["two_athletes"] = head  # not `head_to_head`: it would hide the view
    return queries


def build_metadata(conn: Connection, database: str) -> dict[str, Any]:
    """The Datasette metadata document for the database `conn` is open on, named `database`."""
    found = catalog(conn)
    return {
        "title": TITLE,
        "description": DESCRIPTION,
        "source": SOURCE,
        "source_url": SOURCE_URL,
        "license": f"Data: {DATA_LICENSE}; code: {CODE_LICENSE}",
        "license_url": DATA_LICENSE_URL,
        "databases": {
            database: {
                "tables": _tables(conn, found),
                "queries": _queries(conn, found.views),
            }
        },
    }


def render(document: dict[str, Any]) -> str:
    """The document as stable JSON text: sorted keys, two-space indent, final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def database_name(url: str) -> str:
    """The name Datasette gives the database: the file's stem (`skating` for skating.db)."""
    path = sqlite_path(url)
    if path is not None:
        return path.stem
    from sqlalchemy.engine import make_url

    return make_url(url).database or "skating"


def metadata_text(url: str) -> str:
    """The metadata of the skating-db database at `url`, as the text of its metadata file
    (another application's database is refused, as `issues` refuses it)."""
    from skating_db.connections import display_name
    from skating_db.ownership import refuse_unless_ours

    with opened(url, read_only=True) as conn:
        refuse_unless_ours(conn, display_name(url))
        return render(build_metadata(conn, database_name(url)))


def metadata_path(database: Path) -> Path:
    """Where a SQLite database's metadata goes: beside it, named after it (skating.db:
    skating.metadata.json), so that databases built in one folder each keep their own."""
    return database.with_name(database.stem + FILE_SUFFIX)


def write_beside(url: str) -> Path | None:
    """Write the metadata beside a SQLite database file (nothing for other backends)."""
    path = sqlite_path(url)
    if path is None:
        return None
    target = metadata_path(path)
    target.write_text(metadata_text(url), encoding="utf-8")
    return target
