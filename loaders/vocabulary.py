"""Words the loaders recognise, read once from `loaders/data/vocabulary/<language>.toml`.

One file per language, each with the same sections (`common.toml` holds the
language-independent codes). `vocabulary()` merges them; when two languages
spell a word alike, the language listed first in `LANGUAGES` keeps it. The merged
result is kept in the user's cache folder, under a hash of the files and of this
module: reading it takes a millisecond, merging thirty (a tenth of a one-document load).
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import sys
import unicodedata
from functools import cache
from pathlib import Path
from typing import NamedTuple, cast

from . import DATA
from .memo import text_cache
from .records import Gender

# Merge order: the first language that lists a word gives its value and language.
LANGUAGES = ("en", "sl", "de", "fr", "nl", "it", "es", "hu", "cs", "pl", "ru", "zh", "ja", "ko")

# Letters NFKD leaves whole, after casefold (`Ł` is `ł` by then; `ß` is already `ss`).
_LETTERS = {
    "ł": "l",
    "ø": "o",
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "\u0131": "i",  # dotless i
}


class _FoldTable(dict[int, str | None]):
    """`str.translate` table that drops combining marks and spells out `_LETTERS`,
    filled per character on first sight (a C-level dict look-up afterwards)."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        value = None if unicodedata.combining(char) else _LETTERS.get(char, char)
        self[code] = value
        return value


_TABLE = _FoldTable()
# Kana and Hangul: NFKD would split `ダ` into `タ` + a mark and `한` into jamo, so they are
# composed (NFKC) instead of stripped.
_KANA_HANGUL = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\uac00-\ud7af\uff65-\uff9f]+")
_CJK = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff65-\uff9f]")


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text).casefold().translate(_TABLE)


@text_cache(limit=16384)
def fold(text: str) -> str:
    """THE text key: NFKD without combining marks, casefolded, `ł ø ß æ œ đ ð þ` and the
    dotless i spelled out in ASCII, white space collapsed. Kana and Hangul stay composed."""
    if text.isascii():
        return " ".join(text.lower().split())
    if max(text) < "\u1100" or _KANA_HANGUL.search(text) is None:
        return " ".join(_plain(text).split())
    parts: list[str] = []
    end = 0
    for match in _KANA_HANGUL.finditer(text):
        parts.append(_plain(text[end : match.start()]))
        parts.append(unicodedata.normalize("NFKC", match.group()))
        end = match.end()
    parts.append(_plain(text[end:]))
    return " ".join("".join(parts).split())


def is_cjk(text: str) -> bool:
    """True when `text` holds a Chinese, Japanese or Korean character (matched as a substring)."""
    return _CJK.search(text) is not None


class Vocabulary(NamedTuple):
    """All word lists, folded, ready for dictionary look-ups (a named tuple: a dataclass of
    this many fields costs several milliseconds to define, at every start)."""

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
    # Added with the one-file-per-language data.
    rounds: dict[str, str]
    marks: dict[str, str]
    status_codes: dict[str, str]
    range_words: frozenset[str]
    file_prefixes: frozenset[str]
    not_awarded: frozenset[str]
    infobox: dict[str, str]
    date_marks: dict[str, str]
    decimal_comma: frozenset[str]
    word_languages: dict[str, frozenset[str]]
    columns_by_language: dict[str, dict[str, str]]
    arena_words: frozenset[str]
    series_filler: frozenset[str]  # words a series name may carry between its own
    infobox_markup: frozenset[str]  # a `{| class=…` table's or `{{…` template's infobox words


Raw = dict[str, object]


def _table(data: Raw, key: str) -> Raw:
    return cast(Raw, data.get(key, {}))


def _list(data: Raw, key: str) -> list[str]:
    return [str(w) for w in cast(list[object], _table(data, key).get("words", []))]


def _read(text: str) -> Raw:
    import tomllib  # only when the vocabulary is merged anew

    return cast(Raw, tomllib.loads(text))


class _Merger:
    """Collects every language file's sections; the first language to list a word keeps it."""

    def __init__(self) -> None:
        self.maps: dict[str, dict[str, object]] = {}
        self.sets: dict[str, set[str]] = {}
        self.languages: dict[str, str] = {}
        self.language_sets: dict[str, set[str]] = {}
        self.genders: dict[str, tuple[Gender, str]] = {}
        self.sections: dict[str, set[str]] = {}
        self.decimal_comma: set[str] = set()
        self.columns_by_language: dict[str, dict[str, str]] = {}

    def put(self, section: str, key: str, value: object) -> None:
        self.maps.setdefault(section, {}).setdefault(key, value)

    def add(self, section: str, words: list[str]) -> None:
        self.sets.setdefault(section, set()).update(fold(w) for w in words)

    def read(self, language: str, data: Raw) -> None:
        for section in ("months", "medals", "columns", "infobox"):
            for word, value in _table(data, section).items():
                self.put(section, fold(word), value)
                if section in ("columns", "medals"):
                    self.languages.setdefault(fold(word), language)
                    self.language_sets.setdefault(fold(word), set()).add(language)
        own = {fold(k): str(v) for k, v in _table(data, "columns").items()}
        self.columns_by_language[language] = own
        for section in ("rounds", "series"):
            for word, value in _table(data, section).items():
                self.put(section, word, value)
        for word, value in _table(data, "genders").items():
            self.genders.setdefault(fold(word), (cast(Gender, value), language))
        for word, value in _table(data, "date_marks").items():
            self.put("date_marks", str(value), word)
        for word, value in _table(data, "statuses").items():
            self.put("status_codes", code_key(word), str(value))
        for word, value in _table(data, "marks").items():
            self.put("marks", word.strip(), str(value))
        for kind, words in _table(data, "sections").items():
            self.sections.setdefault(kind, set()).update(fold(w) for w in cast(list[str], words))
        sets = ("relay", "units", "winter_words", "range_words", "file_prefixes", "arena_words")
        for section in (*sets, "series_filler", "infobox_markup"):
            self.add(section, _list(data, section))
        self.add("not_awarded", _list(data, "not_awarded"))
        if data.get("decimal_comma"):
            self.decimal_comma.add(language)


def code_key(text: str) -> str:
    """A status or mark cell as a look-up key (`Disq.` -> `disq`, `(DSQ)` -> `dsq`)."""
    return fold(text).strip(" .()[]*")


def _merged(texts: dict[str, str], common: Raw) -> _Merger:
    merger = _Merger()
    for language in LANGUAGES:
        merger.read(language, _read(texts[language]))
    merger.read("", common)
    return merger


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary, loaded on first use: from the cache when it was merged from these
    very files by this very code, else merged and cached."""
    texts = {n: (DATA / "vocabulary" / f"{n}.toml").read_text("utf-8") for n in SOURCES}
    key = _key(texts)
    found = _cached(key)
    if found is not None:
        return found
    merged = _vocabulary(texts)
    _keep(key, merged)
    return merged


SOURCES = (*LANGUAGES, "common")
CACHE_FORMAT = 1  # raised when what is kept changes shape


def _key(texts: dict[str, str]) -> bytes:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(f"{CACHE_FORMAT} {sys.version_info[:2]}".encode())
    for name, text in texts.items():
        digest.update(f"\0{name}\0{len(text)}\0".encode() + text.encode("utf-8"))
    return digest.digest()


def cache_file() -> Path | None:
    """Where the merged vocabulary is kept: $XDG_CACHE_HOME/skating-db, else ~/.cache."""
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(root) / "skating-db"
    return folder / "vocabulary.marshal" if folder.is_absolute() else None


def _cached(key: bytes) -> Vocabulary | None:
    """The kept vocabulary if it was kept under `key`; None if absent, stale or unreadable."""
    path = cache_file()
    try:
        if path is None:
            return None
        kept_key, values = marshal.loads(path.read_bytes())
        return Vocabulary(*values) if kept_key == key else None
    except (OSError, EOFError, ValueError, TypeError):
        return None


def _keep(key: bytes, merged: Vocabulary) -> None:
    """Keep `merged` for the next process (atomically; a folder we may not write is fine)."""
    path = cache_file()
    if path is None:
        return
    import tempfile

    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".vocabulary-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps((key, tuple(merged))))
            os.replace(temp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)


def _vocabulary(texts: dict[str, str]) -> Vocabulary:
    """The files' words merged, folded and typed."""
    common = _read(texts["common"])
    m = _merged(texts, common)
    maps = m.maps
    return Vocabulary(
        months={k: int(cast(int, v)) for k, v in maps["months"].items()},
        genders=m.genders,
        medals={k: int(cast(int, v)) for k, v in maps["medals"].items()},
        relay_words=frozenset(m.sets["relay"]),
        distance_units=frozenset(m.sets["units"]),
        columns={k: str(v) for k, v in maps["columns"].items()},
        languages=m.languages,
        series={phrase_key(k): str(v) for k, v in maps["series"].items()},
        series_names={k: str(v) for k, v in _table(common, "series_names").items()},
        winter_words=frozenset(m.sets["winter_words"]),
        sections={k: frozenset(v) for k, v in m.sections.items()},
        statuses=frozenset(s.upper() for s in _list(common, "legacy_statuses")),
        rounds={round_key(k): str(v) for k, v in maps["rounds"].items()},
        marks={k: str(v) for k, v in maps["marks"].items()},
        status_codes={k: str(v) for k, v in maps["status_codes"].items()},
        range_words=frozenset(m.sets["range_words"]),
        file_prefixes=frozenset(m.sets["file_prefixes"]),
        not_awarded=frozenset(m.sets["not_awarded"]),
        infobox={k: str(v) for k, v in maps["infobox"].items()},
        date_marks={k: str(v) for k, v in maps["date_marks"].items()},
        decimal_comma=frozenset(m.decimal_comma),
        word_languages={w: frozenset(s) for w, s in m.language_sets.items()},
        columns_by_language=m.columns_by_language,
        arena_words=frozenset(m.sets.get("arena_words", set())),
        series_filler=frozenset(m.sets.get("series_filler", set())),
        infobox_markup=frozenset(m.sets.get("infobox_markup", set())),
    )


_WORD = re.compile(r"[^\W\d_]+(?:'s)?", re.UNICODE)


def words_of(text: str) -> list[str]:
    """The folded words of `text` (letters only; a trailing `'s` is kept)."""
    return _WORD.findall(fold(text).replace("\u2019", "'"))


def phrase_key(text: str) -> str:
    """`text` as space-delimited folded words, for whole-word phrase matching."""
    return " " + " ".join(words_of(text.replace("-", " ").replace("'", " "))) + " "


def round_key(text: str) -> str:
    """A round phrase with punctuation as spaces, padded for whole-word search."""
    return " " + " ".join(ROUND_PUNCT.sub(" ", fold(text)).split()) + " "


ROUND_PUNCT = re.compile(r"[\-\u2010-\u2015_:;,()\[\]'\u2019\"]")
