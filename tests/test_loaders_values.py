"""Cell value parsers: literal cases."""

from __future__ import annotations

from datetime import date

import pytest

from skating_db.loaders.cells import clean, split_pipe_row
from skating_db.loaders.competitors import (
    Competitor,
    identity,
    lost_name,
    near_miss,
    parse_competitor,
)
from skating_db.loaders.nations import resolve_nation
from skating_db.loaders.note_cells import holds_prose
from skating_db.loaders.seasons import (
    olympic_year,
    roman_to_int,
    season_in,
    unpaired_season_in,
    winter_games_year,
)
from skating_db.loaders.tokens import Table, tokenize
from skating_db.loaders.values import (
    Distance,
    parse_date_prefix,
    parse_dates,
    parse_distance,
    parse_rank,
    parse_time,
)

DATES = [
    ("21-23 September 2001", date(2001, 9, 21), date(2001, 9, 23)),
    ("11\u201313 January 2002", date(2002, 1, 11), date(2002, 1, 13)),
    ("18 October 2002", date(2002, 10, 18), date(2002, 10, 18)),
    ("29 November \u2013 1 December 2002", date(2002, 11, 29), date(2002, 12, 1)),
    ("18 October 2002 \u2013 16 February 2003", date(2002, 10, 18), date(2003, 2, 16)),
    ("29 December \u2013 2 January 2003", date(2002, 12, 29), date(2003, 1, 2)),
    ("21.\u201323. September 2001", date(2001, 9, 21), date(2001, 9, 23)),
    ("12. Februar 2012", date(2012, 2, 12), date(2012, 2, 12)),
    ("1er d\u00e9cembre 2002", date(2002, 12, 1), date(2002, 12, 1)),
    ("9 maart 2003", date(2003, 3, 9), date(2003, 3, 9)),
    ("7 febbraio 2006", date(2006, 2, 7), date(2006, 2, 7)),
    ("September 21, 2001", date(2001, 9, 21), date(2001, 9, 21)),
    ("2002-10-18", date(2002, 10, 18), date(2002, 10, 18)),
]


@pytest.mark.parametrize(("text", "start", "end"), DATES, ids=[d[0] for d in DATES])
def test_dates(text: str, start: date, end: date) -> None:
    span = parse_date_prefix(text)
    assert span is not None and not span.rest
    assert (span.start, span.end) == (start, end)


@pytest.mark.parametrize(
    "text", ["2011\u20132012", "31 February 2002", "September 2001", "500 m", "", "KOR Chuncheon"]
)
def test_not_dates(text: str) -> None:
    span = parse_date_prefix(text)
    assert span is None or span.rest


def test_one_date_per_race_in_one_cell() -> None:
    assert parse_dates("8 November 2014 9 November 2014") == (date(2014, 11, 8), date(2014, 11, 9))
    assert parse_dates("8 November 2014") is None
    assert parse_dates("8-9 November 2014 10 December 2014") is None


def test_date_prefix_keeps_the_rest() -> None:
    span = parse_date_prefix("11\u201313 January 2002 European Championships in FRA Grenoble")
    assert span is not None and span.rest == "European Championships in FRA Grenoble"


DISTANCES = [
    ("500 m", Distance(500, False)),
    ("500m", Distance(500, False)),
    ("1500m (2)", Distance(1500, False, 2)),
    ("1500m (1)", Distance(1500, False, 1)),
    ("5000 m relay", Distance(5000, True)),
    ("5000m relay", Distance(5000, True)),
    ("3000m relay", Distance(3000, True)),
    ("5,000 m \u0161tafeta", Distance(5000, True)),
    ("1,000 m", Distance(1000, False)),
    ("5.000 m Staffel", Distance(5000, True)),
    ("3000 m relais", Distance(3000, True)),
    ("5000 m aflossing", Distance(5000, True)),
    ("1000 metres", Distance(1000, False)),
]


@pytest.mark.parametrize(("text", "expected"), DISTANCES, ids=[d[0] for d in DISTANCES])
def test_distances(text: str, expected: Distance) -> None:
    assert parse_distance(text) == expected


@pytest.mark.parametrize("text", ["Overall", "After 8 of 8 events", "500", "KOR Kim", ""])
def test_not_distances(text: str) -> None:
    assert parse_distance(text) is None


TIMES = [
    ("41.802", 41802),
    ("1:29.109", 89109),
    ("6:51.579", 411579),
    ("2:18.54", 138540),
    ("1:29,109", 89109),
    ("41.802 OR", 41802),
    ("42,7", 42700),
]


@pytest.mark.parametrize(("text", "ms"), TIMES, ids=[t[0] for t in TIMES])
def test_times(text: str, ms: int) -> None:
    parsed = parse_time(text)
    assert parsed is not None and parsed.ms == ms and parsed.problem is None


@pytest.mark.parametrize("text", ["DQ", "DNF", "dns"])
def test_statuses(text: str) -> None:
    parsed = parse_time(text)
    assert parsed is not None and parsed.status == text.upper() and parsed.ms is None


@pytest.mark.parametrize("text", ["-41.802", "0.000", "1:75.000", "99:59.000", "abc"])
def test_rejected_times(text: str) -> None:
    parsed = parse_time(text)
    assert parsed is not None and parsed.ms is None and parsed.problem


def test_empty_time_is_unknown() -> None:
    assert parse_time("  ") is None


RANKS = [
    ("1", 1),
    ("1.", 1),
    ("3rd", 3),
    ("Gold", 1),
    ("Zlato", 1),
    ("Srebro", 2),
    ("Bron", 3),
    ("Silber", 2),
    ("Argent", 2),
    ("Goud", 1),
    ("Bronzo", 3),
    ("0", 0),
]


@pytest.mark.parametrize(("text", "rank"), RANKS, ids=[r[0] for r in RANKS])
def test_ranks(text: str, rank: int) -> None:
    assert parse_rank(text) == rank


@pytest.mark.parametrize("text", ["", "x", "first place maybe"])
def test_not_ranks(text: str) -> None:
    assert parse_rank(text) is None


COMPETITORS = [
    ("KOR Kim Dong-Sung", "en", False, Competitor("Kim Dong-Sung", None, "KOR")),
    ("KOR South Korea", "en", True, Competitor(nation="KOR", team=True)),
    ("CAN", "en", True, Competitor(nation="CAN", team=True)),
    ("Yang Yang (A)", "en", False, Competitor("Yang Yang", "A")),
    ("CHN Yang Yang (S)", "en", False, Competitor("Yang Yang", "S", "CHN")),
    ("Marc Gagnon (CAN)", "en", False, Competitor("Marc Gagnon", None, "CAN")),
    ("KAN)", "sl", False, Competitor(nation="CAN", name_lost=True)),
    ("ZDA)", "sl", False, Competitor(nation="USA", name_lost=True)),
    (
        "Canada (\u00c9ric B\u00e9dard, Marc Gagnon)",
        "en",
        True,
        Competitor(nation="CAN", team=True, members=("\u00c9ric B\u00e9dard", "Marc Gagnon")),
    ),
    (
        " (Li Jiajun, An Yulong)",
        "sl",
        True,
        Competitor(team=True, members=("Li Jiajun", "An Yulong")),
    ),
    ("Guo Wei)", "en", True, Competitor(team=True, members=("Guo Wei",), truncated=True)),
    ("Marc Gagnon (Kanada)", "de", False, Competitor("Marc Gagnon", None, "CAN")),
    ("Kim Dong-Sung", "en", False, Competitor("Kim Dong-Sung")),
    ("KIM Dong-Sung (KOR)", "en", False, Competitor("KIM Dong-Sung", None, "KOR")),
    ("CAI JUN (CHN)", "en", False, Competitor("CAI JUN", None, "CHN")),
    ("ROC Semen Elistratov", "en", False, Competitor("Semen Elistratov", None, "ROC")),
]


@pytest.mark.parametrize(
    ("text", "language", "relay", "expected"), COMPETITORS, ids=[c[0] for c in COMPETITORS]
)
def test_competitors(text: str, language: str, relay: bool, expected: Competitor) -> None:
    assert parse_competitor(text, language, relay) == expected


def test_empty_competitor_is_unknown() -> None:
    assert parse_competitor("  ", "en", False) is None


NATIONS = [
    ("KAN", "sl", "CAN"),
    ("ZDA", "sl", "USA"),
    ("AVT", "sl", "AUS"),
    ("KIT", "sl", "CHN"),
    ("CAN", "en", "CAN"),
    ("South Korea", "en", "KOR"),
    ("Korea", "en", "KOR"),
    ("United States", "en", "USA"),
    ("Kanada", "sl", "CAN"),
    ("Salt Lake City", "en", None),
]


@pytest.mark.parametrize(("text", "language", "code"), NATIONS, ids=[n[0] for n in NATIONS])
def test_nations(text: str, language: str, code: str | None) -> None:
    assert resolve_nation(text, language) == code


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Nicola Franceshcina", "Nicola Franceschina", True),
        ("Li Ye", "Li Yu", True),
        ("Feng Kai", "Feng Kaii", True),
        ("Li Jiajun", "An Yulong", False),
        ("Guo Wei", "Guo Wei", False),
    ],
)
def test_near_miss(a: str, b: str, expected: bool) -> None:
    assert near_miss(identity(a), identity(b)) is expected


def test_identity_ignores_case_diacritics_hyphens() -> None:
    assert identity("Lee Seung-Jae") == identity("Lee Seung-jae")
    assert identity("\u00c9ric B\u00e9dard") == identity("Eric Bedard")


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("XIX. zimskih olimpijskih igrah", 2002),
        ("2002 Winter Olympic Games", 2002),
        ("XX Olympische Winterspiele", 2006),
        ("XVII Winter Olympic Games", 1994),
        ("V Winter Olympics", 1948),
        ("the 2001 World Championships", None),
    ],
)
def test_olympic_year(text: str, year: int | None) -> None:
    assert olympic_year(text) == year


def test_winter_games_numbering() -> None:
    assert [winter_games_year(n) for n in (1, 4, 5, 16, 17, 19, 22)] == [
        1924,
        1936,
        1948,
        1992,
        1994,
        2002,
        2014,
    ]
    assert roman_to_int("XIX") == 19 and roman_to_int("XIV") == 14


@pytest.mark.parametrize(
    ("text", "start", "name"),
    [
        ("= 2001\u201302 ISU World Cup =", 2001, "2001\u201302"),
        ("2011-2012", 2011, "2011\u201312"),
        ("1999/00 season", 1999, "1999\u201300"),
        ("2005/06", 2005, "2005\u201306"),
        ("2010/2011", 2010, "2010\u201311"),
        ("2010\u201311", 2010, "2010\u201311"),
        ("2010\u20142011", 2010, "2010\u201311"),
        ("2099-00", 2099, "2099\u201300"),
    ],
)
def test_season_in(text: str, start: int, name: str) -> None:
    """Every spelling of a season gives the one name the data model writes (`2005–06`)."""
    season = season_in(text)
    assert season is not None and (season.start_year, season.name) == (start, name)


@pytest.mark.parametrize(
    ("text", "unpaired"),
    [
        ("2012/14 World Cup", "2012/14"),
        ("2010-2012", "2010-2012"),
        ("3 October 2078 \u2013 15 March 2079", None),  # a date range, no season
        ("2005-07-01", None),  # an ISO date
        ("2005/06", None),
    ],
)
def test_unpaired_season_in(text: str, unpaired: str | None) -> None:
    assert unpaired_season_in(text) == unpaired


def test_clean_strips_markup() -> None:
    assert clean("20px  Marc Gagnon (CAN)") == "Marc Gagnon (CAN)"
    assert clean("'''Medalja'''") == "Medalja"
    assert clean("[[Marc Gagnon|M. Gagnon]] <ref>x</ref>") == "M. Gagnon"
    assert clean("{{flagIOCathlete|Marc Gagnon|CAN|2002 Winter}}") == "Marc Gagnon (CAN)"


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("`Charles Roy`", "Charles Roy"),
        ("**Victor Ahn**", "Victor Ahn"),
        ("*Ana Ruiz* (ESP)", "Ana Ruiz (ESP)"),
        ("___Lee Kang___", "Lee Kang"),
        ("[Semi Lind](https://example.org/a_b)", "Semi Lind"),
        ("![flag](https://example.org/f.png) Tom Ashby", "Tom Ashby"),
        ("41.935*", "41.935*"),  # a lone star is a mark, no emphasis
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("snake_case_name", "snake_case_name"),  # underscores inside a word
        ("\\*not italic\\*", "*not italic*"),
    ],
)
def test_clean_strips_markdown(cell: str, text: str) -> None:
    assert clean(cell) == text


def test_escaped_pipe_stays_in_its_cell() -> None:
    assert split_pipe_row(" Han Tian\\|yu | CHN | `41.2` ") == ["Han Tian|yu", "CHN", "41.2"]


def test_tokenizer_wiki_cells_and_attributes() -> None:
    text = (
        '{| class="wikitable"\n! Rang !! Athlet !! Zeit\n|-\n'
        '| bgcolor="gold" | 1 || A B (GER) || 41.1\n|}\n'
    )
    table = tokenize(text).blocks[0]
    assert isinstance(table, Table) and table.closed
    assert [r.cells for r in table.rows] == [["Rang", "Athlet", "Zeit"], ["1", "A B (GER)", "41.1"]]
    assert table.rows[0].header_marked and table.rows[1].line == 4


def test_tokenizer_pipe_labels() -> None:
    blocks = tokenize("| a | b |\n| 1 | 2 |\n|\n500 m\n\n| a | b |\n| 3 | 4 |\n").blocks
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(tables) == 2 and tables[1].label == "500 m" and tables[1].label_line == 4


def test_lost_name_never_says_none() -> None:
    """A cell that kept no nation is said so in words, not as Python's `None`."""
    assert lost_name(1, "KOR") == "rank 1: only the nation KOR is given"
    assert "None" not in lost_name(2, None)
    assert "'XYZ'" in lost_name(3, None, "XYZ") and "None" not in lost_name(None, None, "XYZ")


@pytest.mark.parametrize(
    ("cell", "prose"),
    [
        ("Q, OR", False),
        ("PEN", False),
        ("(DSQ)", False),
        ("\u2014", False),
        ("PEN (impeding)", True),
        ("fell on the last lap and got up", True),
    ],
)
def test_holds_prose(cell: str, prose: bool) -> None:
    """A notes cell of marks and a status says nothing more; any other word is prose to keep."""
    assert holds_prose(cell) is prose
