"""Property-based fuzzing of the loaders and the writer with mutated seed documents.

Invariants: `loaders.parse_document` raises nothing but `UnrecognisedDocument`; every record
refers to entities that exist (indexes in range, positive ranks and distances, genders in the
vocabulary); and a load through the writer either succeeds and leaves a database that
`check_database` finds sound, or fails with a `UserError` and leaves the database unchanged.

Inputs that once broke a loader live in `tests/regressions/` (one small text file each) and
are replayed by `test_regression_inputs`. Example counts are kept moderate for CI; set
SKATING_DB_FUZZ_SCALE=10 to fuzz ten times harder locally.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skating_db import build
from skating_db.admin import check_database
from skating_db.corrections import load_corrections
from skating_db.errors import UserError
from skating_db.loaders import UnrecognisedDocument, parse_document
from skating_db.loaders.records import CLASSIFICATIONS, SERIES, ParsedDocument
from tests.helpers import SEEDS, snapshot

REGRESSIONS = Path(__file__).resolve().parent / "regressions"
SEED_PATHS = sorted(p for p in SEEDS.glob("*.txt"))
SEED_TEXTS = [p.read_text(encoding="utf-8") for p in SEED_PATHS]
GENDERS = {"men", "women", "mixed"}
SEVERITIES = {"info", "warning", "error"}
SCALE = int(os.environ.get("SKATING_DB_FUZZ_SCALE", "1"))
PARSER_EXAMPLES = 250 * SCALE
DATABASE_EXAMPLES = 40 * SCALE
MARKUP = [
    "{|",
    "|}",
    "|-",
    "||",
    "|",
    "!",
    "==",
    "===",
    "====",
    "'''",
    "''",
    "[[",
    "]]",
    "{{",
    "}}",
    "<br />",
    "<ref>",
    "&nbsp;",
    '{| class="wikitable"',
    '| bgcolor="gold" |',
    "== Women ==",
    "==Men==",
    "===Events===",
    "== Calendar ==",
    "===World Cup Rankings===",
    "| Rank | Name | Points |",
    "| Date | Place | Distance | Winner | Second | Third |",
    "500 m",
    "5000 m relay",
    "31 February 2003",
    "0",
    "-1",
    "99:99.999",
    "\t",
    "\u00a0",
    "\u200b",
    "–",
]


# -- mutations -----------------------------------------------------------------------------------


@st.composite
def mutated_document(draw: st.DrawFn) -> str:  # noqa: C901, PLR0912, PLR0915 (one dispatch)
    """A seed document with a few line- and cell-level mutations, possibly cut at any byte."""
    lines = draw(st.sampled_from(SEED_TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            lines = [""]
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(
            st.sampled_from(
                [
                    "delete",
                    "duplicate",
                    "swap",
                    "inject",
                    "case",
                    "space",
                    "cell_delete",
                    "cell_duplicate",
                    "cell_swap",
                    "cell_replace",
                    "delete_block",
                ]
            )
        )
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "delete_block":
            del lines[i : i + draw(st.integers(1, 30))]
        elif op == "inject":
            token = draw(st.sampled_from(MARKUP))
            at = draw(st.integers(0, len(lines[i])))
            if draw(st.booleans()):
                lines.insert(i, token)
            else:
                lines[i] = lines[i][:at] + token + lines[i][at:]
        elif op == "case":
            lines[i] = draw(st.sampled_from([str.upper, str.lower, str.swapcase]))(lines[i])
        elif op == "space":
            how = draw(st.sampled_from(["strip", "pad", "tabs", "collapse", "blank"]))
            if how == "strip":
                lines[i] = lines[i].replace(" ", "")
            elif how == "pad":
                lines[i] = "   " + lines[i].replace("|", " | ") + "  "
            elif how == "tabs":
                lines[i] = lines[i].replace(" ", "\t")
            elif how == "collapse":
                lines[i] = " ".join(lines[i].split())
            else:
                lines.insert(i, "")
        else:
            cells = lines[i].split("|")
            k = draw(st.integers(0, len(cells) - 1))
            if op == "cell_delete" and len(cells) > 1:
                del cells[k]
            elif op == "cell_duplicate":
                cells.insert(k, cells[k])
            elif op == "cell_swap":
                m = draw(st.integers(0, len(cells) - 1))
                cells[k], cells[m] = cells[m], cells[k]
            elif op == "cell_replace":
                cells[k] = draw(
                    st.sampled_from(MARKUP) | st.text(max_size=12) | st.integers(-5, 5).map(str)
                )
            lines[i] = "|".join(cells)
    text = "\n".join(lines)
    if draw(st.booleans()):
        data = text.encode("utf-8")
        text = data[: draw(st.integers(0, len(data)))].decode("utf-8", errors="ignore")
    return text


# -- invariants ----------------------------------------------------------------------------------


def assert_sound(doc: ParsedDocument, text: str) -> None:
    """Every record refers to existing entities, with values in their domains."""
    n_lines = text.count("\n") + 1
    events, races = len(doc.events), len(doc.races)
    for event in doc.events:
        assert event.series in SERIES, event
        assert 1900 < event.season.start_year < 2100, event
        assert 1 <= event.line <= n_lines, event
    for race in doc.races:
        assert 0 <= race.event < events, race
        assert race.gender in GENDERS, race
        assert race.distance_m > 0, race
        assert race.race_no >= 1, race
        assert 0 <= race.line <= n_lines, race
    for placement in doc.placements:
        assert 0 <= placement.race < races, placement
        assert placement.rank is None or placement.rank > 0, placement
        assert placement.time_ms is None or placement.time_ms > 0, placement
        people = [*placement.members, *([placement.athlete] if placement.athlete else [])]
        for person in people:
            assert person.gender in GENDERS, person
            assert person.name.strip(), person
        assert 0 <= placement.line <= n_lines, placement
    for standing in doc.standings:
        assert standing.rank > 0, standing
        assert standing.gender in GENDERS, standing
        assert standing.series in SERIES, standing
        assert standing.classification, standing
        assert standing.points is None or standing.points >= 0, standing
    for note in doc.notes:
        assert 0 <= note.race < races, note
    for issue in doc.issues:
        assert issue.severity in SEVERITIES, issue
        assert issue.code and issue.message, issue
        assert issue.line is None or 0 <= issue.line <= n_lines + 1, issue
    assert CLASSIFICATIONS  # the vocabulary is importable; unusual ones are issues, not errors


def parse_or_refuse(text: str) -> ParsedDocument | None:
    try:
        doc = parse_document(text)
    except UnrecognisedDocument:
        return None
    assert not doc.is_empty
    assert_sound(doc, text)
    return doc


# -- the parser ----------------------------------------------------------------------------------


@settings(
    max_examples=PARSER_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated_document())
def test_parser_never_crashes_and_keeps_references(text: str) -> None:
    parse_or_refuse(text)


@settings(max_examples=PARSER_EXAMPLES // 3, deadline=None)
@given(st.text(max_size=400))
def test_parser_on_arbitrary_text(text: str) -> None:
    parse_or_refuse(text)


# -- the writer ----------------------------------------------------------------------------------


@pytest.fixture
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="skating-fuzz-") as folder:
        yield Path(folder)


CORRECTIONS = load_corrections(SEEDS / "corrections.toml")


def load_or_refuse(template: Path, folder: Path, data: bytes, name: str) -> None:
    """Load `data` as document `name` into a copy of the template database and check it."""
    db = folder / "skating.db"
    for stale in folder.glob("skating.db*"):
        stale.unlink()
    shutil.copy(template, db)
    url = f"sqlite:///{db}"
    path = folder / name
    path.write_bytes(data)
    before = snapshot(db)
    try:
        build.load(url, [path], CORRECTIONS)
    except UserError as exc:
        assert str(exc), "a refusal says why"
        assert snapshot(db) == before
        return
    assert check_database(url) == []


@settings(
    max_examples=DATABASE_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=mutated_document(), replace=st.booleans())
def test_load_succeeds_soundly_or_changes_nothing(
    template: Path, scratch: Path, text: str, replace: bool
) -> None:
    # Under a seed's own name the load replaces that source's facts; else it adds a new source.
    name = SEED_PATHS[0].name if replace else "fuzzed.txt"
    load_or_refuse(template, scratch, text.encode("utf-8"), name)


# -- the regression folder -------------------------------------------------------------------


REGRESSION_FILES = sorted(p for p in REGRESSIONS.glob("*.txt"))


@pytest.mark.parametrize("path", REGRESSION_FILES, ids=[p.stem for p in REGRESSION_FILES])
def test_regression_inputs(path: Path, template: Path, scratch: Path) -> None:
    data = path.read_bytes()
    parse_or_refuse(data.decode("utf-8", errors="replace"))
    load_or_refuse(template, scratch, data, path.name)


def test_fuzz_example_count() -> None:
    """The number of fuzz examples one CI run draws (for the issue's closing note)."""
    total = PARSER_EXAMPLES + PARSER_EXAMPLES // 3 + DATABASE_EXAMPLES
    print(f"fuzz examples per run: {total}")
    assert total >= 300
