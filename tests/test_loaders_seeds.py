"""The four seed documents give the facts kept in tests/data/expected/<seed>.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skating_db.loaders import parse_document
from skating_db.loaders.records import ParsedDocument
from tests.helpers import expected_totals

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
EXPECTED = Path(__file__).parent / "data" / "expected"
CASES = sorted(EXPECTED.glob("*.json"))


def load(path: Path) -> tuple[ParsedDocument, dict[str, Any]]:
    expected = json.loads(path.read_text(encoding="utf-8"))
    text = (SEEDS / path.name.removesuffix(".json")).read_text(encoding="utf-8")
    return parse_document(text), expected


def podium(doc: ParsedDocument, index: int) -> list[dict[str, Any]]:
    return [
        {
            "rank": p.rank,
            "athlete": p.athlete.name if p.athlete else None,
            "disambiguation": p.athlete.disambiguation if p.athlete else None,
            "nation": p.nation,
            "time_ms": p.time_ms,
            "members": [m.name for m in p.members],
            "line": p.line,
        }
        for p in doc.placements
        if p.race == index
    ]


@pytest.mark.parametrize("path", CASES, ids=[p.name[:3] for p in CASES])
def test_counts_and_format(path: Path) -> None:
    doc, expected = load(path)
    assert doc.format == expected["format"]
    counts = expected["counts"]
    assert len(doc.events) == counts["events"]
    assert len(doc.races) == counts["races"]
    assert len(doc.placements) == counts["placements"]
    assert len(doc.standings) == counts["standings"]
    assert len(doc.notes) == counts["notes"]
    assert sum(len(p.members) for p in doc.placements) == counts["relay_members"]


@pytest.mark.parametrize("path", CASES, ids=[p.name[:3] for p in CASES])
def test_events(path: Path) -> None:
    doc, expected = load(path)
    got = [
        {
            "name": e.name,
            "series": e.series,
            "city": e.venue.city if e.venue else None,
            "arena": e.venue.arena if e.venue else None,
            "nation": e.venue.nation if e.venue else None,
            "start": e.start_date.isoformat() if e.start_date else None,
            "end": e.end_date.isoformat() if e.end_date else None,
        }
        for e in doc.events
    ]
    assert got == expected["events"]
    assert {e.season.name for e in doc.events} == {expected["season"]}


RACE_CASES = [
    (path, race) for path in CASES for race in json.loads(path.read_text(encoding="utf-8"))["races"]
]


@pytest.mark.parametrize(
    ("path", "race"),
    RACE_CASES,
    ids=[
        f"{p.name[:3]}-{r['event']}-{r['gender']}-{r['distance_m']}-{r['line']}"
        for p, r in RACE_CASES
    ],
)
def test_race_podium(path: Path, race: dict[str, Any]) -> None:
    doc, _ = load(path)
    matches = [
        i
        for i, r in enumerate(doc.races)
        if doc.events[r.event].name == race["event"]
        and (r.gender, r.distance_m, r.is_relay, r.race_no)
        == (race["gender"], race["distance_m"], race["is_relay"], race["race_no"])
    ]
    assert len(matches) == 1
    found = doc.races[matches[0]]
    assert (found.race_date.isoformat() if found.race_date else None) == race["race_date"]
    assert found.line == race["line"]
    assert podium(doc, matches[0]) == race["podium"]


@pytest.mark.parametrize("path", CASES, ids=[p.name[:3] for p in CASES])
def test_standings_samples(path: Path) -> None:
    doc, expected = load(path)
    rows = {
        (s.line, s.rank, s.classification): (
            s.gender,
            s.athlete.name if s.athlete else None,
            s.nation,
            s.points,
        )
        for s in doc.standings
    }
    for sample in expected["standings"]:
        key = (sample["line"], sample["rank"], sample["classification"])
        assert rows[key] == (
            sample["gender"],
            sample["athlete"],
            sample["nation"],
            sample["points"],
        )


@pytest.mark.parametrize("path", CASES, ids=[p.name[:3] for p in CASES])
def test_issues(path: Path) -> None:
    doc, expected = load(path)
    got = sorted((i.code, i.severity, i.line or 0) for i in doc.issues)
    want = sorted((i["code"], i["severity"], i["line"] or 0) for i in expected["issues"])
    assert got == want


@pytest.mark.parametrize("path", CASES, ids=[p.name[:3] for p in CASES])
def test_notes(path: Path) -> None:
    doc, expected = load(path)
    got = [
        {
            "race_distance_m": doc.races[n.race].distance_m,
            "language": n.language,
            "line": n.line,
            "starts": n.text[:30],
        }
        for n in doc.notes
    ]
    assert got == expected["notes"]


def test_seed_totals() -> None:
    docs = [load(p)[0] for p in CASES]
    t = expected_totals()
    assert sum(len(d.races) for d in docs) == t["races"]
    assert sum(len(d.placements) for d in docs) == t["placements"]
    assert sum(len(d.standings) for d in docs) == t["standings"]


def test_olympic_identity_cases() -> None:
    doc = parse_document((SEEDS / "002_3564ec39acb5fb71.txt").read_text(encoding="utf-8"))
    silver = next(p for p in doc.placements if doc.races[p.race].is_relay and p.rank == 2)
    near = next(m for m in silver.members if m.spellings)
    assert (near.name, near.spellings, near.nation) == (
        "Nicola Franceshcina",
        ("Nicola Franceschina",),
        "ITA",
    )
    bronze = next(p for p in doc.placements if doc.races[p.race].is_relay and p.rank == 3)
    assert bronze.nation is None
    assert {m.nation for m in bronze.members} == {None}
    conflict = next(i for i in doc.issues if i.code == "conflicting_values")
    assert "41.802" in conflict.message and "49.802" in conflict.message
    assert "line 13" in conflict.message and "line 96" in conflict.message


def test_namesakes_keep_their_suffix() -> None:
    doc = parse_document((SEEDS / "000_13be0ce3a66683ec.txt").read_text(encoding="utf-8"))
    suffixes = {
        p.athlete.disambiguation
        for p in doc.placements
        if p.athlete and p.athlete.name == "Yang Yang"
    }
    assert suffixes == {"A", "S"}
