"""Synthetic corpus: documents in the seed families plus event pages, sized by placements.

Every season gets one World Cup document (rotating between the flattened season
tables of seed 000, the per-venue calendar of seed 001 and the arena calendar of
seed 003), MediaWiki documents for its championships (seed 002: Olympic
documents carry a Slovenian section, then an English one) and single-event pages
with heats, quarterfinals, semifinals and finals A and B (`bench.event_pages`):
the rounds of a championship distance, and every distance of the Four Continents
and World Junior Championships. At full density most placements are heats.
The generator counts the placements the loaders will keep, so a corpus of N
placements loads to N placements.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bench.championship import Championship
from bench.event_pages import EventPageWriter, EventSpec
from bench.names import (
    BASE_TIME_MS,
    CHAMPIONSHIP_WEIGHT,
    CHINESE_FAMILY,
    CHINESE_SYLLABLES,
    FRENCH_FAMILY,
    FRENCH_GIVEN,
    GENDERS,
    JAPANESE_FAMILY,
    JAPANESE_GIVEN,
    KOREAN_FAMILY,
    KOREAN_SYLLABLES,
    NAMESAKES,
    NATION_NAMES,
    NATIONS,
    VENUES,
    WESTERN_FAMILY,
    WESTERN_GIVEN,
    Athlete,
    fold_key,
    olympic_years,
    strip_accents,
)
from bench.worldcup import WorldCup

PER_SEASON = 4_600  # placements per season at full density
MAX_SEASONS = 198  # seasons 1901-02 … 2098-99 (the loaders read years 1800-2199)
LAST_START_YEAR = 2098
FAMILIES = ("world_cup", "championship", "event_page")
EVENT_SERIES = ("four_continents_championships", "world_junior_championships")
EVENT_DISTANCES = (500, 1000, 1500, 3000)
EVENT_SHARE = 0.3  # of a season's budget, at most, for the stand-alone event pages
EVENT_MONTH = {"four_continents_championships": 2, "world_junior_championships": 3}


@dataclass(slots=True)
class Corpus:
    """The documents written and the facts the loaders should read from them."""

    paths: list[Path] = field(default_factory=list)
    placements: int = 0
    standings: int = 0
    seasons: int = 0


class Generator:
    """Builds the athlete pool and writes the documents of every season."""

    def __init__(self, total: int, seed: int, families: Sequence[str] = FAMILIES) -> None:
        unknown = set(families) - set(FAMILIES)
        if unknown:
            raise ValueError(f"unknown families {sorted(unknown)}; known: {', '.join(FAMILIES)}")
        self.families = frozenset(families)
        self.rng = random.Random(seed)
        self.page_writer = EventPageWriter(self.rng, self.spelled, lambda c: NATION_NAMES.get(c, c))
        self.total = total
        self.seasons = max(2, min(MAX_SEASONS, round(total / PER_SEASON)))
        self.first_year = LAST_START_YEAR - self.seasons + 1
        self.olympics = olympic_years()
        per_gender = max(300, min(4_000, total // 250))
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
        if "world_cup" in self.families:
            style = ("season_tables", "calendar", "arena_calendar")[index % 3]
            yield WorldCup(self, year, style, dates).render(max(0, budget // 8))
        if "event_page" in self.families:
            alone = "championship" not in self.families
            yield from self.event_pages(year, budget if alone else int(budget * EVENT_SHARE))
        if "championship" not in self.families:
            return
        rest = budget - (self.emitted - start)
        weight = sum(CHAMPIONSHIP_WEIGHT[c] for c in championships)
        for series in championships:
            share = int(rest * CHAMPIONSHIP_WEIGHT[series] / weight)
            if share > 0:
                championship = Championship(self, year, series, dates[series])
                yield championship.render(share)
                yield from championship.pages

    def event_pages(self, year: int, budget: int) -> Iterator[str]:
        """Stand-alone event pages (championships with no overview document) within `budget`."""
        spent, size = 0, EventPageWriter.field_size()
        for series in EVENT_SERIES:
            day = date(year + 1, EVENT_MONTH[series], self.rng.randint(1, 20))
            venue = self.rng.choice(VENUES)
            for gender in GENDERS:
                roster = self.active(gender, year)
                for metres in EVENT_DISTANCES if len(roster) >= size else ():
                    if spent + 2 * size > budget:
                        return
                    spec = EventSpec(series, year + 1, gender, metres, day, venue)
                    page = self.page_writer.render(
                        spec, self.rng.sample(roster, size), BASE_TIME_MS[metres]
                    )
                    spent += page.placements
                    self.emitted += page.placements
                    yield page.text

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


def mutate(text: str, seed: int = 0) -> str:
    """The same document with a few cells changed: three times moved by a hundredth
    (time cells of MediaWiki and of pipe tables alike)."""
    rng = random.Random(seed)
    times = list(re.finditer(r"(?<=\| )(\d{1,2}:)?\d{2}\.\d{3}(?= \||$)", text, flags=re.M))
    chosen = sorted(rng.sample(times, min(3, len(times))), key=lambda m: m.start(), reverse=True)
    for match in chosen:
        old = match.group(0)
        new = old[:-2] + str((int(old[-2]) + 1) % 10) + old[-1]
        text = text[: match.start()] + new + text[match.end() :]
    return text


def build(
    total_placements: int, seed: int, out_dir: Path, families: Sequence[str] = FAMILIES
) -> Corpus:
    """Write the corpus into `out_dir` and return what the loaders should find in it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    gen = Generator(total_placements, seed, families)
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


def generate(
    total_placements: int, seed: int, out_dir: Path, families: Sequence[str] = FAMILIES
) -> list[Path]:
    """Write about `total_placements` placements as documents in `out_dir`; deterministic."""
    return build(total_placements, seed, out_dir, families).paths


__all__ = ["FAMILIES", "Corpus", "build", "generate", "mutate"]
