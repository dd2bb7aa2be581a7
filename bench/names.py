"""Names, nations, venues and small text helpers for the synthetic corpus (data, not logic)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date


def words(text: str) -> list[str]:
    """The space-separated words of `text` (keeps the long name lists compact)."""
    return text.split()


NATIONS: list[tuple[str, str, int]] = [  # IOC code, English name, weight
    ("KOR", "South Korea", 12),
    ("CHN", "China", 12),
    ("CAN", "Canada", 10),
    ("USA", "United States", 8),
    ("JPN", "Japan", 8),
    ("ITA", "Italy", 6),
    ("NED", "Netherlands", 6),
    ("RUS", "Russia", 6),
    ("FRA", "France", 5),
    ("GBR", "Great Britain", 5),
    ("HUN", "Hungary", 4),
    ("GER", "Germany", 4),
    ("BUL", "Bulgaria", 3),
    ("KAZ", "Kazakhstan", 3),
    ("POL", "Poland", 3),
    ("BEL", "Belgium", 3),
    ("AUS", "Australia", 2),
    ("UKR", "Ukraine", 2),
    ("LAT", "Latvia", 2),
    ("CZE", "Czech Republic", 2),
    ("SUI", "Switzerland", 1),
    ("AUT", "Austria", 1),
]
NATION_NAMES = {code: name for code, name, _ in NATIONS}
# Slovenian codes and names (loaders/data/nation_aliases.tsv); others keep the IOC code.
SL_CODES = {
    "CAN": "KAN",
    "USA": "ZDA",
    "AUS": "AVT",
    "AUT": "AVS",
    "CHN": "KIT",
    "KOR": "JKO",
    "JPN": "JAP",
    "GER": "NEM",
    "NED": "NIZ",
    "GBR": "VB",
    "BUL": "BOL",
    "HUN": "MAD",
}
SL_NAMES = {
    "CAN": "Kanada",
    "USA": "Združene države",
    "AUS": "Avstralija",
    "AUT": "Avstrija",
    "CHN": "Kitajska",
    "KOR": "Južna Koreja",
    "JPN": "Japonska",
    "ITA": "Italija",
    "GER": "Nemčija",
    "NED": "Nizozemska",
    "RUS": "Rusija",
    "FRA": "Francija",
    "GBR": "Velika Britanija",
    "BUL": "Bolgarija",
    "HUN": "Madžarska",
    "BEL": "Belgija",
    "POL": "Poljska",
    "UKR": "Ukrajina",
    "KAZ": "Kazahstan",
    "SUI": "Švica",
    "CZE": "Češka",
    "LAT": "Latvija",
}
# City, IOC code, arena, the heading a per-venue calendar gives the stop.
VENUES: list[tuple[str, str, str]] = [
    ("Changchun", "CHN", "Changchun Wuhuan Gymnasium"),
    ("Beijing", "CHN", "Capital Indoor Stadium"),
    ("Shanghai", "CHN", "Oriental Sports Center"),
    ("Nobeyama", "JPN", "Nobeyama Ice Arena"),
    ("Nagoya", "JPN", "Nippon Gaishi Hall"),
    ("Calgary", "CAN", "Olympic Oval"),
    ("Saguenay", "CAN", "Centre Georges-Vézina"),
    ("Montreal", "CAN", "Maurice Richard Arena"),
    ("Sofia", "BUL", "Winter Sports Palace"),
    ("Amsterdam", "NED", "Jaap Edenhal"),
    ("Dordrecht", "NED", "Sportboulevard Dordrecht"),
    ("Chuncheon", "KOR", "Uiam Ice Rink"),
    ("Seoul", "KOR", "Mokdong Ice Rink"),
    ("Saint Petersburg", "RUS", "Yubileyny Sports Palace"),
    ("Moscow", "RUS", "Krylatskoye Sports Palace"),
    ("Bormio", "ITA", "Palaghiaccio Bormio"),
    ("Turin", "ITA", "Palavela"),
    ("Salt Lake City", "USA", "Utah Olympic Oval"),
    ("Marquette", "USA", "Lakeview Arena"),
    ("Dresden", "GER", "EnergieVerbund Arena"),
    ("Budapest", "HUN", "Tüskecsarnok"),
    ("Grenoble", "FRA", "Patinoire Pôle Sud"),
    ("Sheffield", "GBR", "Ice Sheffield"),
    ("Almaty", "KAZ", "Halyk Arena"),
]
REGION_HEADINGS = {
    "CHN": "China",
    "JPN": "Japan",
    "CAN": "Canada",
    "BUL": "Bulgaria",
    "NED": "Netherlands",
    "KOR": "Korea",
    "RUS": "Russia",
    "ITA": "Italy",
    "USA": "United States",
    "GER": "Germany",
    "HUN": "Hungary",
    "FRA": "France",
    "GBR": "Great Britain",
    "KAZ": "Kazakhstan",
}
KOREAN_FAMILY = words(
    "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn "
    "Song Ryu Hong Jeon Ko Moon Son Bae Baek Heo Yoo Nam Sim Noh Joo Ha Kwak Sung Cha "
    "Woo Min Yeo"
)
KOREAN_SYLLABLES = words(
    "Dong Sung Seung Jae Hyun Soo Min Ji Eun Kyung Ha Ri Jin Young Ho Woo Joon Hee "
    "Suk Gi Yeon Hye Won Sang Chul Tae Kyu Se Jong Hoon Yun Ra Na Bin Jun Ah"
)
CHINESE_FAMILY = words(
    "Li Wang Zhang Liu Chen Zhao Huang Zhou Wu Xu Sun Hu Zhu Gao Lin He Guo Ma Luo "
    "Liang Zheng Xie Tang Feng Dong Xiao Cheng Cao Yuan Deng Fu Shen Zeng Peng Su "
    "Jiang Cai Jia Ding Wei Xue Ye Yan Pan Du Dai Xia Zhong Tian Ren Fan Fang Shi Yao "
    "Tan Sui An Qu Wen"
)
CHINESE_SYLLABLES = words(
    "Jia Jun Yu Long Kai Meng Wei Dan Chun Lu Xiao Ying Bao Tian Hong Lei Xin Yi Hao "
    "Ran Jing Zi Qi Ning Kun Tong Fei Rui Shu Lin Bo Yan Ting"
)
JAPANESE_FAMILY = words(
    "Tanaka Terao Nishitani Kamino Tamura Sakazume Yoshizawa Watanabe Suzuki "
    "Takahashi Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Sasaki Matsumoto "
    "Inoue Kimura Hayashi Shimizu Yamazaki Mori Abe Ikeda Hashimoto Ishikawa Ogawa"
)
JAPANESE_GIVEN = {
    "men": words(
        "Satoru Takafumi Naoya Ryosuke Kazuki Hiroki Shinji Kenji Daisuke Akira Keita "
        "Shota Yuki Takuya Kei Hiroshi"
    ),
    "women": words(
        "Chikage Yuka Mika Yui Sayuri Haruka Nao Sumire Ayuko Hitomi Aika Biba Mariko "
        "Yoko Sachi Rina"
    ),
}
FRENCH_FAMILY = words(
    "Bédard Gagnon Tremblay Turcotte Guilmette Monette Goulet-Nadon Hamelin Boutin "
    "Dubois Lévesque Bélanger Côté Gélinas Bouvier Vicent Laroche Thériault Bérubé "
    "Pelletier Fréchette Lépine Ouellet Girard Brière Dufour Séguin Rhéaume"
)
FRENCH_GIVEN = {
    "men": words(
        "Éric Marc Jonathan Mathieu François-Louis Jean-François Frédéric Cédric "
        "Sébastien Olivier Charles Guillaume Rémi Maxime Jérôme Benoît"
    ),
    "women": words(
        "Amélie Stéphanie Tania Hélène Valérie Joëlle Mélanie Geneviève Marianne Kim "
        "Isabelle Chloé Émilie Josée Anne-Marie Noémie"
    ),
}
WESTERN_FAMILY = words(
    "Smith Carta Rodigari Franceschina Antonioli Carnino Ohno Celski Malone Knegt "
    "Schulting Kerkhof Williams Lindsay Radanova Dimitrova Knoch Burján Maliszewska "
    "Evteeva Borodulina Kraus Scholten Bradbury Loscos Juffermans Capurso Zini "
    "Fontana Valcepina Cecchini Herrmann Seifert Nagy Kovács Ivanov Petrov Sokolov "
    "Kowalski Novák Müller Schäfer Jansen Visser Bakker Clarke Taylor Brown Davies "
    "Janssens Peeters Koch Vogel Hofmann"
)
WESTERN_GIVEN = {
    "men": words(
        "Fabio Nicola Apolo Anton Rusty Steven Bruno Cees Jeff Michele Maurizio Sjinkie "
        "Freek Jon Jack Dmitri Viktor Semion Shaolin Csaba Tomasz Jakub Niels Lukas "
        "Pieter Tobias Paul Robert Elliot"
    ),
    "women": words(
        "Evgenia Joanna Sarah Alanna Nina Tatiana Marta Mara Arianna Elise Natalia "
        "Suzanne Jorien Lara Martina Petra Andrea Sofia Bianca Anna Eva Lieke Kathryn "
        "Charlotte Jessica Erin Marie Agnieszka"
    ),
}
NAMESAKES = {
    "men": [("Li Ye", "A", "B")],
    "women": [("Yang Yang", "A", "S"), ("Wang Wei", "A", "B")],
}

DISTANCES = {
    "world_championships": (500, 1000, 1500, 3000),
    "european_championships": (500, 1000, 1500, 3000),
    "olympics": (500, 1000, 1500),
    "world_team_championships": (500, 1000),
}
CHAMPIONSHIP_WEIGHT = {
    "world_championships": 0.40,
    "european_championships": 0.33,
    "olympics": 0.27,
    "world_team_championships": 0.10,
}
CHAMPIONSHIP_TITLE = {
    "world_championships": "World Championships in short track speed skating",
    "european_championships": "European Championships in short track speed skating",
    "world_team_championships": "World Team Championships in short track speed skating",
    "olympics": "Winter Olympic Games",
}
BASE_TIME_MS = {500: 41_500, 1000: 86_000, 1500: 134_000, 3000: 290_000}
RELAY_TIME_MS = {"men": 410_000, "women": 250_000}
RELAY_METRES = {"men": 5000, "women": 3000}
GENDERS = ("men", "women")
EN_GENDER = {"men": "Men", "women": "Women"}
SL_GENDER = {"men": "Moški", "women": "Ženske"}
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
ROUND_NAMES = ("Heat", "Quarterfinal", "Semifinal", "Final B")
STATUSES = ("DQ", "DNF", "PEN")
Row = tuple[str, str, str]  # competitor as written, IOC code, time cell


@dataclass(slots=True)
class Athlete:
    """One synthetic person: a canonical spelling, a nation, a career span."""

    name: str
    gender: str
    nation: str
    first: int
    last: int
    suffix: str | None = None


def fold_key(text: str) -> str:
    """Case-, diacritic-, hyphen- and space-free key (two such spellings are one athlete)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-.'\u2019]+", "", stripped.casefold())


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def roman(number: int) -> str:
    """A Roman numeral (`19` -> `XIX`)."""
    out = []
    for value, letters in (
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def olympic_years() -> dict[int, int]:
    """Year of the Winter Games -> their number (as `loaders.seasons.winter_games_year`)."""
    years: dict[int, int] = {}
    for number in range(1, 50):
        year = 1924 + 4 * (number - 1) + (8 if number >= 5 else 0) - (2 if number >= 17 else 0)
        years[year] = number
    return years


def clock(ms: int) -> str:
    """`41.802` or `1:29.109`."""
    minutes, rest = divmod(ms, 60_000)
    return f"{minutes}:{rest / 1000:06.3f}" if minutes else f"{rest / 1000:.3f}"


def season_name(start: int) -> str:
    return f"{start}\u2013{(start + 1) % 100:02d}"


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def date_range(start: date, end: date, dash: str = "-") -> str:
    """`21-23 September 2001` or `29 November – 1 December 2002`."""
    if start.month == end.month:
        return f"{start.day}{dash}{end.day} {MONTHS[end.month - 1]} {end.year}"
    return f"{start.day} {MONTHS[start.month - 1]} \u2013 {long_date(end)}"
