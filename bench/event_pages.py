"""Single-event pages: one distance at one championship, every round as a pipe table.

The shape (the event-page loader reads it; keep it exactly so): a level-1 title
`Short track speed skating at the 2031 Winter Olympics – Men's 500 metres`, an
infobox (event, venue, dates, the three medallists and their nations), then
`Heats` (8 heats of 4-5 skaters), `Quarterfinals` (4), `Semifinals` (2), `Final B`
and `Final A`. The top two of a heat, quarterfinal or semifinal go on (`Q`), the
best thirds of the heats too (`q`); now and then a referee advances a skater
(`ADV`) or penalises one (`PEN`: no rank, no time).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench.names import Athlete, clock, long_date

HEATS = 8
QUARTERFINALS = 4
SEMIFINALS = 2
ADV_RATE = 0.04  # per race: one non-qualifier advanced by the referee
PEN_RATE = 0.08  # per race: one skater penalised
SERIES_LABEL = {
    "olympics": "Winter Olympics",
    "world_championships": "World Championships",
    "european_championships": "European Championships",
    "four_continents_championships": "Four Continents Championships",
    "world_junior_championships": "World Junior Championships",
}
GENDER_WORD = {"men": "Men", "women": "Women"}
DASH = "\u2014"


@dataclass(slots=True)
class Line:
    """One row of a round table: who, rank (None: penalised), time cell, notes."""

    skater: Athlete
    name: str
    rank: int | None
    time: str
    notes: str


@dataclass(slots=True)
class Page:
    """A rendered event page, its Final A and the placements its tables hold."""

    text: str
    final_a: list[Line]
    placements: int
    finalists: list[Athlete] = field(default_factory=list)


@dataclass(slots=True)
class EventSpec:
    """Which event a page is about."""

    series: str
    year: int  # the year the championship is held in
    gender: str
    metres: int
    start: date
    venue: tuple[str, str, str]  # city, IOC code, arena


class EventPageWriter:
    """Runs the rounds of one distance with a seeded random generator and writes the page."""

    def __init__(
        self,
        rng: random.Random,
        spell: Callable[[Athlete], str],
        nation_name: Callable[[str], str],
    ) -> None:
        self.rng = rng
        self.spell = spell
        self.nation_name = nation_name
        self.base_ms = 41_500

    @staticmethod
    def field_size() -> int:
        """Athletes a page needs: the largest heats field."""
        return HEATS * 5

    def render(self, spec: EventSpec, entrants: Sequence[Athlete], base_ms: int) -> Page:
        """The page for `spec`, with `entrants` (`field_size()` of them) in the heats."""
        rng = self.rng
        self.base_ms = base_ms
        pool = list(entrants)
        groups = [pool[i::HEATS] for i in range(HEATS)]
        groups = [g[: rng.randint(4, 5)] for g in groups]
        heats = [self.race(g, 1.02) for g in groups]
        onward = self.advance(heats, best_thirds=4)
        quarters = [self.race(onward[i::QUARTERFINALS], 1.01) for i in range(QUARTERFINALS)]
        onward = self.advance(quarters, best_thirds=0)
        semis = [self.race(onward[i::SEMIFINALS], 1.005) for i in range(SEMIFINALS)]
        finalists = self.advance(semis, best_thirds=0)
        b_finalists = [
            line.skater
            for race in semis
            for line in race[2:4]
            if line.rank and line.skater not in finalists
        ]
        final_b = self.race(b_finalists or finalists[-1:], 1.01, marks=False, penalties=False)
        final_a = self.race(finalists, 1.0, marks=False, penalties=False)
        rounds = [("Heats", heats), ("Quarterfinals", quarters), ("Semifinals", semis)]
        lines = self.header(spec, final_a)
        for heading, races in rounds:
            lines += ["", f"== {heading} ==", "| Rank | Heat | Name | Country | Time | Notes |"]
            for number, race in enumerate(races, start=1):
                lines += [self.row(line, number) for line in race]
        for heading, race in (("Final B", final_b), ("Final A", final_a)):
            lines += ["", f"== {heading} ==", "| Rank | Name | Country | Time | Notes |"]
            lines += [self.row(line, None) for line in race]
        count = sum(len(r) for _, races in rounds for r in races) + len(final_b) + len(final_a)
        return Page("\n".join(lines) + "\n", final_a, count, finalists)

    def race(
        self, skaters: Sequence[Athlete], pace: float, marks: bool = True, penalties: bool = True
    ) -> list[Line]:
        """One race: ranks in order of time; maybe one penalised skater, ranked last, no time."""
        rng = self.rng
        order = rng.sample(list(skaters), len(skaters))
        penalised = (
            order.pop() if penalties and len(order) > 2 and rng.random() < PEN_RATE else None
        )
        ms = int(self.base_ms * pace * rng.uniform(0.985, 1.015))
        out = []
        for rank, skater in enumerate(order, start=1):
            ms += rng.randint(3, 400)
            notes = "Q" if marks and rank <= 2 else ""
            out.append(Line(skater, self.spell(skater), rank, clock(ms), notes))
        if penalised is not None:
            out.append(Line(penalised, self.spell(penalised), None, "", "PEN"))
        return out

    def advance(self, races: list[list[Line]], best_thirds: int) -> list[Athlete]:
        """The skaters of the next round: `Q`s, the fastest thirds (`q`), referees' `ADV`s."""
        onward = [line.skater for race in races for line in race if line.notes == "Q"]
        thirds = sorted(
            (line for race in races for line in race if line.rank == 3), key=lambda x: x.time
        )[:best_thirds]
        for line in thirds:
            line.notes = "q"
            onward.append(line.skater)
        for race in races:
            losers = [line for line in race if line.rank is not None and not line.notes]
            if losers and self.rng.random() < ADV_RATE:
                losers[0].notes = "ADV"
                onward.append(losers[0].skater)
        return onward

    def row(self, line: Line, heat: int | None) -> str:
        rank = DASH if line.rank is None else str(line.rank)
        cells = [rank] + ([str(heat)] if heat is not None else [])
        cells += [line.name, line.skater.nation, line.time, line.notes]
        return ("| " + " | ".join(cells) + " |").replace("|  |", "| |")

    def header(self, spec: EventSpec, final_a: list[Line]) -> list[str]:
        event = f"{GENDER_WORD[spec.gender]}'s {spec.metres} metres"
        city, code, arena = spec.venue
        finals = spec.start + timedelta(days=2)
        lines = [
            f"= Short track speed skating at the {spec.year} {SERIES_LABEL[spec.series]}"
            f" \u2013 {event} =",
            "",
            "Infobox",
            f"- Event: {event}",
            f"- Venue: {arena}, {city}, {self.nation_name(code)}",
            f"- Dates: {long_date(spec.start)} (heats), {long_date(finals)}"
            " (quarterfinals, semifinals, finals)",
        ]
        for medal, line in zip(("Gold", "Silver", "Bronze"), final_a, strict=False):
            lines += [f"- {medal}: {line.name}", f"- {medal}noc: {line.skater.nation}"]
        return lines


__all__ = ["SERIES_LABEL", "EventPageWriter", "EventSpec", "Page"]
