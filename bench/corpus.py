"""Synthetic corpus: documents in the three seed families, sized by total placements.

Every season gets one World Cup document (rotating between the flattened season
tables of seed 000, the per-venue calendar of seed 001 and the arena calendar of
seed 003) and MediaWiki documents for its championships (seed 002: Olympic
documents carry a Slovenian section, then an English one). Championship races
are published in full: a classification of the whole field, then every heat,
quarterfinal, semifinal and B final as a numbered race (`500 m (7)`), which is
how the loaders accept rounds. The generator counts the placements the loaders
will read, so a corpus of N placements parses to N placements.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

PER_SEASON = 8_000  # placements per season at full density
MAX_SEASONS = 125  # seasons 1901-02 … 2025-26
LAST_START_YEAR = 2025
MAX_RACE_NO = 99  # the loaders read `(n)` with one or two digits

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

KOREAN_FAMILY = [
    "Kim",
    "Lee",
    "Park",
    "Choi",
    "Jung",
    "Kang",
    "Cho",
    "Yoon",
    "Jang",
    "Lim",
    "Han",
    "Oh",
    "Seo",
    "Shin",
    "Kwon",
    "Hwang",
    "Ahn",
    "Song",
    "Ryu",
    "Hong",
    "Jeon",
    "Ko",
    "Moon",
    "Son",
    "Bae",
    "Baek",
    "Heo",
    "Yoo",
    "Nam",
    "Sim",
    "Noh",
    "Joo",
    "Ha",
    "Kwak",
    "Sung",
    "Cha",
    "Woo",
    "Min",
    "Yeo",
]
KOREAN_SYLLABLES = [
    "Dong",
    "Sung",
    "Seung",
    "Jae",
    "Hyun",
    "Soo",
    "Min",
    "Ji",
    "Eun",
    "Kyung",
    "Ha",
    "Ri",
    "Jin",
    "Young",
    "Ho",
    "Woo",
    "Joon",
    "Hee",
    "Suk",
    "Gi",
    "Yeon",
    "Hye",
    "Won",
    "Sang",
    "Chul",
    "Tae",
    "Kyu",
    "Se",
    "Jong",
    "Hoon",
    "Yun",
    "Ra",
    "Na",
    "Bin",
    "Jun",
    "Ah",
]
CHINESE_FAMILY = [
    "Li",
    "Wang",
    "Zhang",
    "Liu",
    "Chen",
    "Zhao",
    "Huang",
    "Zhou",
    "Wu",
    "Xu",
    "Sun",
    "Hu",
    "Zhu",
    "Gao",
    "Lin",
    "He",
    "Guo",
    "Ma",
    "Luo",
    "Liang",
    "Zheng",
    "Xie",
    "Tang",
    "Feng",
    "Dong",
    "Xiao",
    "Cheng",
    "Cao",
    "Yuan",
    "Deng",
    "Fu",
    "Shen",
    "Zeng",
    "Peng",
    "Su",
    "Jiang",
    "Cai",
    "Jia",
    "Ding",
    "Wei",
    "Xue",
    "Ye",
    "Yan",
    "Pan",
    "Du",
    "Dai",
    "Xia",
    "Zhong",
    "Tian",
    "Ren",
    "Fan",
    "Fang",
    "Shi",
    "Yao",
    "Tan",
    "Sui",
    "An",
    "Qu",
    "Wen",
]
CHINESE_SYLLABLES = [
    "Jia",
    "Jun",
    "Yu",
    "Long",
    "Kai",
    "Meng",
    "Wei",
    "Dan",
    "Chun",
    "Lu",
    "Xiao",
    "Ying",
    "Bao",
    "Tian",
    "Hong",
    "Lei",
    "Xin",
    "Yi",
    "Hao",
    "Ran",
    "Jing",
    "Zi",
    "Qi",
    "Ning",
    "Kun",
    "Tong",
    "Fei",
    "Rui",
    "Shu",
    "Lin",
    "Bo",
    "Yan",
    "Ting",
]
JAPANESE_FAMILY = [
    "Tanaka",
    "Terao",
    "Nishitani",
    "Kamino",
    "Tamura",
    "Sakazume",
    "Yoshizawa",
    "Watanabe",
    "Suzuki",
    "Takahashi",
    "Ito",
    "Yamamoto",
    "Nakamura",
    "Kobayashi",
    "Kato",
    "Yoshida",
    "Yamada",
    "Sasaki",
    "Matsumoto",
    "Inoue",
    "Kimura",
    "Hayashi",
    "Shimizu",
    "Yamazaki",
    "Mori",
    "Abe",
    "Ikeda",
    "Hashimoto",
    "Ishikawa",
    "Ogawa",
]
JAPANESE_GIVEN = {
    "men": [
        "Satoru",
        "Takafumi",
        "Naoya",
        "Ryosuke",
        "Kazuki",
        "Hiroki",
        "Shinji",
        "Kenji",
        "Daisuke",
        "Akira",
        "Keita",
        "Shota",
        "Yuki",
        "Takuya",
        "Kei",
        "Hiroshi",
    ],
    "women": [
        "Chikage",
        "Yuka",
        "Mika",
        "Yui",
        "Sayuri",
        "Haruka",
        "Nao",
        "Sumire",
        "Ayuko",
        "Hitomi",
        "Aika",
        "Biba",
        "Mariko",
        "Yoko",
        "Sachi",
        "Rina",
    ],
}
FRENCH_FAMILY = [
    "Bédard",
    "Gagnon",
    "Tremblay",
    "Turcotte",
    "Guilmette",
    "Monette",
    "Goulet-Nadon",
    "Hamelin",
    "Boutin",
    "Dubois",
    "Lévesque",
    "Bélanger",
    "Côté",
    "Gélinas",
    "Bouvier",
    "Vicent",
    "Laroche",
    "Thériault",
    "Bérubé",
    "Pelletier",
    "Fréchette",
    "Lépine",
    "Ouellet",
    "Girard",
    "Brière",
    "Dufour",
    "Séguin",
    "Rhéaume",
]
FRENCH_GIVEN = {
    "men": [
        "Éric",
        "Marc",
        "Jonathan",
        "Mathieu",
        "François-Louis",
        "Jean-François",
        "Frédéric",
        "Cédric",
        "Sébastien",
        "Olivier",
        "Charles",
        "Guillaume",
        "Rémi",
        "Maxime",
        "Jérôme",
        "Benoît",
    ],
    "women": [
        "Amélie",
        "Stéphanie",
        "Tania",
        "Hélène",
        "Valérie",
        "Joëlle",
        "Mélanie",
        "Geneviève",
        "Marianne",
        "Kim",
        "Isabelle",
        "Chloé",
        "Émilie",
        "Josée",
        "Anne-Marie",
        "Noémie",
    ],
}
WESTERN_FAMILY = [
    "Smith",
    "Carta",
    "Rodigari",
    "Franceschina",
    "Antonioli",
    "Carnino",
    "Ohno",
    "Celski",
    "Malone",
    "Knegt",
    "Schulting",
    "Kerkhof",
    "Williams",
    "Lindsay",
    "Radanova",
    "Dimitrova",
    "Knoch",
    "Burján",
    "Maliszewska",
    "Evteeva",
    "Borodulina",
    "Kraus",
    "Scholten",
    "Bradbury",
    "Loscos",
    "Juffermans",
    "Capurso",
    "Zini",
    "Fontana",
    "Valcepina",
    "Cecchini",
    "Herrmann",
    "Seifert",
    "Nagy",
    "Kovács",
    "Ivanov",
    "Petrov",
    "Sokolov",
    "Kowalski",
    "Novák",
    "Müller",
    "Schäfer",
    "Jansen",
    "Visser",
    "Bakker",
    "Clarke",
    "Taylor",
    "Brown",
    "Davies",
    "Janssens",
    "Peeters",
    "Koch",
    "Vogel",
    "Hofmann",
]
WESTERN_GIVEN = {
    "men": [
        "Fabio",
        "Nicola",
        "Apolo",
        "Anton",
        "Rusty",
        "Steven",
        "Bruno",
        "Cees",
        "Jeff",
        "Michele",
        "Maurizio",
        "Sjinkie",
        "Freek",
        "Jon",
        "Jack",
        "Dmitri",
        "Viktor",
        "Semion",
        "Shaolin",
        "Csaba",
        "Tomasz",
        "Jakub",
        "Niels",
        "Lukas",
        "Pieter",
        "Tobias",
        "Paul",
        "Robert",
        "Elliot",
    ],
    "women": [
        "Evgenia",
        "Joanna",
        "Sarah",
        "Alanna",
        "Nina",
        "Tatiana",
        "Marta",
        "Mara",
        "Arianna",
        "Elise",
        "Natalia",
        "Suzanne",
        "Jorien",
        "Lara",
        "Martina",
        "Petra",
        "Andrea",
        "Sofia",
        "Bianca",
        "Anna",
        "Eva",
        "Lieke",
        "Kathryn",
        "Charlotte",
        "Jessica",
        "Erin",
        "Marie",
        "Agnieszka",
    ],
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


@dataclass(slots=True)
class Corpus:
    """The documents written and the facts the loaders should read from them."""

    paths: list[Path] = field(default_factory=list)
    placements: int = 0
    standings: int = 0
    seasons: int = 0


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
    for number in range(1, 40):
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


class Generator:
    """Builds the athlete pool and writes the documents of every season."""

    def __init__(self, total: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.total = total
        self.seasons = max(2, min(MAX_SEASONS, round(total / PER_SEASON)))
        self.first_year = LAST_START_YEAR - self.seasons + 1
        self.olympics = olympic_years()
        per_gender = max(150, min(4_000, total // 250))
        self.pool: dict[str, list[Athlete]] = {g: self._athletes(g, per_gender) for g in GENDERS}
        self.emitted = 0
        self.standings = 0

    # -- athletes ---------------------------------------------------------------------------

    def _name(self, nation: str, gender: str) -> str:
        rng = self.rng
        if nation == "KOR":
            first, second = rng.sample(KOREAN_SYLLABLES, 2)
            return f"{rng.choice(KOREAN_FAMILY)} {first}-{second}"
        if nation == "CHN":
            given = "".join(rng.sample(CHINESE_SYLLABLES, rng.choice((1, 2, 2)))).capitalize()
            return f"{rng.choice(CHINESE_FAMILY)} {given}"
        if nation == "JPN":
            return f"{rng.choice(JAPANESE_GIVEN[gender])} {rng.choice(JAPANESE_FAMILY)}"
        if nation in ("CAN", "FRA", "SUI", "BEL") and rng.random() < 0.7:
            return f"{rng.choice(FRENCH_GIVEN[gender])} {rng.choice(FRENCH_FAMILY)}"
        return f"{rng.choice(WESTERN_GIVEN[gender])} {rng.choice(WESTERN_FAMILY)}"

    def _athletes(self, gender: str, count: int) -> list[Athlete]:
        rng = self.rng
        codes = [c for c, _, _ in NATIONS]
        weights = [w for _, _, w in NATIONS]
        seen: set[str] = set()
        for base, *_ in NAMESAKES[gender]:
            seen.add(fold_key(base))
        athletes: list[Athlete] = []
        span = self.seasons
        while len(athletes) < count:
            nation = rng.choices(codes, weights)[0]
            name = self._name(nation, gender)
            key = fold_key(name)
            if key in seen:
                continue
            seen.add(key)
            first = rng.randrange(self.first_year - 10, self.first_year + span)
            length = rng.randint(2, 12)
            athletes.append(Athlete(name, gender, nation, first, first + length))
        for base, *suffixes in NAMESAKES[gender]:
            for suffix in suffixes:
                first = rng.randrange(self.first_year - 4, self.first_year + span)
                athletes.append(Athlete(base, gender, "CHN", first, first + 10, suffix))
        # Every season needs a field: stretch careers where a season would be thin.
        for year in range(self.first_year, self.first_year + span):
            active = sum(1 for a in athletes if a.first <= year <= a.last)
            short = 90 - active
            for athlete in rng.sample(athletes, len(athletes)):
                if short <= 0:
                    break
                if not athlete.first <= year <= athlete.last:
                    athlete.first, athlete.last = min(athlete.first, year), max(athlete.last, year)
                    short -= 1
        return athletes

    def spelled(self, athlete: Athlete) -> str:
        """The name as one source writes it: mostly canonical, sometimes a variant."""
        name = athlete.name
        roll = self.rng.random()
        if roll < 0.06 and "-" in name:
            head, _, tail = name.rpartition("-")
            name = f"{head}-{tail.lower() if tail[:1].isupper() else tail.capitalize()}"
        elif roll < 0.12 and name != strip_accents(name):
            name = strip_accents(name)
        return f"{name} ({athlete.suffix})" if athlete.suffix else name

    def active(self, gender: str, year: int) -> list[Athlete]:
        return [a for a in self.pool[gender] if a.first <= year <= a.last]

    # -- driver ----------------------------------------------------------------------------

    def documents(self) -> Iterator[str]:
        """Every document text, season by season, until the placement budget is spent."""
        for index in range(self.seasons):
            year = self.first_year + index
            left = self.seasons - index
            budget = (self.total - self.emitted) // left
            if budget <= 0:
                return
            yield from self.season(year, budget, index)

    def season(self, year: int, budget: int, index: int) -> Iterator[str]:
        start = self.emitted
        championships = ["world_championships", "european_championships"]
        if year + 1 in self.olympics:
            championships.append("olympics")
        if year >= 1990:
            championships.append("world_team_championships")
        dates = self.championship_dates(year, championships)
        style = ("season_tables", "calendar", "arena_calendar")[index % 3]
        world_cup = WorldCup(self, year, style, dates)
        yield world_cup.render(max(0, budget // 8))
        rest = budget - (self.emitted - start)
        weight = sum(CHAMPIONSHIP_WEIGHT[c] for c in championships)
        for series in championships:
            share = int(rest * CHAMPIONSHIP_WEIGHT[series] / weight)
            if share > 0:
                yield Championship(self, year, series, dates[series]).render(share)

    def championship_dates(
        self, year: int, championships: list[str]
    ) -> dict[str, tuple[date, date, tuple[str, str, str]]]:
        months = {
            "european_championships": 1,
            "olympics": 2,
            "world_team_championships": 3,
            "world_championships": 3,
        }
        found = {}
        for series in championships:
            day = date(year + 1, months[series], self.rng.randint(1, 20))
            if series == "world_championships":
                day += timedelta(days=12)
            venue = self.rng.choice(VENUES)
            length = 10 if series == "olympics" else 2
            found[series] = (day, day + timedelta(days=length), venue)
        return found


class WorldCup:
    """One World Cup season document in one of the three pipe-table shapes."""

    def __init__(
        self,
        gen: Generator,
        year: int,
        style: str,
        championships: dict[str, tuple[date, date, tuple[str, str, str]]],
    ) -> None:
        self.gen = gen
        self.rng = gen.rng
        self.year = year
        self.style = style
        self.championships = championships
        count = self.rng.randint(5, 8)
        venues = self.rng.sample(VENUES, count)
        first = date(year, 10, self.rng.randint(1, 20))
        self.stops: list[tuple[date, tuple[str, str, str]]] = []
        day = first
        for venue in venues:
            self.stops.append((day, venue))
            day += timedelta(days=self.rng.choice((7, 7, 14, 21, 35)))
        self.roster = {g: gen.active(g, year) for g in GENDERS}

    def distances(self) -> list[str]:
        if self.style == "arena_calendar":
            doubled = self.rng.choice((500, 1000, 1500))
            out = [f"{d}m" if d != doubled else f"{d}m (1)" for d in (500, 1000, 1500)]
            out.insert(out.index(f"{doubled}m (1)") + 1, f"{doubled}m (2)")
            return out
        unit = " m" if self.style == "season_tables" else "m"
        return [f"{d}{unit}" for d in (500, 1000, 1500, 3000)]

    def person(self, gender: str, empty: float = 0.04) -> str:
        if self.rng.random() < empty:
            return ""
        athlete = self.rng.choice(self.roster[gender])
        self.gen.emitted += 1
        return f"{athlete.nation} {self.gen.spelled(athlete)}"

    def podium(
        self, gender: str, relay: bool, bare: bool = False, empty: float = 0.04
    ) -> list[str]:
        if relay:
            codes = self.rng.sample(NATIONS[:14], 3)
            cells = []
            for code, name, _ in codes:
                if self.rng.random() < empty:
                    cells.append("")
                    continue
                self.gen.emitted += 1
                cells.append(code if bare else f"{code} {name}")
            return cells
        athletes = self.rng.sample(self.roster[gender], 3)
        cells = []
        for athlete in athletes:
            if self.rng.random() < empty:
                cells.append("")
                continue
            self.gen.emitted += 1
            cells.append(f"{athlete.nation} {self.gen.spelled(athlete)}")
        return cells

    def render(self, budget: int) -> str:
        del budget  # a World Cup document has the size its stops give it
        if self.style == "season_tables":
            return self.season_tables()
        return self.calendar(arena=self.style == "arena_calendar")

    def title(self) -> list[str]:
        name = season_name(self.year)
        first, last = self.stops[0][0], self.stops[-1][0] + timedelta(days=2)
        return [
            f"= {name} ISU Short Track Speed Skating World Cup =",
            "",
            "Infobox",
            "- Event: ISU Short Track World Cup",
            f"- Dates: {long_date(first)} \u2013 {long_date(last)}",
            f"- Prev: {season_name(self.year - 1)} World Cup",
            f"- Next: {season_name(self.year + 1)} World Cup",
            "",
            f"The {name} ISU Short Track Speed Skating World Cup was a multi-race tournament over"
            " a season for short track speed skating. The season began on"
            f" {long_date(first)} and ended on {long_date(last)}. The World Cup was organised by"
            " the International Skating Union.",
            "",
            f"The World Cup consisted of {len(self.stops)} tournaments in this season.",
            "",
        ]

    # -- seed 000: flattened season tables ----------------------------------------------------

    def season_tables(self) -> str:
        name = season_name(self.year)
        lines = [
            f"= {name} ISU Short Track Speed Skating World Cup =",
            "",
            f"The {self.year + 1} Short Track Speed Skating World Cup was a multi-race tournament"
            " over a season for short track speed skating. The World Cup was organised by the ISU.",
            "",
        ]
        for gender in GENDERS:
            lines += [
                f"=={EN_GENDER[gender]}==",
                "===Events===",
                "| Date | Place | Discipline | Winner |",
            ]
            relay = f"{RELAY_METRES[gender]} m relay"
            for start, (city, code, _arena) in self.stops:
                span = date_range(start, start + timedelta(days=2))
                first, *rest = [*self.distances(), relay]
                lines.append(f"| {span} | {code} {city} | {first} | {self.person(gender)} |")
                for distance in rest:
                    cells = self.podium(gender, distance == relay)
                    lines.append(f"| {distance} | {' | '.join(cells)} |".replace("|  |", "| |"))
            for series in (
                "european_championships",
                "olympics",
                "world_team_championships",
                "world_championships",
            ):
                if series not in self.championships:
                    continue
                start, end, (city, code, _arena) = self.championships[series]
                label = {
                    "european_championships": "European Championships",
                    "olympics": "Winter Olympics",
                    "world_team_championships": "World Team Championships",
                    "world_championships": "World Championships",
                }[series]
                nation = NATION_NAMES.get(code, code)
                lines.append(
                    f"| {date_range(start, end, chr(0x2013))} {label} in {code} {city}, {nation}"
                    " | | | |"
                )
            lines += ["", "===World Cup Rankings===", *self.rankings(gender), ""]
        return "\n".join(lines) + "\n"

    def rankings(self, gender: str) -> list[str]:
        lines: list[str] = []
        for index, label in enumerate(("", "500 m", "1000 m", "1500 m")):
            if label:
                lines += ["|", label, ""]
            lines.append("| Rank | Name | Points |")
            points = 100
            for rank, athlete in enumerate(self.rng.sample(self.roster[gender], 10), start=1):
                points -= self.rng.randint(0, 8)
                lines.append(
                    f"| {rank} | {athlete.nation} {self.gen.spelled(athlete)} | {points} |"
                )
                self.gen.standings += 1
            del index
        lines.append("|}")
        lines.append("| Rank | Name | Points |")
        points = 100
        for rank, (code, name, _) in enumerate(self.rng.sample(NATIONS[:14], 10), start=1):
            points -= self.rng.randint(0, 9)
            lines.append(f"| {rank} | {code} {name} | {points} |")
            self.gen.standings += 1
        lines.append("|}")
        return lines

    # -- seeds 001 and 003: per-venue calendars -----------------------------------------------

    def calendar(self, arena: bool) -> str:
        lines = [*self.title(), "== Calendar ==" if arena else "==Calendar==", ""]
        for gender in GENDERS:
            lines += [f"=== {EN_GENDER[gender]} ===", ""]
            relay = f"{RELAY_METRES[gender]}m relay"
            for start, (city, code, arena_name) in self.stops:
                heading = city if arena else REGION_HEADINGS.get(code, NATION_NAMES[code])
                lines.append(f"==== {heading} ====" if arena else f"===={heading}====")
                header = "| Date | Place | Distance | Winner | Second | Third |"
                lines.append(header[:-1] + "| Reference |" if arena else header)
                for offset, distance in enumerate([*self.distances(), relay]):
                    day = start + timedelta(days=min(2, offset // 2))
                    written = day
                    if arena and self.rng.random() < 0.03:
                        written = day.replace(year=day.year - 1)  # a year the loader corrects
                    if arena:
                        place = arena_name if self.rng.random() < 0.7 else ""
                    else:
                        place = f"{code} {city}"
                    is_relay = distance == relay
                    cells = self.podium(
                        gender, is_relay, bare=arena, empty=0.5 if arena and not is_relay else 0.04
                    )
                    row = [long_date(written), place, distance, *cells]
                    if arena:
                        row.append("")
                    lines.append("| " + " | ".join(row) + " |")
                lines.append("")
        if arena:
            lines += self.arena_standings()
        else:
            lines += self.podium_standings()
        lines += [
            "==See also==",
            f"- {self.year + 1} World Short Track Speed Skating Championships",
            f"- {self.year + 1} European Short Track Speed Skating Championships",
        ]
        return "\n".join(lines) + "\n"

    def podium_standings(self) -> list[str]:
        lines = ["==Overall standings==", ""]
        for gender in GENDERS:
            lines += [f"==={EN_GENDER[gender]}===", "", "| Distance | Winner | Second | Third |"]
            relay = f"{RELAY_METRES[gender]}m relay"
            for label in ("500m", "1000m", "1500m", relay, "Overall"):
                cells = []
                for athlete in self.rng.sample(self.roster[gender], 3):
                    cells.append(f"{athlete.nation} {self.gen.spelled(athlete)}")
                if label == relay:
                    cells = [f"{c} {n}" for c, n, _ in self.rng.sample(NATIONS[:14], 3)]
                self.gen.standings += 3
                lines.append(f"| {label} | {' | '.join(cells)} |")
            lines.append("")
        return lines

    def arena_standings(self) -> list[str]:
        lines = [
            "==World Cup standings==",
            "- Note \u2013 Standings are calculated on the best 6 out of 8 results for the"
            " individual distances",
        ]
        tables = []
        for distance in (500, 1000, 1500):
            for gender in GENDERS:
                tables.append((f"{EN_GENDER[gender]}'s {distance} metres", gender, False))
        for gender in GENDERS:
            tables.append(
                (f"{EN_GENDER[gender]}'s {RELAY_METRES[gender]} metre relay", gender, True)
            )
        for index, (heading, gender, relay) in enumerate(tables):
            lines += [f"==={heading}===", f"After {len(self.stops)} of {len(self.stops)} events"]
            lines.append("| Pos | Athlete | Points |")
            points = 6000
            if relay:
                entries = [code for code, _, _ in self.rng.sample(NATIONS[:14], 5)]
            else:
                entries = [
                    f"{a.nation} {self.gen.spelled(a)}" if self.rng.random() < 0.6 else ""
                    for a in self.rng.sample(self.roster[gender], 5)
                ]
            for rank, who in enumerate(entries, start=1):
                points -= self.rng.randint(50, 900)
                lines.append(f"| {rank}. | {who} | {max(points, 1)} |")
                self.gen.standings += 1
            lines += ["|-" if index % 2 else "|", ""]
        lines += ["|}", ""]
        return lines


class Championship:
    """One championship as a MediaWiki document: full results, rounds as numbered races."""

    def __init__(
        self, gen: Generator, year: int, series: str, when: tuple[date, date, tuple[str, str, str]]
    ) -> None:
        self.gen = gen
        self.rng = gen.rng
        self.year = year
        self.series = series
        self.start, self.end, (self.city, self.code, self.arena) = when
        self.roster = {g: gen.active(g, year) for g in GENDERS}
        self.bilingual = series == "olympics"

    def render(self, budget: int) -> str:
        relay_share = min(budget // 6, 60)
        individual = budget - relay_share
        distances = DISTANCES[self.series]
        per_race = max(3, individual // (len(distances) * len(GENDERS)))
        races: dict[str, list[tuple[int, bool, list[list[Row]]]]] = {}
        for gender in GENDERS:
            races[gender] = []
            for metres in distances:
                races[gender].append((metres, False, self.individual(gender, metres, per_race)))
            races[gender].append(
                (RELAY_METRES[gender], True, self.relay(gender, max(3, relay_share // 2)))
            )
        lines: list[str] = []
        if self.bilingual:
            lines += self.slovenian(races)
        lines += self.english(races)
        return "\n".join(lines) + "\n"

    # -- results ---------------------------------------------------------------------------------

    def times(self, base: int, count: int) -> list[str]:
        out = []
        ms = int(base * self.rng.uniform(0.98, 1.03))
        for _ in range(count):
            ms += self.rng.randint(5, 900)
            roll = self.rng.random()
            if roll < 0.02:
                out.append(self.rng.choice(STATUSES))
            elif roll < 0.04:
                out.append("")
            else:
                out.append(clock(ms))
        return out

    def individual(self, gender: str, metres: int, budget: int) -> list[list[Row]]:
        """Race 1 is the classification of the whole field; then every round, race by race."""
        roster = self.roster[gender]
        field_size = max(3, min(len(roster), 64, budget // 2 if budget >= 16 else budget))
        entrants = self.rng.sample(roster, field_size)
        base = BASE_TIME_MS[metres]
        races = [self.cells(entrants, base)]
        left = budget - field_size
        while left > 0 and len(races) < MAX_RACE_NO:
            size = min(left, self.rng.randint(4, 6), len(entrants))
            heat = self.rng.sample(entrants, size)
            races.append(self.cells(heat, base))
            left -= size
        self.gen.emitted += budget - max(left, 0)
        return races

    def cells(self, athletes: list[Athlete], base: int) -> list[Row]:
        times = self.times(base, len(athletes))
        return [(self.gen.spelled(a), a.nation, t) for a, t in zip(athletes, times, strict=True)]

    def relay(self, gender: str, budget: int) -> list[list[Row]]:
        teams: dict[str, list[Athlete]] = {}
        for athlete in self.roster[gender]:
            teams.setdefault(athlete.nation, []).append(athlete)
        nations = [code for code, members in teams.items() if len(members) >= 4]
        if len(nations) < 3:
            nations = [code for code, _, _ in NATIONS[:8]]
        races: list[list[Row]] = []
        left = budget
        while left > 0 and len(races) < 8:
            size = min(left, len(nations), 12 if not races else 4)
            chosen = self.rng.sample(nations, size)
            times = self.times(RELAY_TIME_MS[gender], size)
            race = []
            for code, time in zip(chosen, times, strict=True):
                members = teams.get(code, [])
                picked = self.rng.sample(members, min(len(members), self.rng.choice((4, 5))))
                race.append((", ".join(self.gen.spelled(m) for m in picked), code, time))
            races.append(race)
            left -= size
            self.gen.emitted += size
        return races

    # -- text ------------------------------------------------------------------------------------

    def round_label(self, index: int, count: int) -> str:
        """`Heat 3`, `Quarterfinal 2`, … for the numbered races after the classification."""
        if count <= 1:
            return "Final A"
        heats = max(1, count - 8)
        if index <= heats:
            return f"Heat {index}"
        index -= heats
        for name, size in (("Quarterfinal", 4), ("Semifinal", 2), ("Final B", 1)):
            if index <= size:
                return name if size == 1 else f"{name} {index}"
            index -= size
        return f"Repechage {index}"

    def english(self, races: dict[str, list[tuple[int, bool, list[list[Row]]]]]) -> list[str]:
        year = self.end.year
        name = CHAMPIONSHIP_TITLE[self.series]
        nation = NATION_NAMES.get(self.code, self.code)
        if self.series == "olympics":
            lines = [f"'''{year} {name} {self.arena}.", ""]
        else:
            lines = [
                f"'''{year} {name}",
                "",
                f"The championships were held in {self.city}, {nation}, from"
                f" {long_date(self.start)} to {long_date(self.end)}, in the"
                f" {season_name(self.year)} season.",
                "",
            ]
        for gender in GENDERS:
            lines += [f"=={EN_GENDER[gender]}'s events==", ""]
            for metres, relay, tables in races[gender]:
                written = f"{metres:,} m" if self.rng.random() < 0.5 else f"{metres} m"
                heading = f"{written} relay" if relay else written
                lines.append(f"==={heading}===")
                for number, table in enumerate(tables, start=1):
                    caption = None
                    if number > 1:
                        label = self.round_label(number - 1, len(tables) - 1)
                        caption = f"{label} \u2013 {heading} ({number})"
                    lines += self.table(table, relay, "en", caption, medals=number == 1)
                    if number == 1 and self.rng.random() < 0.05:
                        lines.append(
                            "The referee reviewed the final and disqualified one skater for an"
                            " illegal pass on the last lap; the results above stand after review."
                        )
                lines.append("")
        return lines

    def slovenian(self, races: dict[str, list[tuple[int, bool, list[list[Row]]]]]) -> list[str]:
        number = self.gen.olympics.get(self.end.year, 19)
        lines = [
            "Rezultati hitrostnega drsanja na kratke proge na"
            f" {roman(number)}. zimskih olimpijskih igrah.",
            "",
        ]
        for gender in GENDERS:
            lines += [f"== {SL_GENDER[gender]} ==", ""]
            for metres, relay, tables in races[gender]:
                heading = f"{metres:,} m štafeta" if relay else f"{metres} m"
                lines.append(f"=== {heading} ===")
                lines += self.table(tables[0][:3], relay, "sl", None, medals=True)
                lines.append("")
        return lines

    def table(
        self,
        rows: list[Row],
        relay: bool,
        language: str,
        caption: str | None,
        medals: bool,
    ) -> list[str]:
        sl = language == "sl"
        rank_word = "Medalja" if sl else ("Medal" if medals else "Rank")
        who_word = ("Ekipa" if relay else "Tekmovalec") if sl else "Athlete"
        time_word = "Čas" if sl else "Time"
        lines = ['{| class="wikitable"']
        if caption:
            lines.append(f"|+ {caption}")
        lines += [
            '|- bgcolor="#efefef"',
            f"| '''{rank_word}'''",
            f"| '''{who_word}'''",
            f"| '''{time_word}'''",
        ]
        medal_words = ("Zlato", "Srebro", "Bron") if sl else ("Gold", "Silver", "Bronze")
        colours = ("gold", "silver", "cc9966")
        for rank, (who, code, time) in enumerate(rows, start=1):
            lines.append("|-")
            if medals and rank <= 3:
                lines.append(f'| bgcolor="{colours[rank - 1]}" | {medal_words[rank - 1]}')
            else:
                lines.append(f"| {rank}")
            lines.append(f"| 20px  {self.competitor(who, code, relay, sl)}")
            lines.append(f"| {time}")
        lines.append("|}")
        return lines

    def competitor(self, who: str, code: str, relay: bool, sl: bool) -> str:
        if relay:
            team = SL_NAMES.get(code, NATION_NAMES[code]) if sl else NATION_NAMES[code]
            return f"{team} ({who})"
        return f"{who} ({SL_CODES.get(code, code) if sl else code})"


def mutate(text: str, seed: int = 0) -> str:
    """The same document with a few cells changed: three times moved by a hundredth."""
    rng = random.Random(seed)
    times = list(re.finditer(r"^\| (\d{1,2}:)?\d{2}\.\d{3}$", text, flags=re.M))
    chosen = sorted(rng.sample(times, min(3, len(times))), key=lambda m: m.start(), reverse=True)
    for match in chosen:
        old = match.group(0)
        new = old[:-2] + str((int(old[-2]) + 1) % 10) + old[-1]
        text = text[: match.start()] + new + text[match.end() :]
    return text


def build(total_placements: int, seed: int, out_dir: Path) -> Corpus:
    """Write the corpus into `out_dir` and return what the loaders should find in it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    gen = Generator(total_placements, seed)
    corpus = Corpus(seasons=gen.seasons)
    for index, text in enumerate(gen.documents()):
        data = text.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()[:16]
        path = out_dir / f"{index:05d}_{digest}.txt"
        path.write_bytes(data)
        corpus.paths.append(path)
    corpus.placements = gen.emitted
    corpus.standings = gen.standings
    return corpus


def generate(total_placements: int, seed: int, out_dir: Path) -> list[Path]:
    """Write about `total_placements` placements as documents in `out_dir`; deterministic."""
    return build(total_placements, seed, out_dir).paths


__all__ = ["Corpus", "build", "generate", "mutate"]
