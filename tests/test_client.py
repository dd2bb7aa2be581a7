"""Other programs import the models: typed, navigable both ways, checked by mypy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
from mypy import api as mypy_api
from sqlalchemy import select

from skating_db import build, make_engine, open_session, resolve_url
from skating_db.models import Athlete, Placement
from tests.helpers import REPO, SEEDS, copy_documented_seeds, expected_totals

CLIENT = REPO / "tests" / "data" / "clients" / "podium_client.py"


def test_orm_relationships_navigate_both_ways(tmp_path: Path) -> None:
    url = resolve_url(str(tmp_path / "c.db"))
    build.rebuild(url, SEEDS)
    with open_session(url) as session:
        bradbury = session.scalars(select(Athlete).where(Athlete.name == "Steven Bradbury")).one()
        (gold,) = bradbury.placements
        assert gold.race.event.venue is not None
        assert gold.race.event.venue.city == "Salt Lake City"
        assert gold.race.event.season.name == "2001–02"
        assert gold in gold.race.placements
        assert bradbury.nation is not None and bradbury.nation.code == "AUS"
        relay = session.scalars(
            select(Placement).where(Placement.athlete_id.is_(None), Placement.rank == 1).limit(1)
        ).one()
        assert relay.nation is not None


def test_pandas_reads_the_podiums_view(tmp_path: Path) -> None:
    url = resolve_url(str(tmp_path / "p.db"))
    build.rebuild(url, copy_documented_seeds(tmp_path / "documented"))
    frame = pd.read_sql("select * from podiums", make_engine(url))
    assert len(frame) == expected_totals()["placements"]
    assert {"season", "athlete", "nation", "time_ms", "source"} <= set(frame.columns)


def test_client_script_type_checks_with_mypy() -> None:
    out, err, status = mypy_api.run(["--strict", "--no-incremental", str(CLIENT)])
    assert status == 0, out + err


def test_client_script_runs(tmp_path: Path) -> None:
    url = resolve_url(str(tmp_path / "s.db"))
    build.rebuild(url, SEEDS)
    done = subprocess.run(
        [sys.executable, str(CLIENT), url, "Steven Bradbury"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "2002 Winter Olympics 1000 1"
