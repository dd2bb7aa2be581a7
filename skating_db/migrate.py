"""Alembic from Python: the only way the schema is made, upgraded or downgraded.

Alembic is imported only when a migration runs: a load into a database at head (the
common case) reads its revision with one query and never pays Alembic's import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from skating_db import resources

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the packaged scripts, bound to `connection` when given."""
    from alembic.config import Config

    config = Config(str(resources.alembic_ini()))
    config.set_main_option("script_location", str(resources.migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision the database is stamped with; None when the migrations never ran."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    stamped = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(stamped) <= 1:
        return stamped[0] if stamped else None
    from alembic.runtime.migration import MigrationContext  # several: Alembic says why

    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(connection), revision)
