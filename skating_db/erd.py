"""The Mermaid ER diagram of docs/data-model.md, generated from the models.

`python -m skating_db.erd` rewrites the diagram between the marker comments;
tests/test_er_diagram.py fails when the models changed and it was not rerun.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import Column, MetaData, Table, UniqueConstraint

from skating_db.models import Base

START = "<!-- er-diagram:start (python -m skating_db.erd) -->"
END = "<!-- er-diagram:end -->"
DOC = Path(__file__).resolve().parent.parent / "docs" / "data-model.md"


def _keys(table: Table, column: Column[object]) -> str:
    unique = column.unique or any(
        isinstance(c, UniqueConstraint) and list(c.columns) == [column] for c in table.constraints
    )
    keys = [k for k, on in (("PK", column.primary_key), ("FK", column.foreign_keys)) if on]
    keys += ["UK"] if unique and not column.primary_key else []
    return " " + ", ".join(keys) if keys else ""


def _entity(table: Table) -> list[str]:
    lines = [f"    {table.name} {{"]
    for column in table.columns:
        kind = type(column.type).__name__.lower()
        null = ' "null"' if column.nullable and not column.primary_key else ""
        lines.append(f"        {kind} {column.name}{_keys(table, column)}{null}")
    return [*lines, "    }"]


def _relations(table: Table) -> list[str]:
    lines = []
    for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
        parent = fk.column.table.name
        one = "|o" if fk.parent.nullable else "||"
        lines.append(f'    {parent} {one}--o{{ {table.name} : "{fk.parent.name}"')
    return lines


def mermaid(metadata: MetaData = Base.metadata) -> str:
    """An `erDiagram` of every table (columns, keys, nullability) and foreign key."""
    tables = sorted(metadata.tables.values(), key=lambda t: t.name)
    lines = ["```mermaid", "erDiagram"]
    for table in tables:
        lines += _entity(table)
    for table in tables:
        lines += _relations(table)
    return "\n".join([*lines, "```"]) + "\n"


def embedded(document: str) -> str:
    """The diagram between the markers of `document` (empty when the markers are missing)."""
    if START not in document or END not in document:
        return ""
    return document.split(START, 1)[1].split(END, 1)[0].lstrip("\n")


def write(doc: Path = DOC) -> bool:
    """Put the current diagram between the markers; True when the file changed."""
    document = doc.read_text(encoding="utf-8")
    if START not in document or END not in document:
        raise SystemExit(f"{doc}: the markers {START} … {END} are missing.")
    before, rest = document.split(START, 1)
    after = rest.split(END, 1)[1]
    updated = f"{before}{START}\n{mermaid()}{END}{after}"
    if updated != document:
        doc.write_text(updated, encoding="utf-8")
    return updated != document


if __name__ == "__main__":
    changed = write(Path(sys.argv[1]) if len(sys.argv) > 1 else DOC)
    print("docs/data-model.md: diagram " + ("updated" if changed else "already current"))
