"""The views of revision 0004 on a tiny invented event with heats, a Final B and a final."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, inspect, text

from skating_db.db import make_engine
from skating_db.migrate import downgrade, upgrade

# Athletes 1-3 men (KOR, KOR, CAN), 4 a KOR woman. Races, ids deliberately not in round order:
# 10 men 1000 m final, 11 final_b, 12 semifinal 1, 13 heat 2, 14 heat 1, 15 women 500 m final,
# 16 men 5000 m relay final.
RACES = [
    (10, "men", 1000, False, "final", 1),
    (11, "men", 1000, False, "final_b", 1),
    (12, "men", 1000, False, "semifinal", 1),
    (13, "men", 1000, False, "heat", 2),
    (14, "men", 1000, False, "heat", 1),
    (15, "women", 500, False, "final", 1),
    (16, "men", 5000, True, "final", 1),
]
# (id, race, rank, athlete, nation, time_ms, status, marks)
PLACEMENTS = [
    (100, 10, 1, 1, 1, 89109, None, "OR"),
    (101, 10, 2, 3, 2, 89200, None, None),
    (102, 10, None, 2, 1, None, "PEN", None),
    (103, 11, 1, 2, 1, 91000, None, None),  # a Final B win is no gold
    (104, 12, 1, 3, 2, 88000, None, "Q"),
    (105, 12, 2, 1, 1, 88100, None, "Q"),
    (106, 12, 3, 2, 1, 88200, None, "ADV"),
    (107, 13, 1, 1, 1, 90000, None, "Q"),
    (108, 13, 1, 2, 1, 90000, None, "Q"),  # a tie
    (109, 14, 1, 3, 2, 41802, None, "Q"),  # a heat win is no gold
    (110, 15, 1, 4, 1, 43001, None, None),
    (111, 16, 1, None, 1, 400000, None, None),  # a relay team: no athlete
]


def _insert(conn: Connection, table: str, rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    names = ", ".join(columns)
    values = ", ".join(f":{c}" for c in columns)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({values})"), rows)


def seed(conn: Connection) -> None:
    """The invented event: three men and a woman, every round of one distance."""
    _insert(
        conn,
        "nations",
        [{"id": 1, "code": "KOR", "name": "K"}, {"id": 2, "code": "CAN", "name": "C"}],
    )
    _insert(conn, "seasons", [{"id": 1, "name": "2017–18", "start_year": 2017, "end_year": 2018}])
    _insert(
        conn,
        "sources",
        [
            {
                "id": 1,
                "name": "s.txt",
                "sha256": "0",
                "format": "t",
                "loaded_at": "2026-01-01 00:00:00+00",
            }
        ],
    )
    _insert(
        conn,
        "events",
        [{"id": 1, "season_id": 1, "series": "olympics", "name": "Games", "natural_key": "g"}],
    )
    people = [
        (1, "Alpha", "men", 1),
        (2, "Beta", "men", 1),
        (3, "Gamma", "men", 2),
        (4, "Delta", "women", 1),
    ]
    _insert(
        conn,
        "athletes",
        [
            {"id": i, "name": n, "gender": g, "nation_id": c, "natural_key": n}
            for i, n, g, c in people
        ],
    )
    keys = ("id", "gender", "distance_m", "is_relay", "round", "race_no")
    _insert(
        conn, "races", [{"event_id": 1, **dict(zip(keys, race, strict=True))} for race in RACES]
    )
    keys = ("id", "race_id", "rank", "athlete_id", "nation_id", "time_ms", "status", "marks")
    rows = [dict(zip(keys, p, strict=True)) for p in PLACEMENTS]
    for row in rows:
        row |= {
            "source_id": 1,
            "competitor_key": f"a{row['athlete_id']}"
            if row["athlete_id"]
            else f"n{row['nation_id']}",
        }
    _insert(conn, "placements", rows)


@pytest.fixture
def conn(db_url: str) -> Iterator[Connection]:
    engine = make_engine(db_url)
    with engine.connect() as connection, connection.begin():
        upgrade(connection)
        seed(connection)
        yield connection
    engine.dispose()


def _all(conn: Connection, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in conn.execute(text(sql), params)]


def test_podiums_show_final_races_only(conn: Connection) -> None:
    placements = _all(conn, "SELECT placement_id, round FROM podiums ORDER BY placement_id")
    assert [p for p, _ in placements] == [100, 101, 102, 110, 111]
    assert {r for _, r in placements} == {"final"}


def test_podiums_keep_their_columns_and_append_marks_and_time(conn: Connection) -> None:
    columns = [c["name"] for c in inspect(conn).get_columns("podiums")]
    assert columns[:15] == [
        "season", "start_year", "series", "event", "city", "race_date", "gender", "distance_m",
        "is_relay", "race_no", "rank", "athlete", "nation", "time_ms", "source",
    ]  # fmt: skip
    assert columns[-2:] == ["marks", "time"]
    row = conn.execute(text("SELECT marks, time FROM podiums WHERE placement_id = 100")).one()
    assert (row.marks, row.time) == ("OR", "1:29.109")


@pytest.mark.parametrize(
    ("time_ms", "written"),
    [
        (41802, "41.802"),
        (89109, "1:29.109"),
        (59999, "59.999"),
        (60000, "1:00.000"),
        (65, "0.065"),
        (400000, "6:40.000"),
        (3723456, "62:03.456"),
        (None, None),
    ],
)
def test_time_is_written_as_people_write_it(
    conn: Connection, time_ms: int | None, written: str | None
) -> None:
    conn.execute(text("UPDATE placements SET time_ms = :t WHERE id = 100"), {"t": time_ms})
    assert (
        conn.execute(text("SELECT time FROM podiums WHERE placement_id = 100")).scalar() == written
    )


def test_medal_tables_count_final_podiums_with_a_rank(conn: Connection) -> None:
    by_gender = _all(
        conn,
        "SELECT gender, nation, gold, silver, bronze, total FROM medal_table"
        " ORDER BY gender, nation",
    )
    # Heat and Final B wins, and the unranked PEN in the final, count nowhere.
    assert by_gender == [
        ("men", "CAN", 0, 1, 0, 1),
        ("men", "KOR", 2, 0, 0, 2),
        ("women", "KOR", 1, 0, 0, 1),
    ]
    total = _all(
        conn,
        "SELECT season, series, nation, gold, silver, bronze, total FROM medal_table_total"
        " ORDER BY nation",
    )
    assert total == [
        ("2017–18", "olympics", "CAN", 0, 1, 0, 1),
        ("2017–18", "olympics", "KOR", 3, 0, 0, 3),
    ]


def test_athlete_careers_count_final_podiums_only(conn: Connection) -> None:
    gamma = conn.execute(
        text("SELECT podiums, wins FROM athlete_careers WHERE athlete = 'Gamma'")
    ).one()
    assert (gamma.podiums, gamma.wins) == (1, 0)  # the heat and semifinal wins do not count


def test_round_progress_follows_the_rounds_in_order(conn: Connection) -> None:
    path = _all(
        conn, "SELECT round, race_no, rank, status, marks FROM round_progress WHERE athlete_id = 2"
    )
    assert path == [
        ("heat", 2, 1, None, "Q"),
        ("semifinal", 1, 3, None, "ADV"),
        ("final_b", 1, 1, None, None),
        ("final", 1, None, "PEN", None),
    ]
    stages = _all(conn, "SELECT stage FROM round_progress WHERE athlete_id = 3")
    assert stages == [(1,), (4,), (6,)]


def test_head_to_head_counts_ranked_races_of_each_pair(conn: Connection) -> None:
    pairs = {
        (r[0], r[1]): r[2:]
        for r in _all(conn, "SELECT athlete_id, opponent_id, races, wins, losses FROM head_to_head")
    }
    # Alpha and Beta: heat 2 (a tie) and the semifinal; the final does not count (Beta PEN).
    assert pairs[(1, 2)] == (2, 1, 0)
    assert pairs[(2, 1)] == (2, 0, 1)
    # Alpha and Gamma: the semifinal and the final.
    assert pairs[(1, 3)] == (2, 1, 1)
    assert pairs[(3, 2)] == (1, 1, 0)
    assert set(pairs) == {
        (1, 2),
        (2, 1),
        (1, 3),
        (3, 1),
        (2, 3),
        (3, 2),
    }  # no relay, no woman alone


def test_head_to_head_of_one_pair_uses_the_pair_index(conn: Connection) -> None:
    sql = "SELECT * FROM head_to_head WHERE athlete_id = 1 AND opponent_id = 3"
    explain = "EXPLAIN QUERY PLAN " if conn.dialect.name == "sqlite" else "EXPLAIN "
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table would be scanned
    plan = " ".join(str(row[-1]) for row in conn.execute(text(explain + sql)))
    assert "ix_placements_athlete_id_race_id_rank" in plan


def test_0004_down_up_restores_views_and_search(conn: Connection) -> None:
    downgrade(conn, "0003")
    assert "round_progress" not in inspect(conn).get_view_names()
    assert "time" not in [c["name"] for c in inspect(conn).get_columns("podiums")]
    heats = "SELECT COUNT(*) FROM podiums WHERE round = 'heat'"
    assert conn.execute(text(heats)).scalar() == 3
    conn.execute(text("INSERT INTO athlete_aliases (athlete_id, alias) VALUES (3, 'Γάμμα')"))
    upgrade(conn)
    assert conn.execute(text(heats)).scalar() == 0
    assert {"head_to_head", "round_progress", "medal_table_total"} <= set(
        inspect(conn).get_view_names()
    )
    if conn.dialect.name == "sqlite":
        found = "SELECT rowid FROM athletes_fts WHERE athletes_fts MATCH 'γάμμα'"
    else:
        found = "SELECT athlete_id FROM athletes_fts WHERE folded LIKE '%γαμμα%'"
    assert _all(conn, found) == [(3,)]  # the index is filled from the rows already there
