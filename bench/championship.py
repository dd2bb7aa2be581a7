"""Championship documents (seed 002's MediaWiki tables), with their event pages.

A championship document gives, per distance, the classification of the whole
field. Its rounds are published either as an event page (`bench.event_pages`,
when the distance's budget holds one: the page's Final A is the classification's
top rows, so those placements are one fact attested twice) or, in smaller
corpora, as numbered races (`500 m (7)`) in the document itself.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bench.event_pages import SERIES_LABEL, EventPageWriter, EventSpec
from bench.names import (
    BASE_TIME_MS,
    CHAMPIONSHIP_TITLE,
    DISTANCES,
    EN_GENDER,
    GENDERS,
    NATION_NAMES,
    NATIONS,
    RELAY_METRES,
    RELAY_TIME_MS,
    SL_CODES,
    SL_GENDER,
    SL_NAMES,
    STATUSES,
    Athlete,
    Row,
    clock,
    long_date,
    roman,
    season_name,
)

if TYPE_CHECKING:
    from bench.corpus import Generator

MAX_RACE_NO = 99  # the loaders read `(n)` with one or two digits
EVENT_MIN = 120  # a distance's budget that holds an event page and a classification
CLASSIFICATION_MAX = 128  # skaters in one classification


class Championship:
    """One championship as a MediaWiki document (full results), and its distances' event
    pages in `pages` (written after the document)."""

    def __init__(
        self, gen: Generator, year: int, series: str, when: tuple[date, date, tuple[str, str, str]]
    ) -> None:
        self.gen = gen
        self.rng = gen.rng
        self.year = year
        self.series = series
        self.start, self.end, self.venue = when
        self.city, self.code, self.arena = self.venue
        self.roster = {g: gen.active(g, year) for g in GENDERS}
        self.bilingual = series == "olympics"
        self.pages: list[str] = []  # event pages of this championship's distances

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
        """Race 1 is the classification of the whole field; then every round, race by race
        (here as numbered races, or on an event page when the budget holds one)."""
        roster = self.roster[gender]
        if (
            "event_page" in self.gen.families
            and self.series in SERIES_LABEL
            and budget >= EVENT_MIN
            and len(roster) >= EventPageWriter.field_size()
        ):
            return [self.with_event_page(gender, metres, budget)]
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

    def with_event_page(self, gender: str, metres: int, budget: int) -> list[Row]:
        """The classification, whose top rows are the Final A of the event page it writes."""
        roster = self.roster[gender]
        entrants = self.rng.sample(roster, min(len(roster), CLASSIFICATION_MAX))
        size = EventPageWriter.field_size()
        spec = EventSpec(self.series, self.end.year, gender, metres, self.start, self.venue)
        page = self.gen.page_writer.render(spec, entrants[:size], BASE_TIME_MS[metres])
        self.pages.append(page.text)
        top = [(line.name, line.skater.nation, line.time) for line in page.final_a]
        finalists = {id(line.skater) for line in page.final_a}
        others = [a for a in entrants if id(a) not in finalists]
        wanted = max(size, budget - page.placements + len(top)) - len(top)
        rows = top + self.cells(others[: max(0, wanted)], BASE_TIME_MS[metres])
        self.gen.emitted += page.placements + len(rows) - len(top)
        return rows

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
