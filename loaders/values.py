"""Cell value parsers: dates and date ranges, distances, times, ranks and medal words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .memo import text_cache
from .vocabulary import fold, is_cjk, vocabulary

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_DOTTED = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})")
_DATE_TOKEN = re.compile(
    r"(?P<year>\d{4})\.?(?!\d)|(?P<day>\d{1,2})(?:\.|er|st|nd|rd|th)?(?!\d)|(?P<word>[^\W\d_]+)\.?"
    r"|(?P<dash>[\u2013\u2014\u2212-])|(?P<comma>,)|(?P<space>\s+)"
)

_DISTANCE = re.compile(r"(?<![\d.,])(\d{1,2}(?:[.,\u00a0\u202f ]\d{3})|\d{3,5})\s*([^\W\d_]+)?")
_RACE_NO = re.compile(r"\(\s*(\d{1,2})\s*\)")
_TIME = re.compile(r"(?<![\d:.,])(-)?(?:(\d{1,2})[:.'])?(\d{1,2})[.,](\d{1,3})(?![\d:])")
_RANK = re.compile(r"^[=T]?\s*(-?\d{1,5})\s*(?:\.|st|nd|rd|th|er|e|\u00ba)?\s*$")
_TIME_RESIDUE = re.compile(r"^[\s()\[\]A-Za-z*+]*$")

MAX_TIME_MS = 20 * 60 * 1000


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A date or a date range; `rest` is the text after it (prefix parsing)."""

    start: date
    end: date
    rest: str = ""


@dataclass(frozen=True, slots=True)
class Distance:
    """A race distance as a cell writes it (`1500m (2)`, `5,000 m štafeta`)."""

    metres: int
    is_relay: bool
    race_no: int = 1


@dataclass(frozen=True, slots=True)
class Time:
    """A time in milliseconds, or a status such as `DQ`; `problem` explains a rejected value."""

    ms: int | None = None
    status: str | None = None
    problem: str | None = None


def _side(parts: list[tuple[str, int]]) -> tuple[int | None, int | None, int | None] | None:
    """(day, month, year) of one side of a range, from its tokens."""
    day = month = year = None
    for kind, value in parts:
        if kind == "day" and day is None:
            day = value
        elif kind == "month" and month is None:
            month = value
        elif kind == "year" and year is None:
            year = value
        else:
            return None
    return day, month, year


def _make(day: int | None, month: int | None, year: int | None) -> date | None:
    if day is None or month is None or year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


@lru_cache(maxsize=1)
def _marked_date() -> re.Pattern[str]:
    """`2018年2月20日`, `2018년 2월 20일`, and a range ending `–22日`: the date marks of the
    vocabulary's CJK languages."""
    marks: dict[str, list[str]] = {}
    for char, role in vocabulary().date_marks.items():
        marks.setdefault(role, []).append(re.escape(char))
    year, month, day = ("|".join(marks.get(r, ["\\uffff"])) for r in ("year", "month", "day"))
    return re.compile(
        rf"^(\d{{4}})\s*(?:{year})\s*(\d{{1,2}})\s*(?:{month})\s*(\d{{1,2}})\s*(?:{day})?"
        rf"(?:\s*[\u2013\u2014~\u301c-]\s*(\d{{1,2}})\s*(?:{day}))?"
    )


def _cjk_date(text: str) -> DateSpan | None:
    match = _marked_date().match(text)
    if match is None:
        return None
    year, month, day, last = match.groups()
    start = _make(int(day), int(month), int(year))
    end = _make(int(last), int(month), int(year)) if last else start
    if start is None or end is None or end < start:
        return None
    return DateSpan(start, end, text[match.end() :].strip())


@lru_cache(maxsize=8192)
def parse_date_prefix(text: str) -> DateSpan | None:
    """A date or date range at the start of `text` (`11-13 January 2002 European …`)."""
    text = text.strip()
    if text[:4].isdigit() and not text[4:5].isdigit() and text[4:5] not in ("-", "/", "."):
        marked = _cjk_date(text)
        if marked is not None:
            return marked
    iso = _ISO.match(text) or _DOTTED.match(text)
    if iso:
        a, b, c = (int(g) for g in iso.groups())
        day = _make(c, b, a) if iso.re is _ISO else _make(a, b, c)
        return DateSpan(day, day, text[iso.end() :].strip()) if day else None
    sides, end = _date_sides(text)
    return _span_of(sides, text[end:].strip(" ,"))


Side = list[tuple[str, int]]


def _date_sides(text: str) -> tuple[list[Side], int]:
    """The (kind, value) tokens of each side of a date range at the start of `text`, and
    where the date ends."""
    vocab = vocabulary()
    sides: list[Side] = [[]]
    end = 0
    for match in _DATE_TOKEN.finditer(text):
        if match.start() != end:
            break
        kind = match.lastgroup
        if kind in ("space", "comma"):
            end = match.end()
            continue
        if kind == "word":
            word = fold(match.group("word"))
            if word in vocab.months:
                sides[-1].append(("month", vocab.months[word]))
            elif word in vocab.range_words and sides[-1] and len(sides) == 1:
                sides.append([])
            else:
                break
        elif kind == "dash":
            if not sides[-1] or len(sides) > 1:
                break
            sides.append([])
        else:
            sides[-1].append((str(kind), int(match.group(str(kind)))))
        end = match.end()
    if len(sides) == 2 and not sides[1]:
        sides.pop()
    return sides, end


def _span_of(sides: list[Side], rest: str) -> DateSpan | None:
    """The span two sides make (`11-13 January 2002`: the first borrows month and year)."""
    parsed = [_side(s) for s in sides]
    first, last = parsed[0], parsed[-1]
    if first is None or last is None or any(p is None for p in parsed):
        return None
    day1, month1, year1 = first
    day2, month2, year2 = last
    borrowed = year1 is None
    start = _make(day1, month1 if month1 is not None else month2, year1 or year2)
    # `2017. január 13–15.`: the second side borrows the first's month and year.
    finish = _make(day2, month2 if month2 is not None else month1, year2 or year1)
    if borrowed and start is not None and finish is not None and finish < start:
        start = _make(day1, start.month, start.year - 1)
    if start is None or finish is None or finish < start:
        return None
    return DateSpan(start, finish, rest)


_DAY_START = re.compile(r"(?<![\d.:,])\d")


def dates_in(text: str) -> DateSpan | None:
    """The span of every date written anywhere in `text` (`10 February 2031 (heats),
    12 February 2031 (finals)`), else None."""
    spans = [parse_date_prefix(text[m.start() :]) for m in _DAY_START.finditer(text)]
    found = [s for s in spans if s is not None]
    if not found:
        return None
    return DateSpan(min(s.start for s in found), max(s.end for s in found))


_AFTER_YEAR = re.compile(r"(?<=\d{4})\s+(?=\d)")


def parse_dates(text: str) -> tuple[date, ...] | None:
    """A cell of several whole dates, one per race (`8 November 2014 9 November 2014`)."""
    parts = _AFTER_YEAR.split(text.strip())
    if len(parts) < 2:
        return None
    spans = [parse_date_prefix(part) for part in parts]
    if any(s is None or s.rest or s.start != s.end for s in spans):
        return None
    return tuple(s.start for s in spans if s is not None)


@lru_cache(maxsize=8192)
def parse_distance(text: str) -> Distance | None:
    """A cell that is only a distance (`500 m`, `1500m (2)`, `5000 m relay`, `3000-m-Staffel`),
    else None."""
    text = _HYPHENS.sub(" ", text) if "-" in text else text
    match = _DISTANCE.search(text)
    if match is None:
        return None
    vocab = vocabulary()
    unit, tail = _unit(match.group(2) or "")
    if unit is None:
        return None
    words = fold(text[: match.start()] + " " + tail + " " + text[match.end() :])
    race_no = 1
    number = _RACE_NO.search(words)
    if number:
        race_no = int(number.group(1))
        words = words[: number.start()] + words[number.end() :]
    leftover = [w for w in re.split(r"[\s,()]+", words) if w]
    relay = any(w in vocab.relay_words for w in leftover)
    if any(w not in vocab.relay_words for w in leftover) or _metres(match.group(1)) == 0:
        return None
    return Distance(_metres(match.group(1)), relay, race_no)


@lru_cache(maxsize=8192)
def find_distance(text: str) -> Distance | None:
    """The distance a heading or label names (`Women's 3000 metre relay`), else None."""
    vocab = vocabulary()
    for match in _DISTANCE.finditer(text):
        unit, tail = _unit(match.group(2) or "")
        if unit is not None and _metres(match.group(1)) > 0:  # `000 m` of a broken `1 000 m`
            words = set(re.split(r"[\s,()'.]+", fold(text))) | {tail}
            number = _RACE_NO.search(text[match.end() :])
            race_no = int(number.group(1)) if number else 1
            return Distance(_metres(match.group(1)), bool(words & vocab.relay_words), race_no)
    return None


_HYPHENS = re.compile(r"(?<=[\d\w])-(?=[^\W\d_])")  # `3000-m-Staffel`


def _unit(word: str) -> tuple[str | None, str]:
    """The distance unit a word is, and what follows it when the script runs words together
    (`米接力`: metres, then `接力`)."""
    folded = fold(word)
    units = vocabulary().distance_units
    if folded in units or not folded:
        return (folded if folded in units else None), ""
    if not is_cjk(folded):
        return None, ""
    for end in range(len(folded) - 1, 0, -1):
        if folded[:end] in units:
            return folded[:end], folded[end:]
    return None, ""


MAX_DISTANCE_WORDS = 6


def loose_distance(text: str) -> Distance | None:
    """A distance cell with words around it (`500 metres details`, `Men's 1000 m`)."""
    if len(text.split()) > MAX_DISTANCE_WORDS:
        return None
    return find_distance(text)


def _metres(digits: str) -> int:
    return int(re.sub(r"\D", "", digits))


@text_cache(limit=65536)
def plain_time_ms(text: str) -> int | None:
    """Milliseconds of a plain, plausible time cell (`41.802`, `1:29.109`), else None.

    The common case, read with string methods (cheaper than a regular expression) and
    cached without `Time` objects; `parse_time` reads every other cell.
    """
    whole, _, fraction = text.partition(".")
    minutes, colon, seconds = whole.rpartition(":")
    if len(fraction) != 3 or not 0 < len(seconds) <= 2 or not (fraction + seconds).isdecimal():
        return None  # `isdecimal`: the digits of any script, like `\d`
    ms = int(seconds) * 1000 + int(fraction)
    if colon:
        if ms >= 60_000 or not 0 < len(minutes) <= 2 or not minutes.isdecimal():
            return None
        ms += int(minutes) * 60_000
    return ms if 0 < ms <= MAX_TIME_MS else None


@lru_cache(maxsize=8192)
def parse_time(text: str) -> Time | None:
    """A time cell (`41.802`, `1:29.109`, `DQ`); None when the cell is empty."""
    ms = plain_time_ms(text)
    if ms is not None:
        return Time(ms=ms)
    return _parse_time(text)


def _parse_time(text: str) -> Time | None:
    """`parse_time` for any cell, including statuses and rejected values."""
    text = text.strip()
    if not text:
        return None
    upper = text.upper().strip(" .()")
    if upper in vocabulary().statuses:
        return Time(status=upper)
    match = _TIME.search(text)
    if match is None:
        return Time(problem=f"not a time: {text!r}")
    negative, minutes, seconds, fraction = match.groups()
    residue = text[: match.start()] + text[match.end() :]
    if not _TIME_RESIDUE.match(residue):
        return Time(problem=f"not a time: {text!r}")
    secs = int(seconds)
    if minutes is not None and secs >= 60:
        return Time(problem=f"seconds out of range in {text!r}")
    ms = (int(minutes or 0) * 60 + secs) * 1000 + int(fraction.ljust(3, "0"))
    if negative:
        return Time(problem=f"negative time {text!r}")
    if ms <= 0 or ms > MAX_TIME_MS:
        return Time(problem=f"implausible time {text!r}")
    return Time(ms=ms)


@lru_cache(maxsize=8192)
def parse_rank(text: str) -> int | None:
    """A rank cell (`1`, `1.`, `3rd`) or a medal word (`Gold`, `Zlato`); None otherwise."""
    text = text.strip()
    match = _RANK.match(text)
    if match:
        return int(match.group(1))
    return vocabulary().medals.get(fold(text).strip(" .:"))


def parse_points(text: str) -> float | None:
    """A points cell (`99`, `3 240`, `12.5`), else None."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        return None
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", cleaned):
        cleaned = cleaned.replace(",", "")
    cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if value >= 0 else None
