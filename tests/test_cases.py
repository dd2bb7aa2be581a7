"""Data-driven reader tests: each `tests/data/cases/<name>.txt` is read and checked against
the facts a careful person reads from it, written by hand in `<name>.json` (see CASES.md).

Adding a case adds two files and edits no test.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from skating_db.loaders import UnrecognisedDocument, parse_document
from skating_db.loaders.records import ParsedDocument, Placement

CASES = Path(__file__).parent / "data" / "cases"
NAMES = sorted({p.stem for p in CASES.iterdir() if p.suffix in (".txt", ".json")})

TOP_KEYS = {
    "about": str,
    "shape": str,
    "language": str,
    "refused": bool,
    "events": list,
    "podiums_complete": bool,
    "podiums": list,
    "placements": list,
    "members": list,
    "races": int,
    "issues": list,
    "no_issues": list,
    "notes": list,
    "known_gap": str,  # what the reader cannot do yet: the case runs as an expected failure
}
REQUIRED = ("about", "shape", "language")
FACT_KEYS = {
    "gender",
    "distance_m",
    "relay",
    "round",
    "race_no",
    "race_date",
    "rank",
    "nation",
    "status",
    "marks",
    "athlete",
    "time",
    "city",
    "arena",
    "event_nation",
    "series",
    "season",
}
MEMBER_KEYS = FACT_KEYS | {"members"}
EVENT_KEYS = {"series", "season", "city", "arena", "nation", "start", "end", "name"}
ISSUE_KEYS = {"code", "line"}
NOTE_KEYS = {"text", "line", "language"}
ROUNDS = {"final", "final_b", "semifinal", "quarterfinal", "heat", "repechage"}
_TIME = re.compile(r"^(?:(\d+):)?(\d{1,2})[.,](\d{1,3})$")

Fact = dict[str, Any]


def load_case(name: str) -> dict[str, Any]:
    """The expected facts of one case."""
    data: dict[str, Any] = json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def time_ms(text: str | None) -> int | None:
    """`41.935`, `1:29.109` or `41,256` (decimal comma) as milliseconds."""
    if text is None:
        return None
    match = _TIME.match(text.strip())
    if match is None:
        raise ValueError(f"not a time: {text!r}")
    minutes, seconds, fraction = match.groups()
    return (int(minutes or 0) * 60 + int(seconds)) * 1000 + int(fraction.ljust(3, "0"))


def time_text(ms: int | None) -> str | None:
    """Milliseconds as the text a page prints (`41.935`, `1:29.109`), for failure messages."""
    if ms is None:
        return None
    minutes, rest = divmod(ms, 60000)
    seconds = f"{rest // 1000:02d}.{rest % 1000:03d}" if minutes else f"{rest / 1000:.3f}"
    return f"{minutes}:{seconds}" if minutes else seconds


def placement_facts(doc: ParsedDocument, placement: Placement) -> Fact:
    """Every fact key of one parsed placement, read the way CASES.md says."""
    race = doc.races[placement.race]
    event = doc.events[race.event] if 0 <= race.event < len(doc.events) else None
    venue = event.venue if event is not None else None
    return {
        "gender": race.gender,
        "distance_m": race.distance_m,
        "relay": race.is_relay,
        "round": race.round,
        "race_no": race.race_no,
        "race_date": race.race_date.isoformat() if race.race_date else None,
        "rank": placement.rank,
        "nation": placement.nation,
        "status": placement.status,
        "marks": list(placement.marks),
        "athlete": placement.athlete.name if placement.athlete else None,
        "time_ms": placement.time_ms,
        "members": [m.name for m in placement.members],
        "city": venue.city if venue else None,
        "arena": venue.arena if venue else None,
        "event_nation": venue.nation if venue else None,
        "series": event.series if event else None,
        "season": event.season.name if event else None,
        "line": placement.line,
    }


def differences(expected: Fact, actual: Fact) -> list[str]:
    """The keys of `expected` on which `actual` disagrees."""
    wrong = []
    for key, value in expected.items():
        if key == "time":
            if actual["time_ms"] != time_ms(value):
                wrong.append(key)
        elif actual.get(key) != value:
            wrong.append(key)
    return wrong


def closest(expected: Fact, parsed: list[Fact], count: int = 3) -> str:
    """The parsed facts nearest to `expected`, for a readable failure."""
    ranked = sorted(parsed, key=lambda fact: len(differences(expected, fact)))[:count]
    if not ranked:
        return "    (no parsed placement at all)"
    lines = []
    for fact in ranked:
        wrong = differences(expected, fact)
        shown = {k: time_text(fact["time_ms"]) if k == "time" else fact.get(k) for k in expected}
        lines.append(f"    line {fact['line']}: {shown}  (differs on {', '.join(wrong) or '-'})")
    return "\n".join(lines)


def _augment(fact: int, candidates: list[list[int]], owner: dict[int, int], seen: set[int]) -> bool:
    """Kuhn's augmenting path: give `fact` a parsed placement, moving others if need be."""
    for index in candidates[fact]:
        if index in seen:
            continue
        seen.add(index)
        if index not in owner or _augment(owner[index], candidates, owner, seen):
            owner[index] = fact
            return True
    return False


def match_facts(label: str, expected: list[Fact], parsed: list[Fact]) -> tuple[list[str], set[int]]:
    """Match the expected facts to distinct parsed facts (a maximum matching, so a loose
    fact never takes the placement a stricter one needs); failures and matched indices."""
    candidates = [[i for i, p in enumerate(parsed) if not differences(f, p)] for f in expected]
    owner: dict[int, int] = {}
    matched = {f for f in range(len(expected)) if _augment(f, candidates, owner, set())}
    failures = [
        f"{label} not found: {fact}\n  closest parsed:\n{closest(fact, parsed)}"
        for f, fact in enumerate(expected)
        if f not in matched
    ]
    return failures, set(owner)


def check_podiums(case: dict[str, Any], parsed: list[Fact]) -> list[str]:
    """Every expected podium fact is parsed; with `podiums_complete`, nothing else is."""
    podiums = [p for p in parsed if p["round"] == "final" and p["rank"] in (1, 2, 3)]
    failures, used = match_facts("podium", case.get("podiums", []), podiums)
    if case.get("podiums_complete") and len(podiums) > len(used) + len(failures):
        # more parsed podium places than expected ones: list the ones no fact claimed
        extra = [p for i, p in enumerate(podiums) if i not in used]
        for fact in extra:
            shown = {k: fact[k] for k in ("gender", "distance_m", "race_no", "rank", "athlete")}
            failures.append(f"unexpected podium placement (line {fact['line']}): {shown}")
    return failures


def check_members(case: dict[str, Any], parsed: list[Fact]) -> list[str]:
    """Relay teams carry their members, in the order written."""
    failures, _ = match_facts("relay members", case.get("members", []), parsed)
    return failures


def event_facts(doc: ParsedDocument) -> list[Fact]:
    facts = []
    for event in doc.events:
        venue = event.venue
        facts.append(
            {
                "series": event.series,
                "season": event.season.name,
                "name": event.name,
                "city": venue.city if venue else None,
                "arena": venue.arena if venue else None,
                "nation": venue.nation if venue else None,
                "start": event.start_date.isoformat() if event.start_date else None,
                "end": event.end_date.isoformat() if event.end_date else None,
                "line": event.line,
            }
        )
    return facts


def check_events(case: dict[str, Any], doc: ParsedDocument) -> list[str]:
    parsed = event_facts(doc)
    failures = []
    for fact in case.get("events", []):
        if not any(all(p.get(k) == v for k, v in fact.items()) for p in parsed):
            near = "\n".join(f"    {p}" for p in parsed) or "    (no parsed event)"
            failures.append(f"event not found: {fact}\n  parsed events:\n{near}")
    return failures


def check_issues(case: dict[str, Any], doc: ParsedDocument) -> list[str]:
    parsed = [(i.code, i.line) for i in doc.issues]
    failures = []
    for issue in case.get("issues", []):
        code, line = issue["code"], issue.get("line")
        if not any(c == code and (line is None or n == line) for c, n in parsed):
            failures.append(
                f"issue not raised: {issue}; parsed issues: {sorted(set(parsed), key=str)}"
            )
    for code in case.get("no_issues", []):
        lines = [n for c, n in parsed if c == code]
        if lines:
            failures.append(f"issue {code!r} must not be raised, but is at lines {lines}")
    return failures


def check_notes(case: dict[str, Any], doc: ParsedDocument) -> list[str]:
    """Every expected race note (prose a source gives about a race) is parsed."""
    parsed = [{"text": n.text, "line": n.line, "language": n.language} for n in doc.notes]
    return [
        f"race note not found: {note}; parsed notes: {parsed}"
        for note in case.get("notes", [])
        if not any(all(p[k] == v for k, v in note.items()) for p in parsed)
    ]


def check_races(case: dict[str, Any], doc: ParsedDocument) -> list[str]:
    if "races" not in case or len(doc.races) == case["races"]:
        return []
    shown = "\n".join(
        f"    line {r.line}: {r.gender} {r.distance_m} {r.round} {r.race_no}" for r in doc.races
    )
    return [f"expected {case['races']} races, parsed {len(doc.races)}:\n{shown}"]


@pytest.mark.parametrize("name", NAMES, ids=NAMES)
def test_case(name: str) -> None:
    """The document of one case gives the facts a careful reader finds in it."""
    case = load_case(name)
    text = (CASES / f"{name}.txt").read_text(encoding="utf-8")
    if case.get("refused"):
        with pytest.raises(UnrecognisedDocument):
            parse_document(text)
        return
    doc = parse_document(text)
    parsed = [placement_facts(doc, p) for p in doc.placements]
    failures = check_events(case, doc) + check_podiums(case, parsed)
    failures += match_facts("placement", case.get("placements", []), parsed)[0]
    failures += check_members(case, parsed) + check_races(case, doc) + check_issues(case, doc)
    failures += check_notes(case, doc)
    if failures and case.get("known_gap"):
        pytest.xfail(f"known gap: {case['known_gap']}")
    assert not failures, f"{name}: {len(failures)} mismatch(es)\n" + "\n".join(failures)


def schema_errors(name: str) -> list[str]:
    """What is wrong with one case's files (missing twin, unknown keys, bad values)."""
    if not (CASES / f"{name}.txt").is_file() or not (CASES / f"{name}.json").is_file():
        return [f"{name}: needs both {name}.txt and {name}.json"]
    try:
        case = load_case(name)
    except json.JSONDecodeError as error:
        return [f"{name}.json: not JSON ({error})"]
    errors = [f"{name}: missing key {k!r}" for k in REQUIRED if k not in case]
    for key, value in case.items():
        kind = TOP_KEYS.get(key)
        if kind is None:
            errors.append(f"{name}: unknown key {key!r}")
        elif not isinstance(value, kind):
            errors.append(f"{name}: {key!r} must be a {kind.__name__}")
    groups = (
        ("podiums", FACT_KEYS),
        ("placements", FACT_KEYS),
        ("members", MEMBER_KEYS),
        ("events", EVENT_KEYS),
        ("issues", ISSUE_KEYS),
        ("notes", NOTE_KEYS),
    )
    for key, allowed in groups:
        for fact in case.get(key, []) if isinstance(case.get(key), list) else []:
            errors += [f"{name}: {key} fact has unknown key {k!r}" for k in set(fact) - allowed]
            errors += fact_value_errors(name, fact)
    return errors


def fact_value_errors(name: str, fact: Fact) -> list[str]:
    """Values that can never match: an unknown round, an unreadable time."""
    errors = []
    if "round" in fact and fact["round"] not in ROUNDS:
        errors.append(f"{name}: unknown round {fact['round']!r}")
    if fact.get("time") is not None:
        try:
            time_ms(fact["time"])
        except ValueError as error:
            errors.append(f"{name}: {error}")
    if "marks" in fact and not isinstance(fact["marks"], list):
        errors.append(f"{name}: marks must be a list")
    return errors


def test_case_files_are_well_formed() -> None:
    """Every case has its text and its facts, and the facts use only known keys."""
    assert len(NAMES) >= 45
    errors = [error for name in NAMES for error in schema_errors(name)]
    assert not errors, "\n".join(errors)
