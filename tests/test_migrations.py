"""Migrations are the only way the schema is made: one head, up, down, up, and no drift."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import UniqueConstraint, inspect, text

from skating_db.db import make_engine
from skating_db.migrate import alembic_config, current_revision, downgrade, head_revision, upgrade
from skating_db.models import VIEW_NAMES, Base, is_mapped_name

REPO = Path(__file__).resolve().parents[1]


def test_one_head() -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert heads == [head_revision()]


def test_revisions_read_from_the_scripts_text_are_alembics() -> None:
    """The fast path (no Alembic import) lists what Alembic's script directory lists."""
    from skating_db.unchanged import head_revision as head_from_text
    from skating_db.unchanged import shipped_revisions

    script = ScriptDirectory.from_config(alembic_config())
    assert shipped_revisions() == {r.revision for r in script.walk_revisions()}
    assert head_from_text() == head_revision()


def test_current_revision_reads_the_stamp(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            assert current_revision(conn) is None
            upgrade(conn)
            assert current_revision(conn) == head_revision()
    finally:
        engine.dispose()


def test_up_down_up(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect() as conn, conn.begin():
        upgrade(conn)
        assert current_revision(conn) == head_revision()
        names = set(inspect(conn).get_table_names())
        assert set(Base.metadata.tables) <= names
        assert set(VIEW_NAMES) <= set(inspect(conn).get_view_names())
        downgrade(conn, "base")
        assert current_revision(conn) is None
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        assert not set(inspect(conn).get_view_names())
        upgrade(conn)
        assert current_revision(conn) == head_revision()
    engine.dispose()


def test_models_match_migrations(db_url: str) -> None:
    """The equivalent of `alembic check`: autogenerate finds nothing to change."""
    engine = make_engine(db_url)
    with engine.connect() as conn, conn.begin():
        upgrade(conn)
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": is_mapped_name}
        )
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_every_foreign_key_is_indexed() -> None:
    """Each foreign key leads an index: its own, the primary key's or a unique constraint's."""
    for table in Base.metadata.tables.values():
        indexed = {next(iter(ix.columns)).name for ix in table.indexes}
        indexed |= {next(iter(table.primary_key.columns)).name}
        indexed |= {
            next(iter(c.columns)).name for c in table.constraints if isinstance(c, UniqueConstraint)
        }
        for fk in table.foreign_keys:
            assert fk.parent.name in indexed, f"{table.name}.{fk.parent.name} has no index"


def test_every_constraint_is_named() -> None:
    for table in Base.metadata.tables.values():
        for constraint in table.constraints:
            assert constraint.name, f"unnamed constraint on {table.name}"


def test_upgrade_from_0002_keeps_every_row(db_url: str, tmp_path: Path) -> None:
    """Revision 0003 rebuilds `placements` on SQLite; no placement or relay member is lost."""
    from skating_db import build

    build.rebuild(db_url, REPO / "seeds")
    engine = make_engine(db_url)
    counted = "SELECT (SELECT count(*) FROM placements), (SELECT count(*) FROM relay_members)"
    with engine.connect() as conn, conn.begin():
        before = conn.execute(text(counted)).one()
        downgrade(conn, "0002")
        upgrade(conn)
        assert conn.execute(text(counted)).one() == before
        assert before[1] > 0
    engine.dispose()
