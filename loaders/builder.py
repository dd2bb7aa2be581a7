"""Document builder shared by the families: season, events (each once), races, people, issues."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from .competitors import Competitor, lost_name
from .records import Event, Gender, ParsedDocument, Person, Race, Season, new_person, new_placement
from .records import Venue as Venue
from .seasons import corrected, season_in, season_named, season_of, unpaired_season_in
from .values import Distance
from .vocabulary import fold, vocabulary

STOP_GAP_DAYS = 3  # two sections of one World Cup stop lie at most this far apart
_CODE_CITY = re.compile(r"^([A-Z]{3})\s+(\S.*)$")


class Builder:
    """Collects records into one `ParsedDocument`, keeping every event and race once."""

    def __init__(self, fmt: str) -> None:
        self.doc = ParsedDocument(format=fmt)
        self.season: Season | None = None
        self.season_explicit = False
        self.unpaired_named = False  # a season of non-consecutive years is named once
        self._once: dict[str, int] = {}
        self._stops: dict[str, list[int]] = {}
        self._races: dict[tuple[int, Gender, int, bool, str, int], int] = {}
        self._next_race_no: dict[tuple[int, Gender, int, bool, str], int] = {}

    def warn(self, line: int | None, code: str, message: str) -> None:
        self.doc.issue(line, "warning", code, message)

    def info(self, line: int | None, code: str, message: str) -> None:
        self.doc.issue(line, "info", code, message)

    def error(self, line: int | None, code: str, message: str) -> None:
        self.doc.issue(line, "error", code, message)

    def take_season(self, text: str, line: int | None = None) -> bool:
        """Use the first season a title, infobox or prose line writes; True when found. A
        spelling of two years that do not follow each other is named once (on its `line`)."""
        if self.season is not None and self.season_explicit:
            return True
        season = season_in(text)
        if season is not None:
            self.season, self.season_explicit = season, True
            return True
        unpaired = unpaired_season_in(text) if line is not None else None
        if unpaired is not None and not self.unpaired_named:
            self.unpaired_named = True
            self.warn(
                line,
                "season_not_consecutive",
                f"{unpaired!r} names two years that do not follow each other; not read as a season",
            )
        return False

    def season_for(self, day: date | None, line: int) -> Season | None:
        """The document's season, else the season of the first date seen."""
        if self.season is None and day is not None:
            self.season = season_of(day)
            self.info(line, "season_inferred", f"season {self.season.name} inferred from {day}")
        return self.season

    def season_of_year(self, year: int, line: int, what: str) -> Season:
        """The season of a Winter championship held in `year` (January to March)."""
        if self.season is None:
            self.season = season_named(year - 1)
            self.info(
                line, "season_inferred", f"season {self.season.name} inferred from the {what}"
            )
        return self.season

    def fix_date(self, day: date, line: int) -> date:
        """Move a date that contradicts the document's season into it, with a warning."""
        if self.season is None or not self.season_explicit:
            return day
        fixed = corrected(day, self.season)
        if fixed is None:
            return day
        self.warn(
            line,
            "date_outside_season",
            f"{day.isoformat()} contradicts season {self.season.name}; "
            f"corrected to {fixed.isoformat()}",
        )
        return fixed

    def event_name(self, series: str, venue: Venue | None, start: date | None) -> str:
        label = vocabulary().series_names.get(series, series.replace("_", " ").title())
        assert self.season is not None
        if series == "world_cup":
            city = venue.city if venue else "?"
            return f"{self.season.name} {label} {city}"
        year = start.year if start else self.season.end_year
        return f"{year} {label}"

    def stop(self, venue: Venue | None, start: date, end: date, line: int) -> int:
        """The World Cup stop at `venue` around these dates (created or widened)."""
        season = self.season_for(start, line)
        assert season is not None
        key = fold(venue.city) if venue else ""
        for index in self._stops.get(key, []):
            event = self.doc.events[index]
            assert event.start_date is not None and event.end_date is not None
            if (start - event.end_date).days <= STOP_GAP_DAYS and (
                event.start_date - end
            ).days <= STOP_GAP_DAYS:
                self._widen(index, start, end, venue)
                return index
        event = Event(
            season, "world_cup", self.event_name("world_cup", venue, start), venue, start, end, line
        )
        self.doc.events.append(event)
        self._stops.setdefault(key, []).append(len(self.doc.events) - 1)
        return len(self.doc.events) - 1

    def stop_without_dates(self, venue: Venue, line: int) -> int:
        """A World Cup stop that its page names by venue only: one per city and season."""
        key = f"undated {fold(venue.city)}"
        if key not in self._once:
            assert self.season is not None
            name = self.event_name("world_cup", venue, None)
            event = Event(self.season, "world_cup", name, venue, None, None, line)
            self.doc.events.append(event)
            self._once[key] = len(self.doc.events) - 1
        return self._once[key]

    def _widen(self, index: int, start: date | None, end: date | None, venue: Venue | None) -> None:
        event = self.doc.events[index]
        new_start = (
            min(d for d in (event.start_date, start) if d) if start or event.start_date else None
        )
        new_end = max(d for d in (event.end_date, end) if d) if end or event.end_date else None
        new_venue = event.venue
        if new_venue is not None and venue is not None:
            if new_venue.nation is None and venue.nation is not None:
                new_venue = replace(new_venue, nation=venue.nation)
            if new_venue.arena is None and venue.arena is not None and venue.city == new_venue.city:
                new_venue = replace(new_venue, arena=venue.arena)
        elif new_venue is None:
            new_venue = venue
        if (new_start, new_end, new_venue) != (event.start_date, event.end_date, event.venue):
            self.doc.events[index] = replace(
                event, start_date=new_start, end_date=new_end, venue=new_venue
            )

    def report_incomplete_events(self) -> None:
        """Each event read without a venue or without dates, once the whole document (its
        headings, tables and infobox) has had its say; an event whose row already reported
        `venue_unknown` is not reported twice."""
        reported = {i.line for i in self.doc.issues if i.code == "venue_unknown"}
        for event in self.doc.events:
            if event.venue is None and event.line not in reported:
                self.warn(
                    event.line,
                    "event_without_venue",
                    f"{event.name}: no venue in the document's headings, tables or infobox",
                )
            if event.start_date is None:
                self.warn(
                    event.line,
                    "event_without_dates",
                    f"{event.name}: no dates in the document's headings, tables or infobox",
                )

    def has_championship(self, series: str) -> bool:
        return series in self._once

    def championship(
        self, series: str, venue: Venue | None, start: date | None, end: date | None, line: int
    ) -> int:
        """The one event of a once-a-season series (created, or completed with new facts)."""
        if series in self._once:
            index = self._once[series]
            self._widen(index, start, end, venue)
            return index
        season = self.season_for(start, line)
        assert season is not None
        event = Event(
            season, series, self.event_name(series, venue, start), venue, start, end, line
        )
        self.doc.events.append(event)
        self._once[series] = len(self.doc.events) - 1
        return self._once[series]

    def race(
        self,
        event: int,
        gender: Gender,
        distance: Distance,
        race_date: date | None,
        line: int,
        merge: bool = False,
        round_: str = "final",
    ) -> int:
        """A race of `event`; a second row with the same key is a new race unless `merge`."""
        race_no = distance.race_no
        base = (event, gender, distance.metres, distance.is_relay, round_)
        key = (*base, race_no)
        if key in self._races:
            if merge:
                return self._races[key]
            race_no = self._free_race_no(base, race_no)
            key = (*base, race_no)
            self.warn(
                line,
                "duplicate_race",
                f"a second {distance.metres} m race of one event; numbered as race {race_no}",
            )
        race = Race(
            event, gender, distance.metres, distance.is_relay, race_no, round_, race_date, line
        )
        self.doc.races.append(race)
        self._races[key] = len(self.doc.races) - 1
        self._next_race_no[base] = max(self._next_race_no.get(base, 0), race_no + 1)
        return self._races[key]

    def _free_race_no(self, base: tuple[int, Gender, int, bool, str], race_no: int) -> int:
        """The next free number, kept per distance: a document that repeats one race
        thousands of times stays linear."""
        race_no = max(self._next_race_no.get(base, race_no + 1), race_no + 1)
        while (*base, race_no) in self._races:
            race_no += 1
        return race_no

    def placement(
        self,
        race: int,
        rank: int,
        who: Competitor,
        gender: Gender,
        line: int,
        time_ms: int | None = None,
        status: str | None = None,
    ) -> None:
        """Record `who` at `rank` in `race`, noting a lost name or an unknown nation."""
        is_relay = self.doc.races[race].is_relay
        if who.unresolved:
            self.warn(line, "unknown_nation", f"no nation is known as {who.unresolved!r}")
        athlete: Person | None = None
        members: tuple[Person, ...] = ()
        if is_relay or who.team:
            members = tuple(new_person(m, gender, who.nation, line=line) for m in who.members)
            if not is_relay:
                self.info(line, "name_lost", lost_name(rank, who.nation, who.unresolved))
        elif who.name:
            athlete = new_person(who.name, gender, who.nation, who.disambiguation, line=line)
        else:
            self.info(line, "name_lost", lost_name(rank, who.nation, who.unresolved))
        self.doc.placements.append(
            new_placement(race, rank, athlete, who.nation, members, time_ms, status, line)
        )
