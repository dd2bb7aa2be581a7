"""The writer on every backend: seed counts, identity, idempotence, replacing a changed document."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from skating_db import build, identity
from skating_db.admin import check_database
from skating_db.batch import make_batch
from skating_db.connections import connect
from skating_db.corrections import Corrections, load_corrections
from skating_db.db import make_engine
from skating_db.errors import UserError
from skating_db.loaders.competitors import near_miss
from skating_db.loaders.records import (
    Event,
    ParsedDocument,
    Person,
    Placement,
    Race,
    Season,
    Standing,
    Venue,
)
from skating_db.migrate import upgrade
from tests.helpers import (
    EXPECTED,
    REPO,
    SEEDS,
    copy_documented_seeds,
    copy_seeds,
    counts,
    documented_seeds,
    expected_totals,
    rows,
    scalar,
)

SEED_000 = "000_13be0ce3a66683ec.txt"
SEED_001 = "001_31e08c3cd8efef29.txt"
SEED_002 = "002_3564ec39acb5fb71.txt"


@pytest.fixture
def built(db_url: str, tmp_path: Path) -> str:
    build.rebuild(db_url, copy_documented_seeds(tmp_path / "documented"))
    return db_url


def _load(url: str, *paths: Path, dry_run: bool = False) -> build.Outcome:
    return build.load(
        url, list(paths), load_corrections(SEEDS / "corrections.toml"), dry_run=dry_run
    )


def test_seed_counts(built: str) -> None:
    c, t = counts(built), expected_totals()
    assert (c["races"], c["placements"], c["standings"], c["events"]) == (
        t["races"],
        t["placements"],
        t["standings"],
        t["events"],
    )
    assert c["seasons"] == 3
    assert c["sources"] == 4
    world_cup = t["events:world_cup"]
    assert scalar(built, "SELECT COUNT(*) FROM events WHERE series = 'world_cup'") == world_cup
    olympic_members = scalar(
        built,
        "SELECT COUNT(*) FROM relay_members m JOIN placements p ON p.id = m.placement_id"
        " JOIN races r ON r.id = p.race_id JOIN events e ON e.id = r.event_id"
        " WHERE e.series = 'olympics'",
    )
    assert olympic_members == 15


def test_every_placement_and_standing_has_source_and_line(built: str) -> None:
    for table in ("placements", "standings"):
        missing = scalar(
            built, f"SELECT COUNT(*) FROM {table} WHERE source_id IS NULL OR source_line IS NULL"
        )
        assert missing == 0, table


def test_spelling_variants_are_one_athlete_with_aliases(built: str) -> None:
    found = rows(
        built,
        "SELECT a.name, l.alias FROM athletes a JOIN athlete_aliases l ON l.athlete_id = a.id"
        " WHERE l.alias IN ('Lee Seung-Jae', 'Lee Seung-jae') ORDER BY l.alias",
    )
    assert [alias for _name, alias in found] == ["Lee Seung-Jae", "Lee Seung-jae"]
    assert len({name for name, _alias in found}) == 1
    assert scalar(built, "SELECT COUNT(*) FROM athletes WHERE name LIKE 'Choi Eun-%'") == 1


def test_namesakes_stay_two_people(built: str) -> None:
    found = rows(
        built,
        "SELECT disambiguation FROM athletes WHERE name = 'Yang Yang' ORDER BY disambiguation",
    )
    assert found == [("A",), ("S",)]


def test_near_miss_in_the_same_relay_team_is_the_known_athlete(built: str) -> None:
    found = rows(
        built,
        "SELECT a.name FROM athletes a JOIN athlete_aliases l ON l.athlete_id = a.id"
        " WHERE l.alias IN ('Nicola Franceshcina', 'Nicola Franceschina')",
    )
    assert found == [("Nicola Franceschina",), ("Nicola Franceschina",)]
    codes = {r[0] for r in rows(built, "SELECT code FROM data_issues")}
    assert "near_miss_spelling" in codes


def test_olympic_relay_bronze_completed_from_members(built: str) -> None:
    bronze = rows(
        built,
        "SELECT nation, time_ms FROM podiums WHERE series = 'olympics' AND is_relay AND rank = 3",
    )
    assert bronze == [("CHN", 419633)]
    members = rows(
        built,
        "SELECT a.name, n.code FROM relay_members m JOIN athletes a ON a.id = m.athlete_id"
        " JOIN nations n ON n.id = a.nation_id JOIN placements p ON p.id = m.placement_id"
        " JOIN races r ON r.id = p.race_id JOIN events e ON e.id = r.event_id"
        " WHERE e.series = 'olympics' AND p.rank = 3 ORDER BY a.name",
    )
    assert members == [
        ("An Yulong", "CHN"),
        ("Feng Kai", "CHN"),
        ("Guo Wei", "CHN"),
        ("Li Jiajun", "CHN"),
        ("Li Ye", "CHN"),
    ]


def test_olympics_is_one_event_whichever_document_names_it(built: str) -> None:
    found = rows(
        built,
        "SELECT e.name, v.city, e.start_date FROM events e LEFT JOIN venues v"
        " ON v.id = e.venue_id WHERE e.series = 'olympics'",
    )
    assert len(found) == 1
    assert found[0][1] == "Salt Lake City"
    assert scalar(built, "SELECT COUNT(*) FROM podiums WHERE series = 'olympics'") == 12


def test_loading_the_same_document_again_changes_nothing(built: str) -> None:
    before = counts(built)
    loaded_at = scalar(built, "SELECT loaded_at FROM sources WHERE name = :n", n=SEED_001)
    outcome = _load(built, SEEDS / SEED_001)
    assert [r.status for r in outcome.results] == ["unchanged"]
    assert counts(built) == before
    assert scalar(built, "SELECT loaded_at FROM sources WHERE name = :n", n=SEED_001) == loaded_at


def test_changed_document_replaces_exactly_its_facts(built: str, tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path / "seeds")
    path = folder / SEED_001
    text = path.read_text(encoding="utf-8")
    # One winner changes; one race (with an athlete seen nowhere else) disappears.
    text = text.replace(
        "| 8 December 2002 | ITA Bormio | 3000m | KOR Ahn Hyun-soo |",
        "| 8 December 2002 | ITA Bormio | 3000m | KOR Song Suk-woo |",
    )
    lines = [ln for ln in text.splitlines() if "| RUS Tatiana Borodulina |" not in ln]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = counts(built)
    outcome = _load(built, path)
    assert [r.status for r in outcome.results] == ["replaced"]
    after = counts(built)
    assert after["races"] == before["races"] - 1
    assert after["placements"] == before["placements"] - 3
    assert after["sources"] == before["sources"]
    assert scalar(built, "SELECT COUNT(*) FROM athletes WHERE name = 'Tatiana Borodulina'") == 0
    winner = rows(
        built,
        "SELECT athlete FROM podiums WHERE city = 'Bormio' AND gender = 'men'"
        " AND distance_m = 3000 AND rank = 1",
    )
    assert winner == [("Song Suk-woo",)]
    # Facts of the other documents are untouched.
    for name in (SEED_000, SEED_002):
        n = json.loads((EXPECTED / f"{name}.json").read_text(encoding="utf-8"))["counts"][
            "placements"
        ]
        got = scalar(
            built,
            "SELECT COUNT(*) FROM placements p JOIN sources s ON s.id = p.source_id"
            " WHERE s.name = :n",
            n=name,
        )
        assert got == n


def test_event_shared_by_two_documents_survives_when_one_drops_it(
    built: str, tmp_path: Path
) -> None:
    folder = copy_seeds(tmp_path / "seeds")
    path = folder / SEED_000
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join(ln for ln in lines if "Winter Olympics" not in ln) + "\n", encoding="utf-8"
    )
    _load(built, path)
    assert scalar(built, "SELECT COUNT(*) FROM events WHERE series = 'olympics'") == 1
    assert scalar(built, "SELECT COUNT(*) FROM podiums WHERE series = 'olympics'") == 12
    assert scalar(built, "SELECT COUNT(*) FROM events") == expected_totals()["events"]


def test_dry_run_writes_nothing(built: str, tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path / "seeds")
    path = folder / SEED_001
    path.write_text(path.read_text(encoding="utf-8").replace("Bormio", "Borm"), encoding="utf-8")
    before = counts(built)
    outcome = _load(built, path, dry_run=True)
    assert [r.status for r in outcome.results] == ["replaced"]
    assert counts(built) == before


def test_a_failing_file_loads_nothing_of_the_batch(built: str, tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path / "seeds")
    good = folder / SEED_001
    good.write_text(good.read_text(encoding="utf-8").replace("Bormio", "Borm"), encoding="utf-8")
    bad = tmp_path / "prose.txt"
    bad.write_text("Just some prose about skating.\n", encoding="utf-8")
    before = counts(built)
    with pytest.raises(UserError, match=r"prose\.txt"):
        _load(built, good, bad)
    assert counts(built) == before


def test_documents_load_in_any_order_to_the_same_facts(db_url: str, tmp_path: Path) -> None:
    names = sorted(p.name for p in documented_seeds())
    _load(db_url, *(SEEDS / n for n in reversed(names)))
    c, t = counts(db_url), expected_totals()
    assert (c["races"], c["placements"], c["standings"], c["events"]) == (
        t["races"],
        t["placements"],
        t["standings"],
        t["events"],
    )


def test_medal_table_adds_up_the_podiums(built: str) -> None:
    canada = rows(
        built,
        "SELECT gold, silver, bronze, total FROM medal_table"
        " WHERE series = 'olympics' AND nation = 'CAN'",
    )
    # 500 m gold and silver, 1000 m bronze, 1500 m bronze, relay gold.
    assert canada == [(2, 1, 2, 5)]
    total = scalar(built, "SELECT SUM(total) FROM medal_table")
    assert total == scalar(built, "SELECT COUNT(*) FROM podiums WHERE rank <= 3 AND nation <> ''")


def test_athlete_careers_counts_individual_and_relay_podiums(built: str) -> None:
    li = rows(
        built,
        "SELECT podiums, wins, relay_podiums, first_season_start_year, last_season_start_year"
        " FROM athlete_careers WHERE athlete = 'Li Jiajun'",
    )
    individual = scalar(built, "SELECT COUNT(*) FROM podiums WHERE athlete = 'Li Jiajun'")
    wins = scalar(built, "SELECT COUNT(*) FROM podiums WHERE athlete = 'Li Jiajun' AND rank = 1")
    assert li == [(individual + 1, wins, 1, 2001, 2002)]


def test_a_second_document_giving_the_same_placements_is_attested_not_duplicated(
    built: str, tmp_path: Path
) -> None:
    copy = tmp_path / "olympics-copy.txt"
    text = (SEEDS / SEED_002).read_text(encoding="utf-8").replace("1:29.109", "1:29.200")
    copy.write_text(text, encoding="utf-8")
    before = counts(built)
    _load(built, copy)
    after = counts(built)
    assert after["placements"] == before["placements"]
    assert after["races"] == before["races"]
    conflicts = rows(
        built,
        "SELECT i.code FROM data_issues i JOIN sources s ON s.id = i.source_id"
        " WHERE s.name = 'olympics-copy.txt' AND i.code = 'source_conflict'",
    )
    assert conflicts == [("source_conflict",)]
    assert scalar(built, "SELECT time_ms FROM podiums WHERE athlete = 'Steven Bradbury'") == 89109
    # The first source is on each placement's row; the copy attests the 12 it also gives.
    shared = rows(
        built,
        "SELECT s.name, COUNT(*) FROM attestations a JOIN sources s ON s.id = a.source_id"
        " WHERE a.fact_table = 'placements' GROUP BY s.name",
    )
    assert shared == [("olympics-copy.txt", 12)]
    # The original drops its 1000 m tables: the copy still gives those placements.
    original = tmp_path / SEED_002
    lines = (SEEDS / SEED_002).read_text(encoding="utf-8").splitlines()
    cut, keep = False, []
    for line in lines:
        if line.replace(" ", "").replace(",", "").startswith("===1000m"):
            cut = True
        elif line.startswith("==="):
            cut = False
        if not cut:
            keep.append(line)
    original.write_text("\n".join(keep) + "\n", encoding="utf-8")
    _load(built, original)
    assert counts(built)["placements"] == before["placements"]
    source = rows(built, "SELECT source FROM podiums WHERE athlete = 'Steven Bradbury'")
    assert source == [("olympics-copy.txt",)]


# -- unranked placements, marks, the source's URL and licence (built here, not parsed) --------


def _pen_document(*, pen_time: int | None = None) -> ParsedDocument:
    """A one-race document: a winner with marks, and a penalised skater without a rank."""
    season = Season(2005, "2005–06")
    venue = Venue("Testville", "Test Arena", "ITA")
    event = Event(season, "world_cup", "Test Cup", venue, date(2005, 10, 1), date(2005, 10, 2), 1)
    winner = Person("Ada Testa", "women", "ITA", line=4)
    penalised = Person("Bea Penalti", "women", "KOR", line=5)
    return ParsedDocument(
        format="test",
        title="Test Cup",
        url="https://example.org/test-cup",
        license="CC BY-SA 4.0",
        events=[event],
        races=[Race(0, "women", 500, False, line=3)],
        placements=[
            Placement(0, 1, winner, "ITA", time_ms=43_100, line=4, marks=("Q", "OR")),
            Placement(
                0, None, penalised, "KOR", time_ms=pen_time, status="PEN", line=5, marks=("PEN",)
            ),
        ],
    )


def _write(url: str, name: str, doc: ParsedDocument, *, reparse: bool = False) -> str:
    """Write one parsed document the way `load` does; returns its status."""
    text_ = repr((doc.placements, doc.url, doc.license))
    batch = make_batch(name, hashlib.sha256(text_.encode()).hexdigest(), doc)
    engine = make_engine(url)
    try:
        with connect(engine) as conn, conn.begin():
            upgrade(conn)
            (result,) = build.write_documents(conn, [batch], Corrections(), reparse=reparse)
    finally:
        engine.dispose()
    return result.status


def test_a_placement_handed_to_a_source_that_disputes_its_values_says_so(db_url: str) -> None:
    """A gives the winner 43.100, B gives 43.200 (a source_conflict: A's value is kept);
    then A drops the winner. The placement rests on B but keeps A's time until B is read
    again: an issue on B's line says so, instead of crediting B silently with A's value."""
    first = _pen_document()
    assert _write(db_url, "a.txt", first) == "loaded"
    disputing = _pen_document()
    disputing.placements[0] = replace(disputing.placements[0], time_ms=43_200)
    assert _write(db_url, "b.txt", disputing) == "loaded"
    dropped = _pen_document()
    del dropped.placements[0]
    assert _write(db_url, "a.txt", dropped) == "replaced"
    issues = "SELECT s.name, i.line, i.code FROM data_issues i JOIN sources s ON s.id = i.source_id"
    assert rows(db_url, issues + " ORDER BY i.id") == [
        ("b.txt", 4, "source_conflict"),
        ("b.txt", 4, "values_of_replaced_source"),
    ]
    kept = "SELECT s.name, p.time_ms FROM placements p JOIN sources s ON s.id = p.source_id"
    assert rows(db_url, kept + " WHERE p.rank = 1") == [("b.txt", 43_100)]
    # As the issue says: B read again takes its own time, and the issues are B's own again.
    assert _write(db_url, "b.txt", disputing) == "unchanged"
    assert _write(db_url, "b.txt", disputing, reparse=True) == "replaced"
    assert rows(db_url, kept + " WHERE p.rank = 1") == [("b.txt", 43_200)]
    assert rows(db_url, issues + " ORDER BY i.id") == []


PEN_ROWS = (
    "SELECT p.rank, a.name, p.status, p.marks, p.time_ms FROM placements p"
    " JOIN athletes a ON a.id = p.athlete_id ORDER BY p.rank IS NULL, p.rank"
)


def test_unranked_placement_with_marks_loads_once_and_is_replaced(db_url: str) -> None:
    assert _write(db_url, "pen.txt", _pen_document()) == "loaded"
    expected = [(1, "Ada Testa", None, "Q OR", 43_100), (None, "Bea Penalti", "PEN", "PEN", None)]
    assert rows(db_url, PEN_ROWS) == expected
    source = rows(db_url, "SELECT url, license FROM sources WHERE name = 'pen.txt'")
    assert source == [("https://example.org/test-cup", "CC BY-SA 4.0")]
    before = counts(db_url)
    assert _write(db_url, "pen.txt", _pen_document()) == "unchanged"
    assert counts(db_url) == before
    # The same facts from a second document are attested, not duplicated (NULL rank too).
    assert _write(db_url, "pen-copy.txt", _pen_document()) == "loaded"
    assert counts(db_url)["placements"] == 2
    attested = "SELECT COUNT(*) FROM attestations WHERE fact_table = 'placements'"
    assert scalar(db_url, attested) == 2
    # The first document changes: the copy now owns the placements, the first attests them.
    assert _write(db_url, "pen.txt", _pen_document(pen_time=44_000)) == "replaced"
    assert counts(db_url)["placements"] == 2
    assert rows(db_url, PEN_ROWS) == expected
    owners = "SELECT DISTINCT s.name FROM placements p JOIN sources s ON s.id = p.source_id"
    assert rows(db_url, owners) == [("pen-copy.txt",)]
    attesting = (
        "SELECT s.name, COUNT(*) FROM attestations a JOIN sources s ON s.id = a.source_id"
        " WHERE a.fact_table = 'placements' GROUP BY s.name"
    )
    assert rows(db_url, attesting) == [("pen.txt", 2)]
    # The copy drops the penalty: the first document keeps both, the copy attests the winner.
    doc = _pen_document()
    doc.placements.pop()
    assert _write(db_url, "pen-copy.txt", doc) == "replaced"
    assert rows(db_url, PEN_ROWS) == expected
    assert rows(db_url, owners) == [("pen.txt",)]
    assert rows(db_url, attesting) == [("pen-copy.txt", 1)]


def test_an_unranked_competitor_repeated_in_one_race_is_kept_once(db_url: str) -> None:
    doc = _pen_document()
    doc.placements.append(doc.placements[1])
    assert _write(db_url, "pen.txt", doc) == "loaded"
    assert scalar(db_url, "SELECT COUNT(*) FROM placements WHERE rank IS NULL") == 1
    issues = rows(db_url, "SELECT line, code FROM data_issues WHERE code = 'duplicate_placement'")
    assert issues == [(5, "duplicate_placement")]


def test_values_no_backend_can_store_are_repaired_the_same_way_on_both(db_url: str) -> None:
    doc = _pen_document()
    long_name = "Ada " + "Testa" * 2_000
    doc.placements[0] = Placement(0, 1, Person(long_name, "women", "ITA", line=4), "ITA", line=4)
    bea = Person("Bea Penalti", "women", "KOR", line=5)
    doc.placements[1] = Placement(0, 2, bea, "KOR", time_ms=10**12, line=5)
    season = doc.events[0].season
    doc.standings = [
        Standing(season, "world_cup", "women", "overall", 1, None, "ITA", float("inf"), 7),
        Standing(season, "world_cup", "women", "overall", 2, None, "KOR", float("nan"), 8),
    ]
    assert _write(db_url, "long.txt", doc) == "loaded"
    names = [n for (n,) in rows(db_url, "SELECT name FROM athletes ORDER BY name")]
    assert names == ["Ada " + ("Testa" * 2_000)[:196], "Bea Penalti"]
    assert rows(db_url, "SELECT points FROM standings") == [(None,), (None,)]
    issues = rows(db_url, "SELECT line, code FROM data_issues ORDER BY line, code")
    assert issues == [
        (4, "value_too_long"),
        (5, "value_out_of_range"),
        (7, "bad_points"),
        (8, "bad_points"),
    ]
    assert rows(db_url, "SELECT time_ms FROM placements WHERE rank = 2") == [(None,)]


EXTRA = REPO / "tests" / "data" / "documents" / "calendar_2009_10_extra.txt"
# What the extra document gives, counted by hand: one World Cup stop, four finals.
EXTRA_COUNTS = {"events": 1, "races": 4, "placements": 12, "standings": 0, "relay_members": 0}


def test_an_extra_document_beside_the_seeds_adds_exactly_its_own_facts(
    db_url: str, tmp_path: Path
) -> None:
    folder = copy_documented_seeds(tmp_path / "seeds")
    shutil.copy(EXTRA, folder / EXTRA.name)
    build.rebuild(db_url, folder)
    c, t = counts(db_url), expected_totals()
    for table in ("events", "races", "placements", "standings", "relay_members"):
        assert c[table] == t[table] + EXTRA_COUNTS[table], table
    assert c["race_notes"] == t["notes"]
    assert c["sources"] == t["documents"] + 1
    assert check_database(db_url) == []
    for table in ("placements", "standings"):
        missing = f"SELECT COUNT(*) FROM {table} WHERE source_id IS NULL OR source_line IS NULL"
        assert scalar(db_url, missing) == 0, table
    extra = rows(
        db_url,
        "SELECT COUNT(*) FROM placements p JOIN sources s ON s.id = p.source_id WHERE s.name = :n",
        n=EXTRA.name,
    )
    assert extra == [(EXTRA_COUNTS["placements"],)]


def test_near_miss_checks_grow_linearly_with_the_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relay of thousands of members compares each new name with its few neighbours,
    not with every other name (that took 17 s for 4,000 members)."""
    calls = 0

    def counted(a: str, b: str) -> bool:
        nonlocal calls
        calls += 1
        return near_miss(a, b)

    monkeypatch.setattr(identity, "near_miss", counted)
    letters = random.Random(14)
    names = {"".join(letters.choices("abcdefghij", k=12)).title() for _ in range(3_000)}
    doc = _pen_document()
    team = tuple(Person(name, "women", line=10 + i) for i, name in enumerate(sorted(names)))
    doc.placements.append(Placement(0, 2, None, "CHN", members=team, line=9))
    doc.races[0] = Race(0, "women", 3000, True, line=3)
    assert _write(f"sqlite:///{tmp_path / 'relay.db'}", "relay.txt", doc) == "loaded"
    assert calls < 2 * len(names)


def test_a_name_holding_the_key_separator_keeps_its_identity() -> None:
    """`athletes.natural_key` joins gender, name and suffix with `|`; a name may hold one."""
    from skating_db.identity import Key

    key = Key.of("men", "Kim | Dong", "A")
    assert Key.parse(key.natural_key) == key
