"""The vocabulary data: every language's words resolve, `fold` folds, the old file is kept."""

# ruff: noqa: RUF001  (the words are Cyrillic, full-width and dotless letters on purpose)

from __future__ import annotations

import csv
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from skating_db.loaders.lookups import (
    column_role,
    column_role_in,
    gender_of,
    heading_kind,
    language_of_header,
    mark_of,
    marks_in,
    round_of,
    section_kind,
    series_in,
    status_of,
)
from skating_db.loaders.nations import known_arena, nation_languages, resolve_nation
from skating_db.loaders.vocabulary import LANGUAGES, fold, phrase_key, vocabulary

OLD = Path(__file__).parent / "data" / "vocabulary" / "old_vocabulary.toml"
DATA = resources.files("skating_db.loaders") / "data"

# Every nation that competes in short track, with a name in every language.
_NATIONS_TEXT = """
    KOR CHN CAN USA NED ITA HUN RUS JPN FRA GER GBR BEL KAZ POL AUS BUL CZE AUT SUI LAT
    ISR UKR BLR SLO CRO SRB ROU SVK NOR SWE FIN EST LTU ESP TUR MGL PRK TPE HKG NZL BRA
    ARG IND SGP PHI MAS THA ROC OAR EUN URS GDR FRG TCH YUG AIN
"""
SHORT_TRACK_NATIONS = _NATIONS_TEXT.split()


def _old() -> dict[str, Any]:
    return tomllib.loads(OLD.read_text(encoding="utf-8"))


def _language_file(language: str) -> dict[str, Any]:
    path = DATA / "vocabulary" / f"{language}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


# --- the old single file is fully preserved -------------------------------------------


def test_old_months_medals_columns_keep_their_values() -> None:
    old, vocab = _old(), vocabulary()
    for section, merged in (
        ("months", vocab.months),
        ("medals", vocab.medals),
        ("columns", vocab.columns),
        ("languages", vocab.languages),
    ):
        lost = {k: v for k, v in old[section].items() if merged.get(fold(k)) != v}
        assert lost == {}, section


def test_old_genders_keep_gender_and_language() -> None:
    genders = vocabulary().genders
    lost = {k: v for k, v in _old()["genders"].items() if genders.get(fold(k)) != tuple(v)}
    assert lost == {}


def test_old_word_lists_are_still_there() -> None:
    old, vocab = _old(), vocabulary()
    assert {fold(w) for w in old["relay"]["words"]} <= vocab.relay_words
    assert {fold(w) for w in old["distance"]["units"]} <= vocab.distance_units
    assert {fold(w) for w in old["winter_games"]["words"]} <= vocab.winter_words
    for kind, words in old["sections"].items():
        assert {fold(w) for w in words} <= vocab.sections[kind], kind
    assert vocab.statuses == {w.upper() for w in old["statuses"]["words"]}
    assert {k: vocab.series_names[k] for k in old["series_names"]} == old["series_names"]


def test_old_series_phrases_keep_their_series() -> None:
    vocab = vocabulary()
    for phrase, code in _old()["series"].items():
        assert vocab.series[phrase_key(phrase)] == code, phrase
        assert series_in(f"2019 {phrase} Salt Lake City") == code, phrase


def test_old_header_languages_still_name_the_language() -> None:
    for word, language in _old()["languages"].items():
        assert language_of_header([word]) == language, word


# --- every language file has the same sections ------------------------------------------

SECTIONS = {
    "months", "genders", "medals", "columns", "rounds", "relay", "units", "series",
    "sections", "winter_words", "range_words", "file_prefixes", "statuses", "not_awarded",
    "infobox",
}  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_file_has_every_section(language: str) -> None:
    data = _language_file(language)
    assert set(data) >= SECTIONS, SECTIONS - set(data)
    assert data["rounds"] and data["genders"] and data["medals"] and data["columns"]


@pytest.mark.parametrize(("language", "year"), [("zh", "年"), ("ja", "年"), ("ko", "년")])
def test_cjk_dates_have_marks(language: str, year: str) -> None:
    assert _language_file(language)["date_marks"]["year"] == year
    assert vocabulary().date_marks[year] == "year"


# --- words of each language -------------------------------------------------------------

GENDERS = [
    ("Men's 500 m", "men"), ("Women's", "women"), ("Ladies", "women"), ("Mixed relay", "mixed"),
    ("Moški", "men"), ("Ženske", "women"),
    ("Herren", "men"), ("Damen", "women"), ("Männer", "men"), ("Frauen", "women"),
    ("Uomini", "men"), ("Donne", "women"),
    ("Hommes", "men"), ("Femmes", "women"),
    ("Mannen", "men"), ("Vrouwen", "women"),
    ("Hombres", "men"), ("Mujeres", "women"),
    ("Férfi", "men"), ("Női", "women"), ("Női 500 m", "women"),
    ("Muži", "men"), ("Ženy", "women"),
    ("Mężczyźni", "men"), ("Kobiety", "women"),
    ("Мужчины", "men"), ("Женщины", "women"),
    ("男子", "men"), ("女子", "women"), ("男子500米", "men"), ("女子3000米接力", "women"),
    ("男子 500 m", "men"), ("女子1000m", "women"),
    ("남자", "men"), ("여자", "women"), ("남자 1500m", "men"), ("혼성 계주", "mixed"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "gender"), GENDERS)
def test_gender_words(text: str, gender: str) -> None:
    found = gender_of(text)
    assert found is not None and found[0] == gender


@pytest.mark.parametrize(
    ("text", "language"),
    [("Herren", "de"), ("Uomini", "it"), ("Női", "hu"), ("Muži", "cs"), ("Kobiety", "pl"),
     ("Мужчины", "ru"), ("남자", "ko"), ("Moški", "sl"), ("Mannen", "nl")],
)  # fmt: skip
def test_gender_word_names_its_language(text: str, language: str) -> None:
    found = gender_of(text)
    assert found is not None and found[1] == language


MEDALS = [
    ("Gold", 1), ("Silver", 2), ("Bronze", 3), ("1st", 1), ("3rd", 3),
    ("Zlato", 1), ("Srebro", 2), ("Bron", 3),
    ("Silber", 2),
    ("Oro", 1), ("Argento", 2), ("Bronzo", 3),
    ("Or", 1), ("Argent", 2), ("1er", 1), ("2e", 2),
    ("Goud", 1), ("Zilver", 2), ("Brons", 3),
    ("Plata", 2), ("Bronce", 3),
    ("Arany", 1), ("Ezüst", 2), ("Bronz", 3),
    ("Stříbro", 2),
    ("Złoto", 1), ("Brąz", 3),
    ("Золото", 1), ("Серебро", 2), ("Бронза", 3),
    ("金", 1), ("银", 2), ("铜", 3), ("金牌", 1), ("银牌", 2), ("銀", 2), ("銅牌", 3),
    ("금", 1), ("은", 2), ("동", 3), ("금메달", 1),
]  # fmt: skip


@pytest.mark.parametrize(("word", "rank"), MEDALS)
def test_medal_words(word: str, rank: int) -> None:
    assert vocabulary().medals[fold(word)] == rank


MONTHS = [
    ("November", 11), ("Sept", 9), ("novembra", 11), ("März", 3), ("Dezember", 12),
    ("février", 2), ("décembre", 12), ("maart", 3), ("dicembre", 12), ("noviembre", 11),
    ("február", 2), ("március", 3), ("listopadu", 11), ("února", 2), ("prosinec", 12),
    ("lutego", 2), ("października", 10), ("grudzień", 12),
    ("февраля", 2), ("Ноябрь", 11), ("декабря", 12), ("十一月", 11),
]  # fmt: skip


@pytest.mark.parametrize(("word", "month"), MONTHS)
def test_month_words(word: str, month: int) -> None:
    assert vocabulary().months[fold(word)] == month


ROUNDS = [
    ("Heats", ("heat", None)), ("Heat 3", ("heat", 3)), ("Quarter-finals", ("quarterfinal", None)),
    ("Quarterfinal 4", ("quarterfinal", 4)), ("Semifinal 2", ("semifinal", 2)),
    ("Semi-finals", ("semifinal", None)), ("Final", ("final", None)), ("Final A", ("final", None)),
    ("Final B", ("final_b", None)), ("Men's 500 m – Final B", ("final_b", None)),
    ("Repechage 1", ("repechage", 1)), ("Finals 9 November", ("final", None)),
    ("Vorläufe", ("heat", None)), ("Viertelfinale", ("quarterfinal", None)),
    ("2. Halbfinale", ("semifinal", 2)), ("Finale B", ("final_b", None)),
    ("Batteria 5", ("heat", 5)), ("Quarti di finale", ("quarterfinal", None)),
    ("Semifinali", ("semifinal", None)),
    ("Quarts de finale", ("quarterfinal", None)), ("Demi-finale 1", ("semifinal", 1)),
    ("Voorrondes", ("heat", None)), ("Kwartfinales", ("quarterfinal", None)),
    ("Halve finales", ("semifinal", None)), ("Finale A", ("final", None)),
    ("Cuartos de final", ("quarterfinal", None)),
    ("Előfutamok", ("heat", None)), ("Negyeddöntő", ("quarterfinal", None)),
    ("Elődöntő", ("semifinal", None)), ("B-döntő", ("final_b", None)), ("Döntő", ("final", None)),
    ("Rozjížďky", ("heat", None)), ("Čtvrtfinále", ("quarterfinal", None)),
    ("Semifinále", ("semifinal", None)), ("Finále", ("final", None)),
    ("Biegi eliminacyjne", ("heat", None)), ("Ćwierćfinały", ("quarterfinal", None)),
    ("Półfinał 2", ("semifinal", 2)), ("Finał B", ("final_b", None)),
    ("Предварительные забеги", ("heat", None)), ("Четвертьфиналы", ("quarterfinal", None)),
    ("Полуфинал 1", ("semifinal", 1)), ("Финал Б", ("final_b", None)), ("Финал", ("final", None)),
    ("预赛", ("heat", None)), ("1/4决赛", ("quarterfinal", None)), ("半决赛", ("semifinal", None)),
    ("半决赛第2组", ("semifinal", 2)), ("决赛", ("final", None)), ("A组决赛", ("final", None)),
    ("B组决赛", ("final_b", None)), ("半決賽", ("semifinal", None)),
    ("予選 第3組", ("heat", 3)), ("準々決勝", ("quarterfinal", None)),
    ("準決勝", ("semifinal", None)), ("決勝", ("final", None)),
    ("예선", ("heat", None)), ("준준결승", ("quarterfinal", None)),
    ("준결승 2조", ("semifinal", 2)), ("결승", ("final", None)),
    ("Men's 500 metres", None), ("2019 World Cup series", None), ("Results", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROUNDS)
def test_round_of(text: str, expected: tuple[str, int | None] | None) -> None:
    assert round_of(text) == expected


COLUMNS = [
    ("Rank", "rank"), ("Pos.", "rank"), ("Place", "place"), ("Heat", "heat"), ("Race", "distance"),
    ("Qual.", "qualification"), ("Time", "time"), ("Country", "nation"), ("NOC", "nation"),
    ("Skater", "athlete"), ("Total", "total"), ("Arena", "arena"),
    ("Zeit", "time"), ("Platz", "rank"), ("Land", "nation"),
    ("Tempo", "time"), ("Nazione", "nation"), ("Temps", "time"), ("Pays", "nation"),
    ("Tijd", "time"), ("Tiempo", "time"), ("País", "nation"),
    ("Idő", "time"), ("Helyezés", "rank"), ("Ország", "nation"),
    ("Čas", "time"), ("Pořadí", "rank"), ("Stát", "nation"),
    ("Czas", "time"), ("Miejsce", "rank"), ("Zawodnik", "athlete"),
    ("Время", "time"), ("Место", "rank"), ("Страна", "nation"), ("Спортсмен", "athlete"),
    ("成绩", "time"), ("时间", "time"), ("名次", "rank"), ("国家/地区", "nation"),
    ("运动员", "athlete"),
    ("タイム", "time"), ("順位", "rank"), ("選手", "athlete"),
    ("기록", "time"), ("순위", "rank"), ("국가", "nation"), ("선수", "athlete"),
]  # fmt: skip


@pytest.mark.parametrize(("header", "role"), COLUMNS)
def test_column_words(header: str, role: str) -> None:
    assert column_role(header) == role


@pytest.mark.parametrize(
    ("cells", "language"),
    [(["Medalja", "Tekmovalec", "Čas"], "sl"), (["Pořadí", "Jméno", "Čas"], "cs"),
     (["Medal", "Athlete", "Time"], "en"), (["Medaille", "Name", "Zeit"], "de"),
     (["Место", "Спортсмен", "Время"], "ru"), (["Helyezés", "Név", "Idő"], "hu"),
     (["Miejsce", "Zawodnik", "Czas"], "pl"), (["名次", "运动员", "成绩"], "zh")],
)  # fmt: skip
def test_language_of_header(cells: list[str], language: str) -> None:
    assert language_of_header(cells) == language


SERIES = [
    ("2019–20 ISU Short Track Speed Skating World Cup", "world_cup"),
    ("Four Continents Championships 2020", "four_continents_championships"),
    ("2019 World Junior Championships", "world_junior_championships"),
    ("Kurzbahn-Europameisterschaften 2020", "european_championships"),
    ("Campionati mondiali di short track 2021", "world_championships"),
    ("Championnats du monde de patinage de vitesse sur piste courte", "world_championships"),
    ("Rövidpályás gyorskorcsolya-világbajnokság", "world_championships"),
    ("Mistrovství Evropy v rychlobruslení na krátké dráze", "european_championships"),
    ("Puchar Świata w short tracku", "world_cup"),
    ("Чемпионат Европы по шорт-треку", "european_championships"),
    ("2018–19年短道速滑世界杯", "world_cup"), ("2022年冬季奥运会", "olympics"),
    ("四大陸選手権", "four_continents_championships"), ("쇼트트랙 월드컵", "world_cup"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "series"), SERIES)
def test_series_phrases(text: str, series: str) -> None:
    assert series_in(text) == series


@pytest.mark.parametrize(
    ("heading", "kind"),
    [("Medal table", "medal_table"), ("Medaillenspiegel", "medal_table"),
     ("Medagliere", "medal_table"), ("Tableau des médailles", "medal_table"),
     ("Medaillespiegel", "medal_table"), ("Éremtáblázat", "medal_table"),
     ("Pořadí národů", "medal_table"), ("Klasyfikacja medalowa", "medal_table"),
     ("Медальный зачёт", "medal_table"), ("奖牌榜", "medal_table"),
     ("メダル獲得数", "medal_table"), ("메달 순위", "medal_table"), ("Records", "records"),
     ("Results", "events"), ("比赛结果", "events"), ("External links", "ignored")],
)  # fmt: skip
def test_heading_kinds(heading: str, kind: str) -> None:
    assert heading_kind(heading) == kind


def test_section_kind_keeps_its_four_kinds() -> None:
    assert section_kind("Medal table") is None
    assert section_kind("Standings") == "standings"


@pytest.mark.parametrize(
    ("text", "status"),
    [("DQ", "DQ"), ("DSQ", "DQ"), ("(DSQ)", "DQ"), ("disq.", "DQ"), ("dyskw.", "DQ"),
     ("PEN", "PEN"), ("YC", "YC"), ("DNF", "DNF"), ("DNS", "DNS"), ("Disqualifiziert", "DQ"),
     ("дискв.", "DQ"), ("失格", "DQ"), ("실격", "DQ"), ("犯规", "DQ"), ("41.802", None)],
)  # fmt: skip
def test_status_of(text: str, status: str | None) -> None:
    assert status_of(text) == status


@pytest.mark.parametrize(
    ("text", "mark"),
    [("Q", "Q"), ("q", "q"), ("(Q)", "Q"), ("QA", "QA"), ("ADV", "ADV"), ("Adv.", "ADV"),
     ("OR", "OR"), ("WR", "WR"), ("A", None), ("x", None)],
)  # fmt: skip
def test_mark_of(text: str, mark: str | None) -> None:
    assert mark_of(text) == mark


def test_marks_in_a_cell() -> None:
    assert marks_in("Q, OR") == ("Q", "OR")
    assert marks_in("q") == ("q",)
    assert marks_in("Q fell") is None


@pytest.mark.parametrize(
    ("word", "table"),
    [("nicht vergeben", "not_awarded"), ("non assegnato", "not_awarded"),
     ("non attribué", "not_awarded"), ("niet uitgereikt", "not_awarded"),
     ("nem osztották ki", "not_awarded"), ("neuděleno", "not_awarded"),
     ("nie przyznano", "not_awarded"), ("не вручалась", "not_awarded"), ("空缺", "not_awarded"),
     ("Datei", "file_prefixes"), ("Fichier", "file_prefixes"), ("Fájl", "file_prefixes"),
     ("Файл", "file_prefixes"), ("ファイル", "file_prefixes"), ("파일", "file_prefixes"),
     ("bis", "range_words"), ("至", "range_words"), ("까지", "range_words"),
     ("Staffel", "relay_words"), ("váltó", "relay_words"), ("эстафета", "relay_words"),
     ("接力", "relay_words"), ("リレー", "relay_words"), ("계주", "relay_words"),
     ("metrów", "distance_units"), ("метров", "distance_units"), ("米", "distance_units")],
)  # fmt: skip
def test_word_lists(word: str, table: str) -> None:
    assert fold(word) in getattr(vocabulary(), table)


@pytest.mark.parametrize(
    ("key", "role"),
    [("goldNOC", "gold_nation"), ("win value", "win_value"), ("venue", "venue"), ("url", "url"),
     ("license", "license"), ("Austragungsort", "venue"), ("Teilnehmer", "competitors")],
)  # fmt: skip
def test_infobox_keys(key: str, role: str) -> None:
    assert vocabulary().infobox[fold(key)] == role


def test_decimal_comma_languages() -> None:
    assert {"cs", "de", "hu", "ru"} <= vocabulary().decimal_comma
    assert "en" not in vocabulary().decimal_comma


# --- fold -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Złoto", "zloto"), ("ZŁOTO", "zloto"), ("Łódź", "lodz"), ("Øystein", "oystein"),
     ("Straße", "strasse"), ("Æ", "ae"), ("Œuvre", "oeuvre"), ("Đorđe", "dorde"),
     ("Þór", "thor"), ("Iıİ", "iii"), ("Éric  Bédard", "eric bedard"), ("e\u0301", "e"),
     ("  Men's\t500 m ", "men's 500 m"), ("男子 500米", "男子 500米"), ("メダル", "メダル"),
     ("대한민국", "대한민국"), ("ｶﾅﾀﾞ", "カナダ"), ("ＡＢＣ", "abc")],
)  # fmt: skip
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


# --- nations and arenas -----------------------------------------------------------------

NATIONS = [
    ("en", "South Korea", "KOR"), ("en", "Soviet Union", "URS"), ("en", "Czechia", "CZE"),
    ("sl", "KAN", "CAN"), ("sl", "ZDA", "USA"), ("sl", "BOL", "BUL"), ("sl", "Kitajska", "CHN"),
    ("de", "Kanada", "CAN"), ("de", "Südkorea", "KOR"), ("de", "Niederlande", "NED"),
    ("it", "Canada", "CAN"), ("it", "Corea del Sud", "KOR"), ("it", "Paesi Bassi", "NED"),
    ("fr", "Corée du Sud", "KOR"), ("fr", "Pays-Bas", "NED"), ("nl", "Zuid-Korea", "KOR"),
    ("es", "Corea del Sur", "KOR"), ("es", "Países Bajos", "NED"),
    ("hu", "Kanada", "CAN"), ("hu", "Dél-Korea", "KOR"), ("hu", "Hollandia", "NED"),
    ("cs", "Kanada", "CAN"), ("cs", "Jižní Korea", "KOR"), ("cs", "Nizozemsko", "NED"),
    ("pl", "Kanada", "CAN"), ("pl", "Korea Południowa", "KOR"), ("pl", "Holandia", "NED"),
    ("ru", "Канада", "CAN"), ("ru", "Южная Корея", "KOR"), ("ru", "Нидерланды", "NED"),
    ("zh", "加拿大", "CAN"), ("zh", "韩国", "KOR"), ("zh", "南韓", "KOR"), ("zh", "荷兰", "NED"),
    ("zh", "中国", "CHN"), ("ja", "カナダ", "CAN"), ("ja", "韓国", "KOR"),
    ("ja", "オランダ", "NED"), ("ja", "中国", "CHN"), ("ko", "캐나다", "CAN"),
    ("ko", "대한민국", "KOR"), ("ko", "한국", "KOR"),
    ("ko", "네덜란드", "NED"), ("ko", "중국", "CHN"),
    ("de", "GER", "GER"), ("en", "URS", "URS"), ("en", "EUN", "EUN"), ("en", "GDR", "GDR"),
    ("en", "FRG", "FRG"), ("en", "TCH", "TCH"), ("en", "YUG", "YUG"), ("en", "ROC", "ROC"),
    ("en", "OAR", "OAR"), ("en", "AIN", "AIN"), ("ru", "СССР", "URS"), ("de", "DDR", "GDR"),
]  # fmt: skip


@pytest.mark.parametrize(("language", "text", "code"), NATIONS)
def test_resolve_nation(language: str, text: str, code: str) -> None:
    assert resolve_nation(text, language) == code


@pytest.mark.parametrize(("language", "text", "code"), [n for n in NATIONS if n[0] != "sl"])
def test_resolve_nation_without_language(language: str, text: str, code: str) -> None:
    """An alias that only one nation uses in any language resolves without naming one."""
    assert resolve_nation(text) == code


def _aliases() -> list[dict[str, str]]:
    with (DATA / "nation_aliases.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_short_track_nation_is_named_in_every_language(language: str) -> None:
    named = {row["code"] for row in _aliases() if row["language"] == language}
    assert set(SHORT_TRACK_NATIONS) - named == set()
    assert language in nation_languages()


def test_every_alias_names_a_known_nation_once_per_language() -> None:
    seen: dict[tuple[str, str], str] = {}
    for row in _aliases():
        assert resolve_nation(row["code"]) == row["code"], row
        key = (row["language"], fold(row["alias"]))
        assert seen.setdefault(key, row["code"]) == row["code"], row


@pytest.mark.parametrize(
    ("text", "city", "nation"),
    [("Utah Olympic Oval", "Salt Lake City", "USA"), ("Pacific Coliseum", "Vancouver", "CAN"),
     ("maurice richard arena", "Montreal", "CAN"), ("Thialf", "Heerenveen", "NED")],
)  # fmt: skip
def test_known_arenas(text: str, city: str, nation: str) -> None:
    arena = known_arena(text)
    assert arena is not None and (arena.city, arena.nation) == (city, nation)


def test_arena_list_is_long_enough_and_well_formed() -> None:
    with (DATA / "arenas.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) >= 30
    assert all(resolve_nation(r["nation"]) == r["nation"] and r["city"] for r in rows)
    assert known_arena("Nowhere Hall") is None


@pytest.mark.parametrize(
    ("header", "language", "role"),
    [("Kraj", "pl", "nation"), ("Kraj", "sl", "place"), ("Kraj", "en", "place"),
     ("Zeit", "de", "time"), ("Time", "pl", "time")],
)  # fmt: skip
def test_column_role_in_a_language(header: str, language: str, role: str) -> None:
    """A header word two languages spell alike is read in the table's own language first."""
    assert column_role_in(header, language) == role
