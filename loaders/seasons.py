"""Seasons (July to June): from a title's `2001-02`, from an Olympic year, or from dates."""

from __future__ import annotations

import re
from datetime import date

from .lines import split_lines
from .lookups import series_in
from .records import Season
from .vocabulary import vocabulary, words_of

# A year is four digits from 1800 to 2199: wider than any results document's (the first
# skating championships were held in the 1880s), narrow enough that no distance (1000, 1500,
# 3000, 5000 m; 2000 m is a year too) and few points totals are read as one.
FIRST_YEAR, LAST_YEAR = 1800, 2199
YEAR = r"(?:1[89]|2[01])\d{2}"
_SEASON = re.compile(rf"(?<!\d)({YEAR})\s*([\u2013\u2014/-])\s*(\d{{4}}|\d{{2}})(?!\d)")
_DATE_GOES_ON = re.compile(r"[-/.]\d")  # `2005-07-01`: a date, no season
_YEAR = re.compile(rf"(?<!\d)({YEAR})(?!\d)")
_FOUR_DIGITS = re.compile(r"(?<!\d)(\d{4})(?!\d)(?!\s*m\b)")  # a year or not: `1500 m` is not
_ROMAN = re.compile(r"\b([IVXL]{1,7})\.?(?=\s)")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
FIRST_WINTER_GAMES = 1924


def season_of(day: date) -> Season:
    """The season a date falls in."""
    start = day.year if day.month >= 7 else day.year - 1
    return season_named(start)


def season_named(start_year: int) -> Season:
    """A season spelled the usual way (`2001-02`)."""
    return Season(start_year, f"{start_year}\u2013{(start_year + 1) % 100:02d}")


def season_in(text: str) -> Season | None:
    """A season written in `text` (`2001-02`, `2011/2012`, `2010–11`), spelled the usual way
    (`2001–02`): the first spelling a document writes must not make a season of its own."""
    for match in _SEASON.finditer(text):
        start, end_year = _years(match)
        if end_year == start + 1:
            return season_named(start)
    return None


def unpaired_season_in(text: str) -> str | None:
    """A season spelling whose two years do not follow each other (`2005/07`), as written;
    a spaced dash (`3 March 2005 – 15 April`) or a date (`2005-07-01`) is not one."""
    for match in _SEASON.finditer(text):
        start, end_year = _years(match)
        written = match.group(0)
        if (
            end_year != start + 1
            and " " not in written
            and not _DATE_GOES_ON.match(text, match.end())
        ):
            return written
    return None


def _years(match: re.Match[str]) -> tuple[int, int]:
    """The start and end years of a `_SEASON` match (`2099-00` ends in 2100)."""
    start = int(match.group(1))
    end = match.group(3)
    end_year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
    if len(end) == 2 and end_year < start:
        end_year += 100
    return start, end_year


def roman_to_int(text: str) -> int | None:
    """The value of a Roman numeral (`XIX` -> 19), or None when malformed."""
    total = 0
    previous = 0
    for char in reversed(text):
        value = _ROMAN_VALUES.get(char)
        if value is None:
            return None
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total or None


def winter_games_year(number: int) -> int:
    """The year of the n-th Winter Olympic Games.

    Every four years from 1924; no Games were held in 1940 and 1944 and those
    were not numbered; from the 17th (1994) the Games moved two years.
    """
    year = FIRST_WINTER_GAMES + 4 * (number - 1)
    if number >= 5:
        year += 8
    if number >= 17:
        year -= 2
    return year


def olympic_year(text: str) -> int | None:
    """The year of the Winter Games a text names (`2002 Winter Olympic Games`, `XIX. zimskih …`)."""
    if series_in(text) != "olympics":
        return None
    year = _YEAR.search(text)
    if year:
        return int(year.group(1))
    words = set(words_of(text))
    if not words & vocabulary().winter_words:
        return None
    for match in _ROMAN.finditer(text):
        number = roman_to_int(match.group(1))
        if number is not None:
            return winter_games_year(number)
    return None


def championship_year(text: str) -> int | None:
    """The year of a once-a-season championship a title names (`2031 World Championships`)."""
    series = series_in(text)
    if series is None or series == "world_cup" or season_in(text) is not None:
        return None
    year = _YEAR.search(text)
    return int(year.group(1)) if year else None


def corrected(day: date, season: Season) -> date | None:
    """`day` moved into `season` when its year contradicts it, else None (nothing to fix)."""
    expected = season.start_year if day.month >= 7 else season.end_year
    if day.year == expected:
        return None
    try:
        return day.replace(year=expected)
    except ValueError:
        return None


def year_outside(text: str) -> tuple[int, int] | None:
    """The first year outside FIRST_YEAR-LAST_YEAR a title or prose line of `text` writes
    beside a series name (`2300 World Championships`), and its line: why a document whose
    tables name no season was read as holding no result."""
    for number, line in enumerate(split_lines(text), 1):
        for match in _FOUR_DIGITS.finditer(line):
            year = int(match.group(1))
            if not FIRST_YEAR <= year <= LAST_YEAR and series_in(line) is not None:
                return year, number
    return None
