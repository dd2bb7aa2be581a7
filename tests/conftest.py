"""Fixtures: a fresh database URL per test on every backend that is available.

SQLite always runs. PostgreSQL runs when SKATING_DB_TEST_POSTGRES_URL names a
server (a maintenance database such as `postgres`); the suite then creates one
scratch database for the session and drops it at the end.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
PG_ENV = "SKATING_DB_TEST_POSTGRES_URL"
PG_SKIP = (
    f"PostgreSQL cases need a server: set {PG_ENV}=postgresql+psycopg://postgres@127.0.0.1/postgres"
)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A scratch database on the PostgreSQL server, created once and dropped at the end."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(PG_SKIP)
    name = f"skating_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend: a new SQLite file, or a wiped PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    url: str = request.getfixturevalue("postgres_server")
    _reset_postgres(url)
    return url


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built once from the seeds, for tests that copy it and then break it."""
    from skating_db import build

    db = tmp_path_factory.mktemp("template") / "skating.db"
    build.rebuild(f"sqlite:///{db}", SEEDS)
    return db


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    """A private copy of the seeded database, alone in its own folder."""
    target = tmp_path / "db" / "skating.db"
    target.parent.mkdir()
    shutil.copy(template, target)
    return target
