"""Drop three foreign-key indexes that a unique constraint already covers.

`races.event_id`, `placements.race_id` and `relay_members.placement_id` each lead a
unique constraint, whose index serves every look-up by that column; the separate
indexes only cost time on every insert (about a tenth of a bulk load).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 06:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COVERED = (
    ("races", "event_id"),
    ("placements", "race_id"),
    ("relay_members", "placement_id"),
)


def upgrade() -> None:
    for table, column in COVERED:
        op.drop_index(f"ix_{table}_{column}", table_name=table)


def downgrade() -> None:
    for table, column in COVERED:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)
