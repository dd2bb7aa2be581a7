"""`check` names schema objects that are not part of the data model (a warning) and fails on a
declared view whose SQL is not the migrations' own (attack finding 24)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from skating_db import build
from tests.conftest import _reset_postgres
from tests.helpers import SEEDS
from tests.test_bad_input import invoke, output_of
from tests.test_safety import sql

EXTRAS = (
    "CREATE TRIGGER spy AFTER INSERT ON athletes BEGIN SELECT 1; END",
    "ALTER TABLE athletes ADD COLUMN extra TEXT",
    "CREATE VIEW mine AS SELECT 1 AS a",
    "CREATE TABLE notes (x TEXT)",
)


def _lines(*args: str | Path) -> tuple[int, list[str]]:
    result = invoke("check", *args)
    return result.exit_code, output_of(result).splitlines()


def test_a_database_as_built_has_no_warning(db: Path) -> None:
    code, lines = _lines("--db", db)
    assert code == 0 and not [line for line in lines if line.startswith(("WARN", "FAIL"))]


def test_objects_beyond_the_data_model_are_warned_about(db: Path) -> None:
    sql(db, *EXTRAS)
    code, lines = _lines("--db", db)
    assert code == 0, lines
    warned = [line for line in lines if line.startswith("WARN ")]
    for what in ("trigger spy (on athletes)", "column athletes.extra", "view mine", "table notes"):
        assert [w for w in warned if w.endswith(f"data model: {what}.")], (what, warned)
    assert len(warned) == 4
    assert lines[-1].startswith("OK")


def test_a_redefined_public_view_fails_the_check(db: Path) -> None:
    sql(db, "DROP VIEW head_to_head", "CREATE VIEW head_to_head AS SELECT 1 AS athlete_id")
    code, lines = _lines("--db", db)
    assert code != 0
    assert [line for line in lines if line.startswith("FAIL the view head_to_head")], lines


def test_postgresql_drift_is_found_and_the_database_left_as_it_was(postgres_server: str) -> None:
    _reset_postgres(postgres_server)
    build.rebuild(postgres_server, SEEDS)
    engine = create_engine(postgres_server)
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE FUNCTION spy() RETURNS trigger LANGUAGE plpgsql AS"
                " $$ BEGIN RETURN NULL; END $$"
            )
        )
        for statement in EXTRAS[1:]:
            conn.execute(text(statement))
        conn.execute(
            text("CREATE TRIGGER spy AFTER INSERT ON athletes FOR EACH ROW EXECUTE FUNCTION spy()")
        )
        conn.execute(text("DROP VIEW head_to_head"))
        conn.execute(text("CREATE VIEW head_to_head AS SELECT 1 AS athlete_id"))
    schemas = "SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace"
    with engine.connect() as conn:
        before = conn.execute(text(schemas)).scalar()
    code, lines = _lines("--db", postgres_server)
    with engine.connect() as conn:
        assert conn.execute(text(schemas)).scalar() == before
    engine.dispose()
    assert code != 0
    warned = [line for line in lines if line.startswith("WARN ")]
    assert len(warned) == 4, lines
    assert any(w.endswith("trigger spy (on athletes).") for w in warned)
    assert [line for line in lines if line.startswith("FAIL the view head_to_head")], lines


def test_the_migrations_make_exactly_the_declared_views() -> None:
    from skating_db.declared import sqlite_reference
    from skating_db.models import VIEW_NAMES

    assert sorted(sqlite_reference().views) == sorted(VIEW_NAMES)
