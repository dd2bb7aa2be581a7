"""The parsers generalise: documents of our own, truncated seeds, unrecognisable text, speed."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import time
from pathlib import Path

import pytest

from skating_db.loaders import FORMATS, UnrecognisedDocument, parse_document
from skating_db.loaders.records import ParsedDocument, Person, Placement

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
DOCUMENTS = Path(__file__).parent / "data" / "documents"


def document(name: str) -> ParsedDocument:
    return parse_document((DOCUMENTS / name).read_text(encoding="utf-8"))


def podium(doc: ParsedDocument, index: int) -> list[tuple[int, str | None, str | None]]:
    return [
        (p.rank, p.athlete.name if p.athlete else None, p.nation)
        for p in doc.placements
        if p.race == index
    ]


def codes(doc: ParsedDocument) -> set[tuple[str, int | None]]:
    return {(i.code, i.line) for i in doc.issues}


def test_flattened_season_of_our_own() -> None:
    doc = document("season_2003_04_flattened.txt")
    assert doc.format == "season_tables"
    assert [e.name for e in doc.events] == [
        "2003\u201304 World Cup Harbin",
        "2003\u201304 World Cup Bormio",
        "2004 European Championships",
    ]
    assert podium(doc, 1) == [(1, "Gamma Delta", "CHN"), (3, "Epsilon Zeta", "CAN")]
    assert doc.races[2].is_relay and doc.races[2].distance_m == 3000
    assert {("bad_date", 11), ("rank_zero", 23), ("podium_lost_to_flattening", 9)} <= codes(doc)
    relay = [s for s in doc.standings if s.classification == "relay"]
    assert [(s.rank, s.nation, s.athlete) for s in relay] == [(1, "KOR", None), (2, "CHN", None)]
    assert [s.classification for s in doc.standings].count("overall") == 2


def test_calendar_of_our_own() -> None:
    doc = document("calendar_2005_06_mixed.txt")
    assert doc.format == "calendar"
    assert len(doc.events) == 2
    bormio = doc.events[1]
    assert bormio.venue is not None and (bormio.venue.city, bormio.venue.nation) == ("Bormio", None)
    assert (str(bormio.start_date), str(bormio.end_date)) == ("2005-11-25", "2005-11-27")
    assert [(r.distance_m, r.race_no) for r in doc.races[1:3]] == [(1000, 1), (1000, 2)]
    assert podium(doc, 3) == [(1, None, "KOR"), (2, None, "CAN"), (3, None, "CHN")]
    assert podium(doc, 5) == [(1, "Alpha Beta", "KOR"), (2, "Iota Kappa", "ITA")]
    assert {
        ("row_width_mismatch", 20),
        ("unknown_nation", 19),
        ("heading_not_understood", 29),
    } <= codes(doc)
    overall = [s for s in doc.standings if s.classification == "overall"]
    assert [(s.rank, s.athlete.name if s.athlete else None) for s in overall] == [
        (1, "Alpha Beta"),
        (2, "Gamma Delta"),
        (3, "Epsilon Zeta"),
    ]


def test_german_championship_wikitable() -> None:
    doc = document("olympics_2006_de.txt")
    assert doc.format == "wikitable"
    (event,) = doc.events
    assert (event.name, event.series, event.season.name) == (
        "2006 Winter Olympics",
        "olympics",
        "2005\u201306",
    )
    assert [(p.rank, p.time_ms) for p in doc.placements if p.race == 0] == [
        (1, 86739),
        (2, 86764),
        (3, 86927),
    ]
    relay = [p for p in doc.placements if p.race == 1]
    assert [(p.nation, len(p.members), p.status) for p in relay] == [
        ("KOR", 4, None),
        ("CAN", 4, None),
        ("ITA", 2, "DQ"),
    ]
    assert relay[0].members[0].nation == "KOR" and relay[0].members[0].gender == "men"
    women = [p for p in doc.placements if p.race == 2]
    assert [(p.nation, p.time_ms) for p in women] == [("CHN", 44345), ("BUL", None), (None, 44900)]
    assert doc.races[2].gender == "women"
    assert [(n.language, n.line) for n in doc.notes] == [("de", 14)]
    assert {("rank_zero", 26), ("bad_time", 36), ("season_inferred", 1)} <= codes(doc)


CUTS = [(seed, fraction) for seed in SEEDS for fraction in (0.3, 0.55, 0.8)]


def cut_mid_row(text: str, fraction: float) -> str:
    """`text` cut inside a table row near `fraction` of its length."""
    at = int(len(text) * fraction)
    while at < len(text):
        line_start = text.rfind("\n", 0, at) + 1
        line_end = text.find("\n", at)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if line.startswith("|") and len(line) > 8 and line not in ("|}", "|-"):
            return text[: line_start + len(line) // 2]
        at = line_end + 1 if line_end >= 0 else len(text)
    raise AssertionError("no row to cut")


@pytest.mark.parametrize(
    ("seed", "fraction"), CUTS, ids=[f"{s.name[:3]}-{int(f * 100)}" for s, f in CUTS]
)
def test_truncated_seed_loads_what_it_holds(seed: Path, fraction: float) -> None:
    text = seed.read_text(encoding="utf-8")
    full = parse_document(text)
    cut_text = cut_mid_row(text, fraction)
    cut_line = cut_text.count("\n") + 1
    doc = parse_document(cut_text)
    assert ("document_truncated", cut_line) in codes(doc)
    assert 0 < len(doc.races) + len(doc.standings) <= len(full.races) + len(full.standings)
    assert all(p.line < cut_line for p in doc.placements)
    whole = {(p.rank, p.athlete, p.nation, p.line) for p in full.placements}
    # Individual placements before the cut are the same as in the whole document.
    if full.format != "wikitable":
        assert {(p.rank, p.athlete, p.nation, p.line) for p in doc.placements} <= whole


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "Just some prose.\n\nAnd more prose.", "\x00\x01\x02binary", "a,b,c\n1,2,3\n"],
    ids=["empty", "blank", "prose", "binary", "csv"],
)
def test_unrecognised_documents(text: str) -> None:
    with pytest.raises(UnrecognisedDocument) as caught:
        parse_document(text)
    message = str(caught.value)
    assert message.endswith(".") and "\n" not in message


def test_table_of_unknown_kind_is_an_issue_not_a_crash() -> None:
    text = (
        "= 2003\u201304 World Cup =\n==Men==\n| Date | Place | Distance | Winner |\n"
        "| 1 November 2003 | ITA Bormio | 500 m | ITA A B |\n\n| Foo | Bar |\n| 1 | 2 |\n"
    )
    doc = parse_document(text)
    assert len(doc.placements) == 1
    assert ("table_not_understood", 6) in codes(doc)


def test_control_characters_are_removed_and_named() -> None:
    """A terminal escape or a right-to-left override in a name never reaches the database."""
    text = (
        "= 2003\u201304 World Cup =\n==Men==\n| Date | Place | Distance | Winner |\n"
        "| 1 November 2003 | ITA Bormio | 500 m | ITA Aa \x1b]0;x\x07\x1b[31mBb |\r"
        "| 8 November 2003 | ITA Bormio | 1000 m | ITA Cc\u202e Dd\x7f |\n"
    )
    doc = parse_document(text)
    names = [p.athlete.name for p in doc.placements if p.athlete]
    assert names == ["Aa Bb", "Cc Dd"]
    assert {c for c in codes(doc) if c[0] == "control_characters_removed"} == {
        ("control_characters_removed", 4),
        ("control_characters_removed", 5),
    }


def test_formats_are_named() -> None:
    assert set(FORMATS) == {"season_tables", "calendar", "wikitable", "event_page", "results"}
    assert {parse_document(s.read_text(encoding="utf-8")).format for s in SEEDS} <= set(FORMATS)


def _flattened_season(rows: int) -> str:
    lines = [
        "= 2002\u201303 World Cup =",
        "== Men ==",
        "| Date | Place | Distance | Winner | Second | Third |",
    ]
    for i in range(rows):
        lines.append(
            f"| {1 + i % 28} October 2002 | KOR City{i // 30} | 500m | KOR Skater {i % 300} "
            f"| CHN Skater {i % 211} | ITA Skater {i % 97} |"
        )
    return "\n".join(lines) + "\n"


def _best_of_three(text: str) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        parse_document(text)
        times.append(time.perf_counter() - started)
    return min(times)


def test_ten_thousand_rows_parse_in_linear_time() -> None:
    """Ten times the rows cost about ten times the time, not a hundred: measured against
    the same table of a thousand rows in this process (a wall-clock limit is flaky on a
    shared machine; a quadratic step is not)."""
    big = _flattened_season(10_000)
    doc = parse_document(big)
    assert len(doc.races) == 10_000 and len(doc.placements) == 30_000
    ratio = _best_of_three(big) / _best_of_three(_flattened_season(1_000))
    assert ratio < 30, f"10x the rows took {ratio:.1f}x the time (quadratic: about 100x)"


CASE_TEXTS = sorted((Path(__file__).parent / "data" / "cases").glob("*.txt"))


@pytest.mark.parametrize("path", CASE_TEXTS, ids=[p.stem for p in CASE_TEXTS])
def test_a_parsed_document_is_freed_without_the_cycle_collector(path: Path) -> None:
    """Parsing leaves no reference cycle behind: a load of thousands of documents would
    otherwise spend its time in the garbage collector (a walker that kept its table
    reader, and so itself, alive cost 6 µs a placement)."""
    text = path.read_text(encoding="utf-8")
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what the collector frees stays in gc.garbage to be read
    try:
        with contextlib.suppress(UnrecognisedDocument):
            parse_document(text)
        gc.collect()
        # Only the reader's own objects count: caches of the whole run, trimmed at the start
        # of a parse, may free cycles of other kinds (compiled patterns, functools wrappers).
        stuck = {type(o).__qualname__ for o in gc.garbage if _of_the_loaders(o)}
        assert not stuck
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def _of_the_loaders(thing: object) -> bool:
    return type(thing).__module__.startswith(("skating_db.loaders", "loaders"))


def test_records_are_frozen_instances_of_their_own_class() -> None:
    """The loaders build Person and Placement through a cheaper twin constructor; what they
    return is still exactly those frozen, hashable records."""
    text = "\n".join(
        [
            "= 2031 European Championships =",
            "== Men ==",
            "=== 500 m ===",
            "| Rank | Name | Country | Time |",
            "| 1 | Tomas Varga | HUN | 41.210 |",
            "",
        ]
    )
    placement = parse_document(text).placements[0]
    athlete = placement.athlete
    assert type(placement) is Placement and type(athlete) is Person
    same = Placement(**{f.name: getattr(placement, f.name) for f in dataclasses.fields(Placement)})
    assert placement == same and hash(placement) == hash(same)
    assert athlete == Person("Tomas Varga", "men", "HUN", line=5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        placement.rank = 2  # type: ignore[misc]
