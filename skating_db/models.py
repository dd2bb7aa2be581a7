"""Typed SQLAlchemy 2 models of the public data model (docs/data-model.md).

Natural keys that contain a part which may be unknown (a venue's arena, an
event's start date, a relay's athlete) are enforced through a non-null key
column that the writer computes, because SQLite and PostgreSQL treat NULLs as
distinct in a UNIQUE constraint.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

GENDERS = ("men", "women", "mixed")
SEVERITIES = ("info", "warning", "error")
HEAD_TO_HEAD_INDEX = "ix_placements_athlete_id_race_id_rank"


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Nation(Base):
    __tablename__ = "nations"
    __table_args__ = (
        {"comment": "Nations by IOC code; every spelling a source uses resolves here."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    code: Mapped[str] = mapped_column(
        String(3), unique=True, comment="IOC three-letter code, upper case (KOR)."
    )
    name: Mapped[str] = mapped_column(String(100), comment="English name (South Korea).")

    venues: Mapped[list[Venue]] = relationship(back_populates="nation")
    athletes: Mapped[list[Athlete]] = relationship(back_populates="nation")
    placements: Mapped[list[Placement]] = relationship(back_populates="nation")
    standings: Mapped[list[Standing]] = relationship(back_populates="nation")


class Venue(Base):
    __tablename__ = "venues"
    __table_args__ = ({"comment": "Where events are held: a city and, when known, an arena."},)

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    city: Mapped[str] = mapped_column(String(100), comment="City (Salt Lake City).")
    arena: Mapped[str | None] = mapped_column(
        String(200), comment="Arena (Utah Olympic Oval); null when no source names it."
    )
    nation_id: Mapped[int | None] = mapped_column(
        ForeignKey("nations.id"), index=True, comment="Nation of the city, when known."
    )
    natural_key: Mapped[str] = mapped_column(
        String(400), unique=True, comment="Folded city and arena: one row per (city, arena)."
    )

    nation: Mapped[Nation | None] = relationship(back_populates="venues")
    events: Mapped[list[Event]] = relationship(back_populates="venue")


class Season(Base):
    __tablename__ = "seasons"
    __table_args__ = (
        CheckConstraint("end_year = start_year + 1", name="one_year"),
        {"comment": "Skating seasons, July to June."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    name: Mapped[str] = mapped_column(String(20), comment="As sources write it, en dash: 2001–02.")
    start_year: Mapped[int] = mapped_column(
        Integer, unique=True, comment="Calendar year the season starts in (2001)."
    )
    end_year: Mapped[int] = mapped_column(Integer, comment="start_year + 1.")

    events: Mapped[list[Event]] = relationship(back_populates="season")
    standings: Mapped[list[Standing]] = relationship(back_populates="season")


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        {
            "comment": "Competitions: a World Cup stop, or a championship"
            " (one per season and series)."
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    season_id: Mapped[int] = mapped_column(
        ForeignKey("seasons.id"), index=True, comment="Season the event belongs to."
    )
    series: Mapped[str] = mapped_column(
        String(40), comment="world_cup, olympics, world_championships, european_championships …"
    )
    name: Mapped[str] = mapped_column(
        String(200), comment="Event name as the first source gave it."
    )
    venue_id: Mapped[int | None] = mapped_column(
        ForeignKey("venues.id"), index=True, comment="Where it was held, when known."
    )
    start_date: Mapped[date | None] = mapped_column(Date, comment="First day, when known.")
    end_date: Mapped[date | None] = mapped_column(Date, comment="Last day, when known.")
    natural_key: Mapped[str] = mapped_column(
        String(200), unique=True, comment="Season + series (+ venue and start date for World Cups)."
    )

    season: Mapped[Season] = relationship(back_populates="events")
    venue: Mapped[Venue | None] = relationship(back_populates="events")
    races: Mapped[list[Race]] = relationship(back_populates="event")


class Race(Base):
    __tablename__ = "races"
    __table_args__ = (
        UniqueConstraint("event_id", "gender", "distance_m", "is_relay", "round", "race_no"),
        CheckConstraint(_in("gender", GENDERS), name="gender"),
        CheckConstraint("distance_m > 0", name="distance_positive"),
        CheckConstraint("race_no > 0", name="race_no_positive"),
        {"comment": "One race: a distance of one gender at one event, in one round."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), comment="Event the race is part of."
    )
    gender: Mapped[str] = mapped_column(String(5), comment="men, women or mixed.")
    distance_m: Mapped[int] = mapped_column(Integer, comment="Distance in metres (500, 1000 …).")
    is_relay: Mapped[bool] = mapped_column(Boolean, comment="True for a relay.")
    race_no: Mapped[int] = mapped_column(
        Integer, default=1, comment="Number of the race within its round (heat 3 is 3)."
    )
    round: Mapped[str] = mapped_column(
        String(20),
        default="final",
        comment="final (A final or the only one), final_b, semifinal, quarterfinal, heat,"
        " repechage.",
    )
    race_date: Mapped[date | None] = mapped_column(Date, comment="Day of the race, when known.")

    event: Mapped[Event] = relationship(back_populates="races")
    placements: Mapped[list[Placement]] = relationship(back_populates="race")
    notes: Mapped[list[RaceNote]] = relationship(back_populates="race")


class Athlete(Base):
    __tablename__ = "athletes"
    __table_args__ = (
        CheckConstraint(_in("gender", GENDERS), name="gender"),
        {"comment": "One row per person; spellings that differ in case or diacritics are one."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    name: Mapped[str] = mapped_column(String(200), comment="Display name (first spelling seen).")
    gender: Mapped[str] = mapped_column(String(5), comment="men or women.")
    nation_id: Mapped[int | None] = mapped_column(
        ForeignKey("nations.id"), index=True, comment="Nation skated for, when known."
    )
    disambiguation: Mapped[str | None] = mapped_column(
        String(40), comment="Namesake suffix a source gives (A in Yang Yang (A))."
    )
    natural_key: Mapped[str] = mapped_column(
        String(300), unique=True, comment="Gender + folded name + disambiguation."
    )

    nation: Mapped[Nation | None] = relationship(back_populates="athletes")
    aliases: Mapped[list[AthleteAlias]] = relationship(back_populates="athlete")
    placements: Mapped[list[Placement]] = relationship(back_populates="athlete")
    relay_memberships: Mapped[list[RelayMember]] = relationship(back_populates="athlete")
    standings: Mapped[list[Standing]] = relationship(back_populates="athlete")


class AthleteAlias(Base):
    __tablename__ = "athlete_aliases"
    __table_args__ = ({"comment": "Every spelling of an athlete's name seen in a source."},)

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), index=True, comment="Athlete so named."
    )
    alias: Mapped[str] = mapped_column(
        String(200), unique=True, comment="The spelling as written (NFC, single spaces)."
    )

    athlete: Mapped[Athlete] = relationship(back_populates="aliases")


class Source(Base):
    __tablename__ = "sources"
    __table_args__ = ({"comment": "Documents loaded: every fact names the source it came from."},)

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    name: Mapped[str] = mapped_column(String(255), unique=True, comment="File name.")
    sha256: Mapped[str] = mapped_column(String(64), comment="SHA-256 of the file's bytes.")
    title: Mapped[str | None] = mapped_column(String(500), comment="Title the document gives.")
    format: Mapped[str] = mapped_column(String(40), comment="Document family the loader read.")
    loaded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), comment="When the document was last loaded."
    )
    url: Mapped[str | None] = mapped_column(
        String(2000), comment="Where the document says it is from."
    )
    license: Mapped[str | None] = mapped_column(String(200), comment="The licence it names.")

    placements: Mapped[list[Placement]] = relationship(back_populates="source")
    standings: Mapped[list[Standing]] = relationship(back_populates="source")
    issues: Mapped[list[DataIssue]] = relationship(back_populates="source")


class Placement(Base):
    __tablename__ = "placements"
    __table_args__ = (
        UniqueConstraint("race_id", "rank", "competitor_key"),
        # An unranked competitor (rank NULL) is still one row per race.
        Index(
            "uq_placements_race_id_competitor_key_unranked",
            "race_id",
            "competitor_key",
            unique=True,
            sqlite_where=text("rank IS NULL"),
            postgresql_where=text("rank IS NULL"),
        ),
        # An athlete's races with their rank: one index look-up per side of head_to_head.
        Index(HEAD_TO_HEAD_INDEX, "athlete_id", "race_id", "rank"),
        CheckConstraint("rank > 0", name="rank_positive"),
        CheckConstraint("time_ms IS NULL OR time_ms > 0", name="time_positive"),
        {"comment": "A competitor's result in one race: an athlete, or a relay team (a nation)."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    race_id: Mapped[int] = mapped_column(
        ForeignKey("races.id", ondelete="CASCADE"), comment="The race."
    )
    rank: Mapped[int | None] = mapped_column(
        Integer, comment="Rank within the race; null when ranked nowhere (PEN, DNF)."
    )
    athlete_id: Mapped[int | None] = mapped_column(
        ForeignKey("athletes.id"), comment="The skater; null for a relay team."
    )
    nation_id: Mapped[int | None] = mapped_column(
        ForeignKey("nations.id"), index=True, comment="Nation skated for (the team for a relay)."
    )
    time_ms: Mapped[int | None] = mapped_column(
        Integer, comment="Time in milliseconds (1:29.109 is 89109)."
    )
    status: Mapped[str | None] = mapped_column(
        String(10), comment="DQ, PEN, YC, DNF or DNS; null when none."
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id"), index=True, comment="First document that gives the placement."
    )
    source_line: Mapped[int | None] = mapped_column(Integer, comment="Its line in that document.")
    competitor_key: Mapped[str] = mapped_column(
        String(30), comment="a<athlete id>, n<nation id> for a relay team, ? when neither."
    )
    marks: Mapped[str | None] = mapped_column(
        String(100), comment="Marks printed beside the result, space-separated (Q, ADV OR)."
    )

    race: Mapped[Race] = relationship(back_populates="placements")
    athlete: Mapped[Athlete | None] = relationship(back_populates="placements")
    nation: Mapped[Nation | None] = relationship(back_populates="placements")
    source: Mapped[Source] = relationship(back_populates="placements")
    members: Mapped[list[RelayMember]] = relationship(back_populates="placement")


class RelayMember(Base):
    __tablename__ = "relay_members"
    __table_args__ = (
        UniqueConstraint("placement_id", "athlete_id"),
        {"comment": "The skaters of a relay team's placement."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), comment="The relay team's placement."
    )
    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id"), index=True, comment="A skater of the team."
    )

    placement: Mapped[Placement] = relationship(back_populates="members")
    athlete: Mapped[Athlete] = relationship(back_populates="relay_memberships")


class Standing(Base):
    __tablename__ = "standings"
    __table_args__ = (
        CheckConstraint(_in("gender", GENDERS), name="gender"),
        CheckConstraint("rank > 0", name="rank_positive"),
        {"comment": "Season classifications (World Cup overall and per distance)."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    season_id: Mapped[int] = mapped_column(
        ForeignKey("seasons.id"), index=True, comment="The season classified."
    )
    series: Mapped[str] = mapped_column(String(40), comment="Series classified (world_cup).")
    gender: Mapped[str] = mapped_column(String(5), comment="men, women or mixed.")
    classification: Mapped[str] = mapped_column(
        String(20), comment="overall, 500m, 1000m, 1500m, 3000m or relay."
    )
    rank: Mapped[int] = mapped_column(Integer, comment="Rank in the classification.")
    athlete_id: Mapped[int | None] = mapped_column(
        ForeignKey("athletes.id"), index=True, comment="The athlete ranked, if one."
    )
    nation_id: Mapped[int | None] = mapped_column(
        ForeignKey("nations.id"), index=True, comment="The nation ranked or skated for."
    )
    points: Mapped[float | None] = mapped_column(Float, comment="Points, when given.")
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), index=True, comment="Document giving it."
    )
    source_line: Mapped[int | None] = mapped_column(Integer, comment="Its line in that document.")

    season: Mapped[Season] = relationship(back_populates="standings")
    athlete: Mapped[Athlete | None] = relationship(back_populates="standings")
    nation: Mapped[Nation | None] = relationship(back_populates="standings")
    source: Mapped[Source] = relationship(back_populates="standings")


class RaceNote(Base):
    __tablename__ = "race_notes"
    __table_args__ = (
        {"comment": "Prose a source gives about a race: a disqualification, a crash."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    race_id: Mapped[int] = mapped_column(
        ForeignKey("races.id", ondelete="CASCADE"), index=True, comment="The race."
    )
    text: Mapped[str] = mapped_column(Text, comment="The note as written.")
    language: Mapped[str] = mapped_column(String(8), comment="Language code of the note.")
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), index=True, comment="Document giving it."
    )
    source_line: Mapped[int | None] = mapped_column(Integer, comment="Its line in that document.")

    race: Mapped[Race] = relationship(back_populates="notes")


class DataIssue(Base):
    __tablename__ = "data_issues"
    __table_args__ = (
        CheckConstraint(_in("severity", SEVERITIES), name="severity"),
        {"comment": "What the loader repaired, guessed, skipped or reconciled, with its line."},
    )

    id: Mapped[int] = mapped_column(primary_key=True, comment="Surrogate key.")
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), index=True, comment="Document concerned."
    )
    line: Mapped[int | None] = mapped_column(Integer, comment="Line in that document.")
    severity: Mapped[str] = mapped_column(String(7), comment="info, warning or error.")
    code: Mapped[str] = mapped_column(
        String(60), comment="Issue code (loaders/ISSUE_CODES.md, docs/data-model.md)."
    )
    message: Mapped[str] = mapped_column(Text, comment="One sentence for a person to check.")

    source: Mapped[Source | None] = relationship(back_populates="issues")


class Attestation(Base):
    """That a source gives a shared fact (an event, race, placement, relay member or alias).

    A fact stays in the database while at least one source attests it, so that
    reloading one document never removes what another document gave.
    """

    __tablename__ = "attestations"
    __table_args__ = ({"comment": "Other documents that give a shared fact, with their line."},)

    fact_table: Mapped[str] = mapped_column(
        String(30), primary_key=True, comment="Table of the fact (placements, races …)."
    )
    fact_id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="Id of the fact.")
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
        comment="Document that gives it.",
    )
    line: Mapped[int | None] = mapped_column(Integer, comment="Its line in that document.")


VIEW_NAMES = (
    "podiums",
    "medal_table",
    "athlete_careers",
    "medal_table_total",
    "round_progress",
    "head_to_head",
)

SEARCH_TABLE = "athletes_fts"
"""Athlete search index (revision 0004): an FTS5 table on SQLite, a plain table on
PostgreSQL, kept in step by triggers. Not mapped: migrations make it, autogenerate skips it."""


def is_mapped_name(name: str | None, type_: str, _parents: object = None) -> bool:
    """Alembic `include_name`: leave out the search index and SQLite's FTS shadow tables."""
    if type_ != "table" or name is None:
        return True
    return name != SEARCH_TABLE and not name.startswith(SEARCH_TABLE + "_")
