"""The declarative base, its naming convention, and the columns many tables share.

Natural keys that contain a part which may be unknown (a venue's arena, an event's start
date, a relay's athlete) are enforced through a non-null key column that the writer
computes, because SQLite and PostgreSQL treat NULLs as distinct in a UNIQUE constraint.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, MetaData
from sqlalchemy.orm import DeclarativeBase, MappedColumn, mapped_column

from skating_db.domains import GENDERS

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def one_of(column: str, values: tuple[str, ...]) -> str:
    """A CHECK condition: `column` holds one of `values`."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def gender_check() -> CheckConstraint:
    """The table's `gender` is men, women or mixed."""
    return CheckConstraint(one_of("gender", GENDERS), name="gender")


def surrogate_key() -> MappedColumn[Any]:
    """The `id` primary key of every table but attestations."""
    return mapped_column(primary_key=True, comment="Surrogate key.")


def line_in_source() -> MappedColumn[Any]:
    """The line of the fact in the document its `source_id` names."""
    return mapped_column(Integer, comment="Its line in that document.")


def given_by_source() -> MappedColumn[Any]:
    """The document a fact comes from; the fact goes when the document is removed."""
    return mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), index=True, comment="Document giving it."
    )


SEARCH_TABLE = "athletes_fts"
"""Athlete search index (revision 0004): an FTS5 table on SQLite, a plain table on
PostgreSQL, kept in step by triggers. Not mapped: migrations make it, autogenerate skips it."""


def is_mapped_name(name: str | None, type_: str, _parents: object = None) -> bool:
    """Alembic `include_name`: leave out the search index and SQLite's FTS shadow tables."""
    if type_ != "table" or name is None:
        return True
    return name != SEARCH_TABLE and not name.startswith(SEARCH_TABLE + "_")
