"""World Cup season documents in the three pipe-table shapes of seeds 000, 001 and 003."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from bench.names import (
    EN_GENDER,
    GENDERS,
    NATION_NAMES,
    NATIONS,
    REGION_HEADINGS,
    RELAY_METRES,
    VENUES,
    date_range,
    long_date,
    season_name,
)

if TYPE_CHECKING:
    from bench.corpus import Generator


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
