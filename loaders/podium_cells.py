"""The podium cells of one row: who is first, second and third, with times when given.

A cell may hold two athletes sharing a medal (a line break), two races' winners
numbered `(1)` and `(2)`, a relay team whose members run together without
separators, or words that say the medal was not awarded.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from .cells import BREAK
from .competitors import Competitor, identity, parse_competitor
from .lookups import is_not_awarded, status_of
from .memo import text_cache
from .nations import resolve_nation
from .records import Issue
from .tokens import Row
from .values import parse_time, plain_time_ms

PODIUM_ROLES = {"first": 1, "second": 2, "third": 3}
EXTRA_ROLES = (None, "time", "points")
_RACE_MARK = re.compile(r"\s*\((\d)\)\s*")
MEMBER_WORDS = 2  # a guessed member name: given name and family name


@dataclass(frozen=True, slots=True)
class Seat:
    """One competitor on the podium of one race of the row."""

    rank: int
    who: Competitor
    race_no: int
    time_ms: int | None
    extra: str


@dataclass(slots=True)
class Podium:
    seats: list[Seat] = field(default_factory=list)
    width: int = 0  # podium cells the row has
    issues: list[Issue] = field(default_factory=list)


Columns = list[tuple[int, int, int | None]]
_COLUMNS: dict[tuple[tuple[str | None, ...], int, int], Columns] = {}


def _columns(header: list[str | None], row: Row, at: int) -> Columns:
    """(rank, cell index, index of the time or points cell beside it) for each podium cell
    (memoised: every row of a table has one of a few shapes)."""
    key = (tuple(header), len(row.cells), at)
    found = _COLUMNS.get(key)
    if found is None:
        if len(_COLUMNS) > 4096:
            _COLUMNS.clear()
        found = _COLUMNS[key] = _find_columns(header, row, at)
    return found


def _find_columns(header: list[str | None], row: Row, at: int) -> Columns:
    cells = row.cells
    distance_at = header.index("distance") if "distance" in header else 0
    shift = at - distance_at
    roles = [(j, PODIUM_ROLES[r]) for j, r in enumerate(header) if r in PODIUM_ROLES]
    if len(roles) == len(PODIUM_ROLES) and all(0 <= j + shift < len(cells) for j, _ in roles):
        podium_at = {j for j, _ in roles}
        columns: Columns = []
        for j, rank in roles:
            beside = j + 1
            extra = (
                beside + shift
                if beside < len(header)
                and header[beside] in EXTRA_ROLES
                and beside not in podium_at
                and beside + shift < len(cells)
                else None
            )
            columns.append((rank, j + shift, extra))
        return columns
    podium = range(at + 1, min(at + 1 + len(PODIUM_ROLES), len(cells)))
    return [(i - at, i, None) for i in podium]


_GLUED_CODE = re.compile(
    r"(?<=[a-z\u00e0-\u024f.)\]])\s*\b([A-Z]{3})(?=\s*[A-Z\u00c0-\u024f][a-z])"
)
_INNER_CODE = re.compile(r"(?<=\S)\s+([A-Z]{3})\s+(?=[A-Z\u00c0-\u024f][a-z])")


@text_cache(limit=65536)
def split_competitors(text: str) -> tuple[str, ...]:
    """Competitors run together in one cell: `Aa Bb CANCc Dd KOR` (name, code) or
    `CAN Aa Bb KOR Cc Dd` (code, name); a cell of one competitor is returned whole."""
    if _PREFIXED.match(text):
        cuts = [m.start(1) for m in _INNER_CODE.finditer(text) if resolve_nation(m.group(1))]
    else:
        cuts = [m.end(1) for m in _GLUED_CODE.finditer(text) if resolve_nation(m.group(1))]
        cuts = [c for c in cuts if text[c:].strip()]
    if not cuts:
        return (text,)
    bounds = [0, *cuts, len(text)]
    parts = (text[a:b].strip() for a, b in itertools.pairwise(bounds))
    return tuple(p for p in parts if p)


_PREFIXED = re.compile(r"^[A-Z]{3}\s+[A-Z\u00c0-\u024f][a-z]")


def recover_cells(cells: list[str], width: int) -> list[str] | None:
    """A row that lost cell separators, split back to `width` cells when its competitors
    allow; None when they do not."""
    out: list[str] = []
    for cell in cells:
        out += split_competitors(cell) if cell else (cell,)
    return out if len(out) == width else None


_TRAILING_TIME = re.compile(r"\s+((?:\d{1,2}[:.])?\d{1,2}[.,]\d{2,3})\s*$")


def trailing_time(text: str) -> tuple[str, str]:
    """`Name (NOC) 40,895` -> (`Name (NOC)`, `40,895`); a cell without one is returned whole."""
    match = _TRAILING_TIME.search(text) if text[-1:].isdigit() else None
    if match is None:
        return text, ""
    return text[: match.start()], match.group(1)


def _time(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    ms = plain_time_ms(text)
    if ms is not None:
        return ms
    parsed = parse_time(text)
    return parsed.ms if parsed is not None and not parsed.problem else None


def _fragments(text: str) -> list[tuple[int, str]]:
    """`A (1) B (2)` -> [(1, A), (2, B)]; a cell without two numbers is one fragment."""
    if "(" not in text:
        return [(1, text)]
    marks = list(_RACE_MARK.finditer(text))
    if len({m.group(1) for m in marks}) < 2 or text[marks[-1].end() :].strip():
        return [(1, text)]
    fragments: list[tuple[int, str]] = []
    start = 0
    for mark in marks:
        fragments.append((int(mark.group(1)), text[start : mark.start()]))
        start = mark.end()
    return fragments


def split_members(text: str, known: dict[str, str]) -> tuple[tuple[str, ...], bool]:
    """Members run together (`Aa Bb Cc Dd`): known names first, else pairs of words.
    Returns the names and whether any split was a guess."""
    words = text.split()
    members: list[str] = []
    guessed = False
    i = 0
    while i < len(words):
        for size in (4, 3, 2, 1):
            name = " ".join(words[i : i + size])
            if size <= len(words) - i and identity(name) in known:
                members.append(known[identity(name)])
                i += size
                break
        else:
            members.append(" ".join(words[i : i + MEMBER_WORDS]))
            guessed = True
            i += MEMBER_WORDS
    return tuple(members), guessed


def _relay_team(who: Competitor, known: dict[str, str], podium: Podium, line: int) -> Competitor:
    """A relay cell read as one long name: the nation and its members."""
    if who.team or who.name is None or len(who.name.split()) < 2 * MEMBER_WORDS:
        return who
    members, guessed = split_members(who.name, known)
    if guessed:
        podium.issues.append(
            Issue(
                line,
                "info",
                "members_split_guessed",
                f"relay members written without separators; read as {', '.join(members)}",
            )
        )
    return Competitor(nation=who.nation, team=True, members=members)


def _competitors(
    text: str, relay: bool, language: str, podium: Podium, line: int, rank: int
) -> list[Competitor]:
    """The competitors of one cell (of one race): several when they share the medal."""
    shared = [p for p in text.split(BREAK.strip()) if p.strip()] if "/" in text else [text]
    if not relay and len(shared) == 1:
        shared = list(split_competitors(text))
    if relay and len(shared) > 1:  # a team and its members, one per line
        shared = [f"{shared[0]} ({', '.join(shared[1:])})"]
    elif len(shared) > 1:
        message = f"rank {rank} is shared by {len(shared)} competitors"
        podium.issues.append(Issue(line, "info", "shared_medal", message))
    found = (parse_competitor(part, language, relay) for part in shared)
    return [who for who in found if who is not None]


def podium_cells(
    header: list[str | None],
    row: Row,
    at: int,
    relay: bool,
    known: dict[str, str] | None = None,
    language: str = "en",
) -> Podium:
    """The seats of a row whose distance cell is at `at`."""
    podium = Podium()
    columns = _columns(header, row, at)
    podium.width = len(columns)
    for rank, index, extra_at in columns:
        text = row.cells[index]
        extra = row.cells[extra_at] if extra_at is not None else ""
        if not extra:
            text, extra = trailing_time(text)
        if not text:
            continue
        empty_seat = _empty_seat(text, rank, row.lines[index])
        if empty_seat is not None:
            podium.issues.append(empty_seat)
            continue
        line = row.lines[index]
        ms = _time(extra)
        if ms is None and extra.strip(" -\u2013\u2014") and not extra.strip().isdigit():
            _unreadable_time(podium, row.lines[extra_at if extra_at is not None else index], extra)
        for race_no, fragment in _fragments(text):
            for who in _competitors(fragment, relay, language, podium, line, rank):
                if relay:
                    who = _relay_team(who, known or {}, podium, line)
                podium.seats.append(Seat(rank, who, race_no, ms, extra))
    return podium


def _empty_seat(text: str, rank: int, line: int) -> Issue | None:
    """Why a medal cell seats no competitor: the medal was not awarded, or the cell holds a
    status (`DSQ`), which names no one; None for a competitor cell."""
    if is_not_awarded(text):
        return Issue(line, "info", "not_awarded", f"rank {rank}: not awarded")
    status = status_of(text)
    if status is None:
        return None
    message = f"rank {rank}: the cell holds the status {text!r} ({status}), no competitor; skipped"
    return Issue(line, "warning", "status_without_competitor", message)


def _unreadable_time(podium: Podium, line: int | None, text: str) -> None:
    """A time beside a medallist that cannot be read: the seat keeps no time, and says so
    (a dash, a status word or the digits of a points cell are no time, not a problem)."""
    parsed = parse_time(text)
    if parsed is not None and parsed.problem:
        podium.issues.append(Issue(line, "warning", "bad_time", parsed.problem))
