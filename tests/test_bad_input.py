"""Every bad input gets a clear answer through the CLI, and the database stays as it was.

Each case either loads what is sound (with `data_issues` rows for the rest) or is refused
with one sentence naming the file (and line), a non-zero exit, no traceback, and the
database unchanged: same table counts, same `podiums` checksum, same bytes on disk.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from skating_db.cli import cli
from tests.helpers import ERROR_FORM, SEEDS
from tests.helpers import snapshot as table_snapshot  # plus the file's bytes, below

SEED_000 = SEEDS / "000_13be0ce3a66683ec.txt"
SEED_001 = SEEDS / "001_31e08c3cd8efef29.txt"
SEED_002 = SEEDS / "002_3564ec39acb5fb71.txt"
UNREACHABLE_PG = "postgresql+psycopg://nobody@127.0.0.1:1/x"
MB = 1024 * 1024


# -- helpers -------------------------------------------------------------------------------


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)


def output_of(result: Result) -> str:
    return result.output + (result.stderr if result.stderr not in result.output else "")


def assert_one_sentence(result: Result, *names: str, line: int | None = None) -> str:
    """A refusal: non-zero exit, no traceback, one `Error:` sentence naming `names` (and line)."""
    out = output_of(result)
    assert result.exit_code != 0, out
    assert not isinstance(result.exception, AssertionError)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in out
    errors = [row for row in out.splitlines() if row.startswith("Error: ")]
    assert len(errors) == 1, out
    message = errors[0]
    assert ERROR_FORM.match(message), message
    assert message.endswith("."), message
    assert len(message) < 400, message
    for name in names:
        assert name in message, (name, message)
    if line is not None:
        assert f"line {line}" in message, message
    return message


def snapshot(db: Path) -> tuple[dict[str, int], str, str]:
    """Table counts, a checksum of `podiums`, and the file's bytes."""
    counts, podiums = table_snapshot(db)
    return counts, podiums, hashlib.sha256(db.read_bytes()).hexdigest()


def issues_of(db: Path, source: str) -> set[tuple[int | None, str]]:
    con = sqlite3.connect(db)
    try:
        found = con.execute(
            "SELECT i.line, i.code FROM data_issues i JOIN sources s ON s.id = i.source_id"
            " WHERE s.name = ?",
            (source,),
        ).fetchall()
    finally:
        con.close()
    return {(line, code) for line, code in found}


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# -- documents that are refused --------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    make: Callable[[Path], Path]
    says: tuple[str, ...] = ()  # words the sentence must hold (besides the file name)
    line: int | None = None


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _seed_bytes(seed: Path = SEED_000) -> bytes:
    return seed.read_bytes()


def _missing(folder: Path) -> Path:
    return folder / "no_such_document.txt"


def _folder(folder: Path) -> Path:
    path = folder / "a_folder"
    path.mkdir()
    return path


def _garbage(folder: Path) -> Path:
    data = bytes((i * 7919 + 13) % 255 + 1 for i in range(4096))  # no NUL, not UTF-8
    path = folder / "garbage.bin"
    path.write_bytes(data)
    return path


def _big_binary(folder: Path) -> Path:
    block = bytes((i * 7919 + 13) % 255 + 1 for i in range(MB))
    path = folder / "video.txt"
    with path.open("wb") as handle:
        for _ in range(50):
            handle.write(block)
    return path


def _latin1(folder: Path) -> Path:
    text = SEED_000.read_text(encoding="utf-8").replace("–", "-")
    path = folder / "latin1.txt"
    path.write_bytes(text.encode("latin-1"))
    return path


def _nul_bytes(folder: Path) -> Path:
    lines = _seed_bytes().split(b"\n")
    lines[6] = lines[6] + b"\x00\x00"
    path = folder / "nul.txt"
    path.write_bytes(b"\n".join(lines))
    return path


def _utf16(encoding: str) -> Callable[[Path], Path]:
    return _write(f"{encoding}.txt", SEED_001.read_text(encoding="utf-8").encode(encoding))


def _header_only_wikitable(folder: Path) -> Path:
    text = (
        '== Men ==\n=== 500 m ===\n{| class="wikitable"\n|- bgcolor="#efefef"\n'
        "| '''Medal'''\n| '''Athlete'''\n| '''Time'''\n|}\n"
    )
    path = folder / "header_only.txt"
    path.write_text(text, encoding="utf-8")
    return path


PROSE = (
    "Dear aunt Mary,\n\nThe weather in Calgary was lovely this week and the ice was fast.\n"
    "We went to the rink twice; see you at Christmas.\n"
)
HTML = "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n<body>Not found</body>\n"

REFUSED = {
    "missing-path": Refused(_missing, ("no such file",)),
    "folder": Refused(_folder, ("folder",)),
    "empty-file": Refused(_write("empty.txt", b""), ("empty",)),
    "white-space-only": Refused(_write("blank.txt", b"  \n\t\r\n \n"), ("empty",)),
    "utf8-bom-only": Refused(_write("bom_only.txt", b"\xef\xbb\xbf\n"), ("empty",)),
    "binary-garbage": Refused(_garbage, ("not UTF-8", "binary"), line=1),
    "binary-with-nul": Refused(
        _write("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ("NUL",)
    ),
    "utf16-bom": Refused(_utf16("utf-16"), ("UTF-16",)),
    "utf16-le-no-bom": Refused(_utf16("utf-16-le"), ("UTF-16",)),
    "utf16-be-no-bom": Refused(_utf16("utf-16-be"), ("UTF-16",)),
    "latin1-accents": Refused(_latin1, ("not UTF-8", "Latin-1"), line=28),
    "nul-bytes": Refused(_nul_bytes, ("NUL",), line=7),
    "50mb-binary": Refused(_big_binary, ("not UTF-8",)),
    "prose": Refused(_write("letter.txt", PROSE.encode()), ("no loader recognises",)),
    "html-page": Refused(_write("page.html", HTML.encode()), ("no loader recognises",)),
    "header-only-table": Refused(_header_only_wikitable, ("no recognisable result",)),
}


@pytest.mark.parametrize("case", REFUSED.values(), ids=list(REFUSED))
def test_bad_document_is_refused(case: Refused, db: Path, tmp_path: Path) -> None:
    before = snapshot(db)
    path = case.make(tmp_path)
    started = time.monotonic()
    result = invoke("load", path, "--db", db)
    assert time.monotonic() - started < 120
    assert_one_sentence(result, path.name, *case.says, line=case.line)
    assert snapshot(db) == before
    assert not (db.parent / f"{db.name}-journal").exists()


IN_SEEDS = {k: v for k, v in REFUSED.items() if k not in ("missing-path", "folder", "50mb-binary")}


@pytest.mark.parametrize("case", IN_SEEDS.values(), ids=list(IN_SEEDS))
def test_bad_document_in_seeds_fails_the_rebuild(case: Refused, db: Path, tmp_path: Path) -> None:
    """A rebuild over a folder holding the bad document fails and keeps the old database."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    path = case.make(seeds)
    before = snapshot(db)
    result = invoke("rebuild", "--seeds", seeds, "--db", db)
    assert_one_sentence(result, path.name, *case.says, line=case.line)
    assert snapshot(db) == before
    assert not list(db.parent.glob(".*.building-*"))


# -- documents that load what is sound --------------------------------------------------------


def test_utf8_bom_crlf_and_cr_load_the_same_facts_as_plain_utf8(tmp_path: Path) -> None:
    text = SEED_000.read_text(encoding="utf-8")
    variants = {
        "plain": text.encode(),
        "bom": b"\xef\xbb\xbf" + text.encode(),
        "crlf": text.replace("\n", "\r\n").encode(),
        "cr": text.replace("\n", "\r").encode(),
        "bom-crlf": b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(),
    }
    facts = {}
    for label, data in variants.items():
        folder = tmp_path / label
        folder.mkdir()
        doc = folder / SEED_000.name  # same name: the same source identity
        doc.write_bytes(data)
        db = folder / "skating.db"
        result = invoke("load", doc, "--db", db)
        assert result.exit_code == 0, output_of(result)
        con = sqlite3.connect(db)
        podiums = con.execute(
            "SELECT season, event, race_date, gender, distance_m, race_no, rank, athlete, nation,"
            " time_ms, source, source_line FROM podiums ORDER BY source_line, rank"
        ).fetchall()
        issues = con.execute("SELECT line, code FROM data_issues ORDER BY line, code").fetchall()
        standings = con.execute("SELECT COUNT(*) FROM standings").fetchone()
        con.close()
        assert podiums
        facts[label] = (podiums, issues, standings)
    for label, found in facts.items():
        assert found == facts["plain"], label


@dataclass(frozen=True)
class Loads:
    seed: Path
    old: str
    new: str
    codes: tuple[str, ...]  # an issue with one of these codes on the line of `new`


LOADS = {
    "more-cells-than-header": Loads(
        SEED_001,
        "| 18 October 2002 | KOR Chuncheon | 1500m | KOR Ahn Hyun-soo | ITA Fabio Carta |"
        " KOR Oh Se-jong |",
        "| 18 October 2002 | KOR Chuncheon | 1500m | KOR Ahn Hyun-soo | ITA Fabio Carta |"
        " KOR Oh Se-jong | extra | more |",
        ("row_width_mismatch",),
    ),
    "fewer-cells-than-header": Loads(
        SEED_001,
        "| 18 October 2002 | KOR Chuncheon | 1500m | KOR Ahn Hyun-soo | ITA Fabio Carta |"
        " KOR Oh Se-jong |",
        "| 18 October 2002 | KOR Chuncheon | 1500m |",
        ("row_width_mismatch",),
    ),
    "31-february": Loads(
        SEED_001,
        "| 18 October 2002 | KOR Chuncheon | 1500m |",
        "| 31 February 2003 | KOR Chuncheon | 1500m |",
        ("bad_date", "row_without_event", "row_not_understood"),
    ),
    "negative-time": Loads(SEED_002, "| 49.994", "| -49.994", ("bad_time",)),
    "absurd-time": Loads(SEED_002, "| 1:29.109", "| 999:99.999", ("bad_time",)),
    "implausible-long-time": Loads(SEED_002, "| 2:18.541", "| 99:59.999", ("bad_time",)),
    "rank-zero": Loads(
        SEED_000, "| 1 | KOR Kim Dong-Sung | 99 |", "| 0 | KOR Kim Dong-Sung | 99 |", ("rank_zero",)
    ),
    "million-character-line": Loads(
        SEED_001,
        "The World Cup consisted of six tournaments in this season.",
        "The World Cup consisted of six tournaments in this season." + " skate" * 170_000,
        (),
    ),
}


@pytest.mark.parametrize("case", LOADS.values(), ids=list(LOADS))
def test_flawed_document_loads_what_is_sound(case: Loads, db: Path, tmp_path: Path) -> None:
    text = case.seed.read_text(encoding="utf-8")
    assert case.old in text
    flawed = text.replace(case.old, case.new, 1)
    path = tmp_path / f"flawed_{case.seed.name}"
    path.write_text(flawed, encoding="utf-8")
    before, _, _ = snapshot(db)
    started = time.monotonic()
    result = invoke("load", path, "--db", db)
    assert time.monotonic() - started < 60
    out = output_of(result)
    assert result.exit_code == 0, out
    assert "Traceback" not in out
    after, _, _ = snapshot(db)
    assert after["sources"] == before["sources"] + 1
    if case.codes:
        line = line_of(flawed, case.new)
        found = issues_of(db, path.name)
        assert any((line, code) in found for code in case.codes), (line, sorted(found))
    problems = invoke("check", "--db", db)
    assert problems.exit_code == 0, output_of(problems)


def test_date_that_does_not_exist_is_named_as_a_bad_date(db: Path, tmp_path: Path) -> None:
    case = LOADS["31-february"]
    flawed = case.seed.read_text(encoding="utf-8").replace(case.old, case.new, 1)
    path = tmp_path / "feb31.txt"
    path.write_text(flawed, encoding="utf-8")
    assert invoke("load", path, "--db", db).exit_code == 0
    assert (line_of(flawed, case.new), "bad_date") in issues_of(db, path.name)


def test_50_mb_document_finishes_and_loads_what_is_sound(db: Path, tmp_path: Path) -> None:
    """A 50 MB text file (a results page with an enormous appendix of prose) loads quickly."""
    path = tmp_path / "huge.txt"
    filler = ("The crowd was large and the ice was fast that winter, everyone agreed. " * 4) + "\n"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(SEED_001.read_text(encoding="utf-8") + "\n")
        handle.write(filler * (50 * MB // len(filler) + 1))
    assert path.stat().st_size >= 50 * MB
    before, _, _ = snapshot(db)
    started = time.monotonic()
    result = invoke("load", path, "--db", db)
    assert time.monotonic() - started < 120
    assert result.exit_code == 0, output_of(result)
    after, _, _ = snapshot(db)
    assert after["sources"] == before["sources"] + 1


# -- bad databases and bad SQL ------------------------------------------------------------------


def _not_a_database(folder: Path) -> str:
    path = folder / "notes.db"
    path.write_text("This is my shopping list, not a database.\n" * 20, encoding="utf-8")
    return str(path)


def _db_in_missing_folder(folder: Path) -> str:
    return str(folder / "no" / "such" / "folder" / "skating.db")


def _db_is_a_folder(folder: Path) -> str:
    path = folder / "dbfolder"
    path.mkdir()
    return str(path)


BAD_DBS: dict[str, tuple[Callable[[Path], str], str]] = {
    "db-in-missing-folder": (_db_in_missing_folder, "folder"),
    "db-not-a-database": (_not_a_database, "notes.db"),
    "db-is-a-folder": (_db_is_a_folder, "dbfolder"),
    "db-unreachable-postgres": (lambda _f: UNREACHABLE_PG, "127.0.0.1"),
    "db-unknown-url-scheme": (lambda _f: "mongodb://127.0.0.1/x", "mongodb"),
    "db-postgres-without-driver": (lambda _f: "postgresql://nobody@127.0.0.1:1/x", "psycopg"),
}
COMMANDS = {
    "load": ("load", str(SEED_000)),
    "query": ("query", "select count(*) from placements"),
    "check": ("check",),
    "issues": ("issues",),
    "migrate": ("migrate",),
    "rebuild": ("rebuild",),
}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=list(COMMANDS))
@pytest.mark.parametrize("bad", BAD_DBS.values(), ids=list(BAD_DBS))
def test_bad_db_is_one_sentence(
    bad: tuple[Callable[[Path], str], str], command: tuple[str, ...], tmp_path: Path
) -> None:
    make, named = bad
    target = make(tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    content = Path(target).read_bytes() if Path(target).is_file() else None
    started = time.monotonic()
    result = invoke(*command, "--db", target)
    assert time.monotonic() - started < 60
    assert_one_sentence(result, named)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    if content is not None:
        assert Path(target).read_bytes() == content


def test_rebuild_refuses_to_overwrite_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    target = _not_a_database(tmp_path)
    content = Path(target).read_bytes()
    result = invoke("rebuild", "--db", target)
    assert Path(target).read_bytes() == content
    assert_one_sentence(result, "notes.db")


BAD_SQL = {
    "syntax-error": "selec 1 from placements",
    "no-such-table": "select * from no_such_table",
    "no-such-column": "select no_such_column from placements",
    "two-statements": "select 1; select 2",
    "unknown-function": "select no_such_function(1)",
}


@pytest.mark.parametrize("sql", BAD_SQL.values(), ids=list(BAD_SQL))
def test_bad_sql_is_one_sentence(sql: str, db: Path) -> None:
    before = snapshot(db)
    assert_one_sentence(invoke("query", sql, "--db", db), "SQL")
    assert snapshot(db) == before


def test_query_on_missing_database_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "absent.db"
    assert_one_sentence(invoke("query", "select 1", "--db", target), "absent.db")
    assert not target.exists()


def test_rebuild_with_missing_seeds_folder_keeps_the_database(db: Path, tmp_path: Path) -> None:
    before = snapshot(db)
    result = invoke("rebuild", "--seeds", tmp_path / "nowhere", "--db", db)
    assert_one_sentence(result, "nowhere")
    assert snapshot(db) == before


def test_refused_load_does_not_record_an_empty_source(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "letter.txt"
    path.write_text(PROSE, encoding="utf-8")
    assert invoke("load", path, "--db", db).exit_code != 0
    con = sqlite3.connect(db)
    names = {n for (n,) in con.execute("SELECT name FROM sources")}
    con.close()
    assert "letter.txt" not in names


def test_distinct_bad_inputs_count() -> None:
    """The number of distinct bad inputs this file tries (for the issue's closing note)."""
    total = len(REFUSED) + len(LOADS) + len(BAD_DBS) + len(BAD_SQL) + 3  # BOM, CRLF, CR
    total += 3  # 50 MB text, rebuild onto a non-database, a missing seeds folder
    print(f"distinct bad inputs: {total}")
    assert total >= 40
