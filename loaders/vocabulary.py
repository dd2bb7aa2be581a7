"""Words the loaders recognise, read once from `loaders/data/vocabulary.toml`."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import cast

from loaders.memo import text_cache
from loaders.records import Gender

_SPACE = re.compile(r"\s+")


@text_cache(limit=16384)
def fold(text: str) -> str:
    """Lower-case `text`, strip diacritics and collapse white space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", plain.casefold()).strip()


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """All word lists, folded, ready for dictionary look-ups."""

    months: dict[str, int]
    genders: dict[str, tuple[Gender, str]]
    medals: dict[str, int]
    relay_words: frozenset[str]
    distance_units: frozenset[str]
    columns: dict[str, str]
    languages: dict[str, str]
    series: dict[str, str]
    series_names: dict[str, str]
    winter_words: frozenset[str]
    sections: dict[str, frozenset[str]]
    statuses: frozenset[str]
    rounds: dict[str, str]
    marks: dict[str, str]
    not_awarded: frozenset[str]
    infobox: dict[str, str]
    arena_words: frozenset[str]
    series_filler: frozenset[str]  # words a series name may carry between its own
    arenas: dict[str, tuple[str, str | None]]  # folded arena -> (city, IOC code)


def _table(data: dict[str, object], key: str) -> dict[str, object]:
    return cast(dict[str, object], data.get(key, {}))


def _words(data: dict[str, object], key: str) -> frozenset[str]:
    return frozenset(fold(str(w)) for w in cast(list[object], _table(data, key).get("words", [])))


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary, loaded on first use."""
    raw = (resources.files("loaders") / "data" / "vocabulary.toml").read_text(encoding="utf-8")
    data = cast(dict[str, object], tomllib.loads(raw))
    genders: dict[str, tuple[Gender, str]] = {}
    for word, value in _table(data, "genders").items():
        gender, language = cast(list[str], value)
        genders[fold(word)] = (cast(Gender, gender), language)
    sections = {
        fold(k): frozenset(fold(w) for w in cast(list[str], v))
        for k, v in _table(data, "sections").items()
    }
    units = cast(list[str], _table(data, "distance").get("units", []))
    return Vocabulary(
        months={fold(k): int(cast(int, v)) for k, v in _table(data, "months").items()},
        genders=genders,
        medals={fold(k): int(cast(int, v)) for k, v in _table(data, "medals").items()},
        relay_words=_words(data, "relay"),
        distance_units=frozenset(fold(u) for u in units),
        columns={fold(k): str(v) for k, v in _table(data, "columns").items()},
        languages={fold(k): str(v) for k, v in _table(data, "languages").items()},
        series={phrase_key(k): str(v) for k, v in _table(data, "series").items()},
        series_names={k: str(v) for k, v in _table(data, "series_names").items()},
        winter_words=_words(data, "winter_games"),
        sections=sections,
        statuses=frozenset(s.upper() for s in _words(data, "statuses")),
        rounds={phrase_key(k): str(v) for k, v in _table(data, "rounds").items()},
        marks={str(k): str(v) for k, v in _table(data, "marks").items()},
        not_awarded=frozenset(phrase_key(w) for w in _words(data, "not_awarded")),
        infobox={fold(k): str(v) for k, v in _table(data, "infobox").items()},
        arena_words=_words(data, "arena_words"),
        series_filler=_words(data, "series_filler"),
        arenas=_arenas(),
    )


def _arenas() -> dict[str, tuple[str, str | None]]:
    """Known arenas (`loaders/data/arenas.tsv`: arena, city, nation), when the list exists."""
    path = resources.files("loaders") / "data" / "arenas.tsv"
    if not path.is_file():
        return {}
    arenas: dict[str, tuple[str, str | None]] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        cells = line.split("\t")
        if len(cells) >= 2 and cells[0].strip():
            arenas[fold(cells[0])] = (
                cells[1].strip(),
                (cells[2].strip() or None) if len(cells) > 2 else None,
            )
    return arenas


_WORD = re.compile(r"[^\W\d_]+(?:'s)?", re.UNICODE)


def words_of(text: str) -> list[str]:
    """The folded words of `text` (letters only; a trailing `'s` is kept)."""
    return _WORD.findall(fold(text).replace("\u2019", "'"))


def phrase_key(text: str) -> str:
    """`text` as space-delimited folded words, for whole-word phrase matching."""
    return " " + " ".join(words_of(text.replace("-", " ").replace("'", " "))) + " "


@lru_cache(maxsize=8192)
def gender_of(text: str) -> tuple[Gender, str] | None:
    """The gender (and its language) a heading such as `Men`, `Moški` or `Women's 500 m` names."""
    genders = vocabulary().genders
    folded = fold(text).replace("\u2019", "'")
    if folded in genders:
        return genders[folded]
    for word in words_of(folded):
        if word in genders:
            return genders[word]
    return None


@lru_cache(maxsize=8192)
def series_in(text: str) -> str | None:
    """The series code a text names (`European Championships` -> `european_championships`)."""
    vocab = vocabulary()
    folded = phrase_key(text)
    plain = " " + " ".join(w for w in folded.split() if w not in vocab.series_filler) + " "
    best: tuple[int, str] | None = None
    for probe, code in vocab.series.items():
        if (probe in folded or probe in plain) and (best is None or len(probe) > best[0]):
            best = (len(probe), code)
    return best[1] if best else None


@lru_cache(maxsize=8192)
def section_kind(text: str) -> str | None:
    """`events`, `standings`, `overall` or `ignored` when a heading names such a section."""
    folded = fold(text)
    words = set(words_of(text))
    for kind in ("ignored", "standings", "events", "overall"):
        for phrase in vocabulary().sections.get(kind, frozenset()):
            if (" " in phrase and phrase in folded) or phrase in words:
                return kind
    return None


@lru_cache(maxsize=8192)
def column_role(text: str) -> str | None:
    """The role of a header cell (`Time`, `Čas`, `Zeit` -> `time`)."""
    columns = vocabulary().columns
    folded = fold(text).strip(" .:'")
    if folded in columns:
        return columns[folded]
    for word in words_of(folded):
        if word in columns:
            return columns[word]
    return None


def language_of_header(cells: list[str]) -> str | None:
    """The language header cells are written in, when a word gives it away."""
    languages = vocabulary().languages
    for cell in cells:
        folded = fold(cell).strip(" .:'")
        if folded in languages:
            return languages[folded]
    return None


_NUMBER = re.compile(r"(?<![\d.,:])(\d{1,2})(?![\d.,:])")


@lru_cache(maxsize=8192)
def round_of(text: str) -> tuple[str, int | None] | None:
    """The round a heading or cell names, with its race number (`Heat 3` -> heat, 3)."""
    key = phrase_key(text)
    rounds = vocabulary().rounds
    found = [(len(p), p) for p in rounds if p in key]
    if not found:
        return None
    phrase = max(found)[1]
    number = _NUMBER.search(text)
    return rounds[phrase], int(number.group(1)) if number else None


def mark_of(text: str) -> str | None:
    """The stored form of a mark a source prints beside a result (`Q`, `ADV`, `OR`)."""
    marks = vocabulary().marks
    return marks.get(text) or marks.get(text.casefold())


def status_of(text: str) -> str | None:
    """The status a notes or time cell names (`PEN`, `DNF`), else None."""
    upper = text.upper().strip(" .()")
    return upper if upper in vocabulary().statuses else None


@text_cache(limit=16384)
def is_not_awarded(text: str) -> bool:
    """True when a cell says a medal was not given (`Not awarded`)."""
    key = phrase_key(text)
    return any(p in key for p in vocabulary().not_awarded)
