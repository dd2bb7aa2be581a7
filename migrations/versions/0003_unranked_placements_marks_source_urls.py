"""Rounds need placements without a rank and the marks a source prints; sources name a URL.

`placements.rank` becomes nullable (a penalty or a fall ranks no one), with a partial
unique index so that an unranked competitor is still one row per race; `placements.marks`
keeps `Q`, `ADV`, `OR` … as printed; `sources.url` and `sources.license` say where a
document comes from and under which licence. The views are dropped and made again around
the change because SQLite rebuilds the table to change a column.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 17:25:00
"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNRANKED = "uq_placements_race_id_competitor_key_unranked"


def _initial() -> ModuleType:
    """Revision 0001, whose view definitions this revision keeps as they are."""
    path = Path(__file__).with_name("0001_initial_schema.py")
    spec = importlib.util.spec_from_file_location("skating_db_revision_0001", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _views(create: bool) -> None:
    for name, sql in _initial().VIEWS.items():
        op.execute(sql if create else f"DROP VIEW IF EXISTS {name}")


@contextlib.contextmanager
def _rebuilding_placements() -> Iterator[None]:
    """Keep relay members while SQLite rebuilds `placements`.

    SQLite changes a column by copying the table and dropping the old one, and with
    foreign keys on (they cannot be turned off inside the caller's transaction) that
    drop cascades to `relay_members`. PostgreSQL alters in place.
    """
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("CREATE TEMP TABLE kept_relay_members AS SELECT * FROM relay_members")
    yield
    if sqlite:
        op.execute(
            "INSERT INTO relay_members SELECT * FROM kept_relay_members"
            " WHERE id NOT IN (SELECT id FROM relay_members)"
        )
        op.execute("DROP TABLE kept_relay_members")


def upgrade() -> None:
    _views(create=False)
    with _rebuilding_placements(), op.batch_alter_table("placements") as batch_op:
        batch_op.alter_column("rank", existing_type=sa.Integer(), nullable=True)
    op.add_column("placements", sa.Column("marks", sa.String(length=100), nullable=True))
    op.create_index(
        UNRANKED,
        "placements",
        ["race_id", "competitor_key"],
        unique=True,
        sqlite_where=sa.text("rank IS NULL"),
        postgresql_where=sa.text("rank IS NULL"),
    )
    op.add_column("sources", sa.Column("url", sa.String(length=2000), nullable=True))
    op.add_column("sources", sa.Column("license", sa.String(length=200), nullable=True))
    _views(create=True)


def downgrade() -> None:
    _views(create=False)
    op.execute("DELETE FROM placements WHERE rank IS NULL")
    op.drop_index(UNRANKED, table_name="placements")
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch rebuild of `sources` would
    # have to drop a table that five others reference.
    for table, column in (("sources", "license"), ("sources", "url"), ("placements", "marks")):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    with _rebuilding_placements(), op.batch_alter_table("placements") as batch_op:
        batch_op.alter_column("rank", existing_type=sa.Integer(), nullable=False)
    _views(create=True)
