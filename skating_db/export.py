"""Export skating-db's tables and views to CSV, JSON, NDJSON or a PostgreSQL dump.

Beside the files goes a Frictionless Data `datapackage.json` (one resource per file, with
its schema and licence). Output is deterministic (rows ordered by primary key, or by every
column for a view) and streamed: rows are fetched in batches, memory does not grow with
the database.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    select,
)
from sqlalchemy.types import NullType, TypeEngine

from skating_db import metadata as meta
from skating_db.connections import display_name, opened
from skating_db.declared import extras, refuse_redefined, shape
from skating_db.dump import write_dump
from skating_db.errors import UserError
from skating_db.export_files import folder_argument, staged
from skating_db.models import COMPUTED_COLUMNS, VIEW_NAMES
from skating_db.ownership import refuse_unless_ours, require_head

FORMATS = ("csv", "json", "ndjson", "sql")
BATCH = 1000
PACKAGE_FILE = "datapackage.json"
DUMP_FILE = "skating-db.sql"
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "ndjson": "application/x-ndjson",
    "sql": "application/sql",
}
Row = Sequence[Any]


@dataclass(frozen=True, slots=True)
class Resource:
    """One exported table or view: its selectable, kind, description and model (if any)."""

    name: str
    table: Table
    kind: str
    description: str


def resources(conn: Connection) -> list[Resource]:
    """The models' tables (in foreign-key order) and the declared views, as present."""
    found = meta.catalog(conn)
    views = MetaData()
    out = [Resource(t.name, t, "table", meta.table_description(t.name, t)) for t in found.tables]
    for name in (v for v in found.views if v in VIEW_NAMES):
        view = _typed(Table(name, views, autoload_with=conn))
        out.append(Resource(name, view, "view", meta.table_description(name)))
    return out


def _typed(view: Table) -> Table:
    """The view with a type for each computed column whose type the database does not
    say (SQLite declares none for a count or a sum), from the models."""
    for name, sql_type in COMPUTED_COLUMNS.get(view.name, {}).items():
        if name in view.c and isinstance(view.c[name].type, NullType):
            view.c[name].type = sql_type
    return view


def batches(conn: Connection, resource: Resource) -> Iterator[Sequence[Row]]:
    """The rows of a resource in a stable order, `BATCH` at a time."""
    table = resource.table
    order = list(table.primary_key.columns) or list(table.columns)
    streaming = conn.execution_options(stream_results=True, yield_per=BATCH)
    result = streaming.execute(select(*table.columns).order_by(*order))
    yield from result.partitions(BATCH)


def _text(value: Any) -> str:
    """A value as CSV text: booleans as true/false, dates in ISO 8601, NULL as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _json_line(columns: Sequence[str], row: Row) -> str:
    record = {c: _json_value(v) for c, v in zip(columns, row, strict=True)}
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def _write_csv(out: IO[str], columns: Sequence[str], rows: Iterator[Sequence[Row]]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for batch in rows:
        writer.writerows([[_text(v) for v in row] for row in batch])


def _write_ndjson(out: IO[str], columns: Sequence[str], rows: Iterator[Sequence[Row]]) -> None:
    for batch in rows:
        out.writelines(_json_line(columns, row) + "\n" for row in batch)


def _write_json(out: IO[str], columns: Sequence[str], rows: Iterator[Sequence[Row]]) -> None:
    """A JSON array of objects, one per line, written as rows come."""
    separator = "[\n"
    for batch in rows:
        for row in batch:
            out.write(separator + _json_line(columns, row))
            separator = ",\n"
    out.write("[]\n" if separator == "[\n" else "\n]\n")


WRITERS: dict[str, Callable[[IO[str], Sequence[str], Iterator[Sequence[Row]]], None]] = {
    "csv": _write_csv,
    "json": _write_json,
    "ndjson": _write_ndjson,
}


def field_type(sql_type: TypeEngine[Any]) -> str:
    """The Table Schema type of a column type (`any` when the database does not say)."""
    for kind, name in (
        (Boolean, "boolean"),
        (DateTime, "datetime"),
        (Date, "date"),
        (Integer, "integer"),
        (Float, "number"),
        (Numeric, "number"),
        (String, "string"),
        (Text, "string"),
    ):
        if isinstance(sql_type, kind):
            return name
    return "any"


def table_schema(resource: Resource) -> dict[str, Any]:
    """The Table Schema of a resource: fields, and for a table its primary and foreign keys."""
    fields = []
    for column in resource.table.columns:
        described = meta.column_description(column) if resource.kind == "table" else None
        entry = {"name": column.name, "type": field_type(column.type)}
        fields.append(entry | ({"description": described} if described else {}))
    schema: dict[str, Any] = {"fields": fields}
    if resource.kind != "table":
        return schema
    schema["primaryKey"] = [c.name for c in resource.table.primary_key.columns]
    foreign = sorted(resource.table.foreign_keys, key=lambda fk: fk.parent.name)
    schema["foreignKeys"] = [
        {
            "fields": [fk.parent.name],
            "reference": {"resource": fk.column.table.name, "fields": [fk.column.name]},
        }
        for fk in foreign
    ]
    return schema


def _resource_entry(resource: Resource, fmt: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": resource.name,
        "path": f"{resource.name}.{fmt}",
        "format": fmt,
        "mediatype": MEDIA_TYPES[fmt],
        "encoding": "utf-8",
        "description": resource.description,
        "profile": "tabular-data-resource" if fmt == "csv" else "data-resource",
        "schema": table_schema(resource),
    }
    if fmt == "csv":
        entry["dialect"] = {"delimiter": ",", "lineTerminator": "\n", "header": True}
    return entry


def package(entries: list[dict[str, Any]], fmt: str) -> dict[str, Any]:
    """The Data Package descriptor: title, licence, sources and one resource per file."""
    return {
        "profile": "tabular-data-package" if fmt == "csv" else "data-package",
        "name": "skating-db",
        "title": meta.TITLE,
        "description": meta.DESCRIPTION,
        "licenses": [
            {
                "name": meta.DATA_LICENSE_ID,
                "path": meta.DATA_LICENSE_URL,
                "title": "Creative Commons Attribution-ShareAlike 4.0",
            }
        ],
        "sources": [{"title": meta.SOURCE, "path": meta.SOURCE_URL}],
        "resources": entries,
    }


def _sql_entry(name: str, found: list[Resource]) -> dict[str, Any]:
    return {
        "name": "skating-db-dump",
        "path": name,
        "format": "sql",
        "mediatype": MEDIA_TYPES["sql"],
        "encoding": "utf-8",
        "description": "A PostgreSQL dump of the whole database: "
        + ", ".join(r.name for r in found)
        + ". Load it into an empty database with psql -f.",
    }


def export_database(
    url: str,
    folder: Path | str,
    fmt: str = "csv",
    *,
    force: bool = False,
    notes: list[str] | None = None,
) -> list[Path]:
    """Write skating-db's tables and views of `url` into `folder`, with a datapackage.json.

    Only what the data model declares is written (a file name never comes from the
    database); what else the database holds is named in `notes`. Files `folder` holds
    already are replaced only with `force`; a failed export leaves nothing behind.
    """
    if fmt not in FORMATS:
        raise UserError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
    folder = folder_argument(folder)
    with opened(url, read_only=True) as conn:
        refuse_unless_ours(conn, display_name(url))
        require_head(conn, display_name(url), "exporting")
        refuse_redefined(conn, url, display_name(url), "exporting")
        found = resources(conn)
        _note_the_rest(conn, notes if notes is not None else [])
        names = _file_names(found, fmt)
        with staged(folder, names, force=force) as stage:
            _export(conn, stage, fmt, found)
    return [folder / name for name in names]


def _note_the_rest(conn: Connection, notes: list[str]) -> None:
    """Name, in one note, the tables, views and columns that are not exported."""
    rest = [what for what in extras(shape(conn)) if not what.startswith("trigger ")]
    if rest:
        notes.append(f"not exported, not part of the skating-db data model: {', '.join(rest)}.")


def _file_names(found: list[Resource], fmt: str) -> list[str]:
    """The files an export writes, the data package last."""
    if fmt == "sql":
        return [DUMP_FILE, PACKAGE_FILE]
    return [*(f"{r.name}.{fmt}" for r in found), PACKAGE_FILE]


def _export(conn: Connection, folder: Path, fmt: str, found: list[Resource]) -> None:
    if fmt == "sql":
        target = folder / DUMP_FILE
        with target.open("w", encoding="utf-8", newline="\n") as out:
            write_dump(conn, [r.table for r in found if r.kind == "table"], out, batches_of)
        entries = [_sql_entry(target.name, found)]
    else:
        entries = []
        for resource in found:
            target = folder / f"{resource.name}.{fmt}"
            with target.open("w", encoding="utf-8", newline="\n") as out:
                columns = [c.name for c in resource.table.columns]
                WRITERS[fmt](out, columns, batches(conn, resource))
            entries.append(_resource_entry(resource, fmt))
    descriptor = folder / PACKAGE_FILE
    descriptor.write_text(meta.render(package(entries, fmt)), encoding="utf-8")


def batches_of(conn: Connection, table: Table) -> Iterator[Sequence[Row]]:
    """The rows of a model table in primary-key order, in batches (for the dump)."""
    return batches(conn, Resource(table.name, table, "table", ""))
