"""Look-ups in the vocabulary: the gender, series, section, column role, round, status or
mark that a heading, header cell or note names.

Each look-up is cached by its text; the probes they try (CJK keys, series and round
phrases) are sorted out of the vocabulary once, on first use.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from typing import TypeVar

from .memo import text_cache
from .records import Gender
from .vocabulary import (
    LANGUAGES,
    code_key,
    fold,
    is_cjk,
    phrase_key,
    round_key,
    vocabulary,
    words_of,
)

T = TypeVar("T")


@cache
def _cjk_keys(table: str) -> tuple[str, ...]:
    """The CJK keys of the vocabulary's `genders` or `columns`, in the vocabulary's order."""
    keys = vocabulary().genders if table == "genders" else vocabulary().columns
    return tuple(key for key in keys if is_cjk(key))


def _cjk_hit(folded: str, table: str) -> str | None:
    """The longest CJK key of the vocabulary's `table` that occurs anywhere in `folded`."""
    best: str | None = None
    for key in _cjk_keys(table):
        if key in folded and (best is None or len(key) > len(best)):
            best = key
    return best


def _lookup(folded: str, table: Mapping[str, T], cjk_table: str) -> T | None:
    """The value of a folded text in `table`: the whole text, else its first word that is
    a key, else the longest CJK key (of the vocabulary's `cjk_table`) it holds."""
    if folded in table:
        return table[folded]
    for word in words_of(folded):
        if word in table:
            return table[word]
    hit = _cjk_hit(folded, cjk_table) if is_cjk(folded) else None
    return table[hit] if hit else None


@lru_cache(maxsize=8192)
def gender_of(text: str) -> tuple[Gender, str] | None:
    """The gender (and its language) a heading such as `Men`, `Moški` or `Women's 500 m` names."""
    return _lookup(fold(text).replace("\u2019", "'"), vocabulary().genders, "genders")


@cache
def _series_probes() -> tuple[tuple[str, str, int, bool], ...]:
    """(text to find, series code, the phrase's length, whether it is CJK) per series phrase."""
    return tuple(
        (probe.strip() if is_cjk(probe) else probe, code, len(probe), is_cjk(probe))
        for probe, code in vocabulary().series.items()
    )


@cache
def _cjk_fillers() -> tuple[str, ...]:
    """The CJK filler words a series name may carry, longest first."""
    return tuple(f for f in sorted(vocabulary().series_filler, key=len, reverse=True) if is_cjk(f))


@lru_cache(maxsize=8192)
def series_in(text: str) -> str | None:
    """The series code a text names (`European Championships` -> `european_championships`)."""
    filler = vocabulary().series_filler
    folded = phrase_key(text)
    bare = " " + " ".join(w for w in folded.split() if w not in filler) + " "
    plain = fold(text)
    if is_cjk(plain):
        for word in _cjk_fillers():
            plain = plain.replace(word, "")
    best: tuple[int, str] | None = None
    for probe, code, length, cjk in _series_probes():
        hit = probe in plain if cjk else probe in folded or probe in bare
        if hit and (best is None or length > best[0]):
            best = (length, code)
    return best[1] if best else None


_SECTION_KINDS = ("ignored", "standings", "events", "overall")


@cache
def _section_phrases(kind: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """The phrases of a section kind found anywhere (several words, or CJK), and all of them
    (a one-word phrase matches a whole word)."""
    phrases = vocabulary().sections.get(kind, frozenset())
    return tuple(p for p in phrases if " " in p or is_cjk(p)), phrases


def _section_hit(text: str, kinds: tuple[str, ...]) -> str | None:
    folded = fold(text)
    words = set(words_of(text))
    for kind in kinds:
        anywhere, phrases = _section_phrases(kind)
        if not words.isdisjoint(phrases) or any(phrase in folded for phrase in anywhere):
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
    return _lookup(fold(text).strip(" .:'"), vocabulary().columns, "columns")


@lru_cache(maxsize=8192)
def column_role_in(text: str, language: str) -> str | None:
    """`column_role` read in one language first: Polish `Kraj` is a nation, Slovenian a place."""
    own = vocabulary().columns_by_language.get(language, {})
    folded = fold(text).strip(" .:'")
    if folded in own:
        return own[folded]
    return column_role(text)


def language_of_header(cells: Sequence[str]) -> str | None:
    """The language header cells are written in, when a word gives it away.

    The language most cells' words belong to wins (`Medaille | Name | Zeit` is German
    although `Name` is English too); on a tie, the first such cell's language."""
    return _header_language(tuple(cells))


@text_cache(limit=4096)
def _header_language(cells: tuple[str, ...]) -> str | None:
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


_NUMBER_AFTER = re.compile(r"\s*(?:#|no\.?|nr\.?|n°|№|第)?\s*(\d{1,2})(?!\d)")
_NUMBER_BEFORE = re.compile(r"(?:(?<![\d.])(\d{1,2})\.|第?(?<!\d)(\d{1,2})\s*[组組조])\s*$")


@cache
def _round_probes() -> tuple[tuple[str, str], ...]:
    """(text to find, round) per round phrase: CJK phrases anywhere, others as whole words."""
    return tuple(
        (key.strip() if is_cjk(key) else key, value) for key, value in vocabulary().rounds.items()
    )


@lru_cache(maxsize=8192)
def round_of(text: str) -> tuple[str, int | None] | None:
    """The round a heading or cell names and its heat/race number, if any.

    `Heat 3` -> ("heat", 3), `Final B` -> ("final_b", None), `준결승 2조` -> ("semifinal", 2).
    CJK words match anywhere; other words only whole. The longest phrase wins."""
    padded = round_key(text)
    best: tuple[int, int, str] | None = None
    for probe, value in _round_probes():
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
    return vocabulary().status_codes.get(code_key(text))


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
