"""A client program as another tool would write it: typed models, one session, both directions."""

from __future__ import annotations

import sys

from sqlalchemy import select

from skating_db import open_session
from skating_db.models import Athlete, Placement, Race


def wins(url: str, name: str) -> list[tuple[str, int, int | None]]:
    with open_session(url) as session:
        athlete = session.scalars(select(Athlete).where(Athlete.name == name)).one()
        rows: list[tuple[str, int, int | None]] = []  # rank is None for a PEN or a DNF
        for placement in athlete.placements:
            race: Race = placement.race
            rows.append((race.event.name, race.distance_m, placement.rank))
        first: Placement = athlete.placements[0]
        assert first.athlete is athlete
        return rows


if __name__ == "__main__":
    for event, distance, rank in wins(sys.argv[1], sys.argv[2]):
        print(event, distance, rank)
