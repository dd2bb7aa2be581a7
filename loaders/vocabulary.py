"""Words the loaders recognise, read once from `loaders/data/vocabulary/<language>.toml`.

One file per language, each with the same sections (`common.toml` holds the
language-independent codes). `vocabulary()` merges them; when two languages
spell a word alike, the language listed first in `LANGUAGES` keeps it.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import cast

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


Raw = dict[str, object]


def _table(data: Raw, key: str) -> Raw:
    return cast(Raw, data.get(key, {}))


def _list(data: Raw, key: str) -> list[str]:
    return [str(w) for w in cast(list[object], _table(data, key).get("words", []))]


def _read(name: str) -> Raw:
    path = DATA / "vocabulary" / f"{name}.toml"
    return cast(Raw, tomllib.loads(path.read_text(encoding="utf-8")))


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
            self.put("status_codes", _code_key(word), str(value))
        for word, value in _table(data, "marks").items():
            self.put("marks", word.strip(), str(value))
        for kind, words in _table(data, "sections").items():
            self.sections.setdefault(kind, set()).update(fold(w) for w in cast(list[str], words))
        sets = ("relay", "units", "winter_words", "range_words", "file_prefixes", "arena_words")
        for section in (*sets, "series_filler"):
            self.add(section, _list(data, section))
        self.add("not_awarded", _list(data, "not_awarded"))
        if data.get("decimal_comma"):
            self.decimal_comma.add(language)


def _code_key(text: str) -> str:
    """A status or mark cell as a look-up key (`Disq.` -> `disq`, `(DSQ)` -> `dsq`)."""
    return fold(text).strip(" .()[]*")


def _merged() -> _Merger:
    merger = _Merger()
    for language in LANGUAGES:
        merger.read(language, _read(language))
    merger.read("", _read("common"))
    return merger


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary, loaded on first use."""
    common = _read("common")
    m = _merged()
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
        rounds={_round_key(k): str(v) for k, v in maps["rounds"].items()},
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
    )


_WORD = re.compile(r"[^\W\d_]+(?:'s)?", re.UNICODE)


def words_of(text: str) -> list[str]:
    """The folded words of `text` (letters only; a trailing `'s` is kept)."""
    return _WORD.findall(fold(text).replace("\u2019", "'"))


def phrase_key(text: str) -> str:
    """`text` as space-delimited folded words, for whole-word phrase matching."""
    return " " + " ".join(words_of(text.replace("-", " ").replace("'", " "))) + " "


def _cjk_hit(folded: str, table: dict[str, str] | dict[str, tuple[Gender, str]]) -> str | None:
    """The longest CJK key of `table` that occurs anywhere in `folded`."""
    best: str | None = None
    for key in table:
        if is_cjk(key) and key in folded and (best is None or len(key) > len(best)):
            best = key
    return best


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
    hit = _cjk_hit(folded, genders) if is_cjk(folded) else None
    return genders[hit] if hit else None


@lru_cache(maxsize=8192)
def series_in(text: str) -> str | None:
    """The series code a text names (`European Championships` -> `european_championships`)."""
    vocab = vocabulary()
    folded = phrase_key(text)
    bare = " " + " ".join(w for w in folded.split() if w not in vocab.series_filler) + " "
    plain = fold(text)
    if is_cjk(plain):
        for filler in sorted(vocab.series_filler, key=len, reverse=True):  # longest first
            plain = plain.replace(filler, "") if is_cjk(filler) else plain
    best: tuple[int, str] | None = None
    for probe, code in vocab.series.items():
        hit = probe.strip() in plain if is_cjk(probe) else probe in folded or probe in bare
        if hit and (best is None or len(probe) > best[0]):
            best = (len(probe), code)
    return best[1] if best else None


_SECTION_KINDS = ("ignored", "standings", "events", "overall")


def _section_hit(text: str, kinds: tuple[str, ...]) -> str | None:
    folded = fold(text)
    words = set(words_of(text))
    for kind in kinds:
        for phrase in vocabulary().sections.get(kind, frozenset()):
            if ((" " in phrase or is_cjk(phrase)) and phrase in folded) or phrase in words:
                return kind
    return None


@lru_cache(maxsize=8192)
def section_kind(text: str) -> str | None:
    """`events`, `standings`, `overall` or `ignored` when a heading names such a section."""
    return _section_hit(text, _SECTION_KINDS)


@lru_cache(maxsize=8192)
def heading_kind(text: str) -> str | None:
    """Like `section_kind`, and also `medal_table` or `records` (checked first)."""
    return _section_hit(text, ("medal_table", "records", *_SECTION_KINDS))


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
    hit = _cjk_hit(folded, columns) if is_cjk(folded) else None
    return columns[hit] if hit else None


@lru_cache(maxsize=8192)
def column_role_in(text: str, language: str) -> str | None:
    """`column_role` read in one language first: Polish `Kraj` is a nation, Slovenian a place."""
    own = vocabulary().columns_by_language.get(language, {})
    folded = fold(text).strip(" .:'")
    if folded in own:
        return own[folded]
    return column_role(text)


def language_of_header(cells: list[str]) -> str | None:
    """The language header cells are written in, when a word gives it away.

    The language most cells' words belong to wins (`Medaille | Name | Zeit` is German
    although `Name` is English too); on a tie, the first such cell's language."""
    vocab = vocabulary()
    keys = [k for k in (fold(cell).strip(" .:'") for cell in cells) if k in vocab.languages]
    if not keys:
        return None
    votes: dict[str, int] = {}
    for key in keys:
        for language in vocab.word_languages[key]:
            votes[language] = votes.get(language, 0) + 1
    most = max(votes.values())
    for key in keys:
        first = vocab.languages[key]
        if votes[first] == most:
            return first
        tied = sorted(lang for lang in vocab.word_languages[key] if votes[lang] == most)
        if tied:
            return min(tied, key=LANGUAGES.index)
    return None


def _round_key(text: str) -> str:
    """A round phrase with punctuation as spaces, padded for whole-word search."""
    return " " + " ".join(_ROUND_PUNCT.sub(" ", fold(text)).split()) + " "


_ROUND_PUNCT = re.compile(r"[\-\u2010-\u2015_:;,()\[\]'\u2019\"]")
_NUMBER_AFTER = re.compile(r"\s*(?:#|no\.?|nr\.?|n°|№|第)?\s*(\d{1,2})(?!\d)")
_NUMBER_BEFORE = re.compile(r"(?:(?<![\d.])(\d{1,2})\.|第?(?<!\d)(\d{1,2})\s*[组組조])\s*$")


@lru_cache(maxsize=8192)
def round_of(text: str) -> tuple[str, int | None] | None:
    """The round a heading or cell names and its heat/race number, if any.

    `Heat 3` -> ("heat", 3), `Final B` -> ("final_b", None), `준결승 2조` -> ("semifinal", 2).
    CJK words match anywhere; other words only whole. The longest phrase wins."""
    padded = _round_key(text)
    best: tuple[int, int, str] | None = None
    for key, value in vocabulary().rounds.items():
        probe = key.strip() if is_cjk(key) else key
        at = padded.find(probe)
        if at >= 0 and (best is None or len(probe) > best[1] - best[0]):
            best = (at, at + len(probe), value)
    if best is None:
        return None
    start, end, value = best
    after = _NUMBER_AFTER.match(padded, end - 1 if padded[end - 1] == " " else end)
    if after and not _is_date_after(padded[after.end() :]):
        return value, int(after.group(1))
    before = _NUMBER_BEFORE.search(padded[:start])
    if before:
        return value, int(before.group(1) or before.group(2))
    return value, None


def _is_date_after(rest: str) -> bool:
    """True when a number is a day of the month (`Final 9 November`), not a heat number."""
    words = rest.split(maxsplit=1)
    return bool(words) and words[0].strip(".") in vocabulary().months


@text_cache(limit=4096)
def status_of(text: str) -> str | None:
    """The status (`DQ`, `PEN`, `YC`, `DNF`, `DNS`) a cell such as `disq.` or `失格` names."""
    return vocabulary().status_codes.get(_code_key(text))


@text_cache(limit=4096)
def mark_of(text: str) -> str | None:
    """The mark (`Q`, `q`, `ADV`, `OR` …) a cell or note such as `(Q)` names; `Q`/`q` keep case."""
    marks = vocabulary().marks
    key = text.strip().strip(" .()[]*")
    if key in marks:
        return marks[key]
    return marks.get(key.upper()) if len(key) > 1 else None


def marks_in(text: str) -> tuple[str, ...] | None:
    """All marks of a cell such as `Q, OR` (None when any part is not a mark)."""
    parts = [p for p in re.split(r"[\s,;/]+", text.strip()) if p]
    found = tuple(mark_of(p) for p in parts)
    if not parts or any(m is None for m in found):
        return None
    return tuple(m for m in found if m is not None)


@text_cache(limit=16384)
def is_not_awarded(text: str) -> bool:
    """True when a cell says a medal was not given (`Not awarded`, `nicht vergeben`)."""
    folded = fold(text)
    return any(phrase in folded for phrase in vocabulary().not_awarded)
