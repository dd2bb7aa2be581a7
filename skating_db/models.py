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


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Nation(Base):
    __tablename__ = "nations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(100))

    venues: Mapped[list[Venue]] = relationship(back_populates="nation")
    athletes: Mapped[list[Athlete]] = relationship(back_populates="nation")
    placements: Mapped[list[Placement]] = relationship(back_populates="nation")
    standings: Mapped[list[Standing]] = relationship(back_populates="nation")


class Venue(Base):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    city: Mapped[str] = mapped_column(String(100))
    arena: Mapped[str | None] = mapped_column(String(200))
    nation_id: Mapped[int | None] = mapped_column(ForeignKey("nations.id"), index=True)
    natural_key: Mapped[str] = mapped_column(String(400), unique=True)

    nation: Mapped[Nation | None] = relationship(back_populates="venues")
    events: Mapped[list[Event]] = relationship(back_populates="venue")


class Season(Base):
    __tablename__ = "seasons"
    __table_args__ = (CheckConstraint("end_year = start_year + 1", name="one_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20))
    start_year: Mapped[int] = mapped_column(Integer, unique=True)
    end_year: Mapped[int] = mapped_column(Integer)

    events: Mapped[list[Event]] = relationship(back_populates="season")
    standings: Mapped[list[Standing]] = relationship(back_populates="season")


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id"), index=True)
    series: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"), index=True)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    natural_key: Mapped[str] = mapped_column(String(200), unique=True)

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
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    gender: Mapped[str] = mapped_column(String(5))
    distance_m: Mapped[int] = mapped_column(Integer)
    is_relay: Mapped[bool] = mapped_column(Boolean)
    race_no: Mapped[int] = mapped_column(Integer, default=1)
    round: Mapped[str] = mapped_column(String(20), default="final")
    race_date: Mapped[date | None] = mapped_column(Date)

    event: Mapped[Event] = relationship(back_populates="races")
    placements: Mapped[list[Placement]] = relationship(back_populates="race")
    notes: Mapped[list[RaceNote]] = relationship(back_populates="race")


class Athlete(Base):
    __tablename__ = "athletes"
    __table_args__ = (CheckConstraint(_in("gender", GENDERS), name="gender"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    gender: Mapped[str] = mapped_column(String(5))
    nation_id: Mapped[int | None] = mapped_column(ForeignKey("nations.id"), index=True)
    disambiguation: Mapped[str | None] = mapped_column(String(40))
    natural_key: Mapped[str] = mapped_column(String(300), unique=True)

    nation: Mapped[Nation | None] = relationship(back_populates="athletes")
    aliases: Mapped[list[AthleteAlias]] = relationship(back_populates="athlete")
    placements: Mapped[list[Placement]] = relationship(back_populates="athlete")
    relay_memberships: Mapped[list[RelayMember]] = relationship(back_populates="athlete")
    standings: Mapped[list[Standing]] = relationship(back_populates="athlete")


class AthleteAlias(Base):
    __tablename__ = "athlete_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(200), unique=True)

    athlete: Mapped[Athlete] = relationship(back_populates="aliases")


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(String(500))
    format: Mapped[str] = mapped_column(String(40))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    url: Mapped[str | None] = mapped_column(String(2000))  # where the document says it is from
    license: Mapped[str | None] = mapped_column(String(200))  # the licence it names

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
        CheckConstraint("rank > 0", name="rank_positive"),
        CheckConstraint("time_ms IS NULL OR time_ms > 0", name="time_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    race_id: Mapped[int] = mapped_column(ForeignKey("races.id", ondelete="CASCADE"))
    rank: Mapped[int | None] = mapped_column(Integer)  # None: ranked nowhere (PEN, DNF)
    athlete_id: Mapped[int | None] = mapped_column(ForeignKey("athletes.id"), index=True)
    nation_id: Mapped[int | None] = mapped_column(ForeignKey("nations.id"), index=True)
    time_ms: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str | None] = mapped_column(String(10))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    source_line: Mapped[int | None] = mapped_column(Integer)
    # "a<athlete id>" or "n<nation id>" (a relay team), or "?" when neither is known.
    competitor_key: Mapped[str] = mapped_column(String(30))
    # What the source prints beside the result, space-separated as written: "Q", "ADV OR".
    marks: Mapped[str | None] = mapped_column(String(100))

    race: Mapped[Race] = relationship(back_populates="placements")
    athlete: Mapped[Athlete | None] = relationship(back_populates="placements")
    nation: Mapped[Nation | None] = relationship(back_populates="placements")
    source: Mapped[Source] = relationship(back_populates="placements")
    members: Mapped[list[RelayMember]] = relationship(back_populates="placement")


class RelayMember(Base):
    __tablename__ = "relay_members"
    __table_args__ = (UniqueConstraint("placement_id", "athlete_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"))
    athlete_id: Mapped[int] = mapped_column(ForeignKey("athletes.id"), index=True)

    placement: Mapped[Placement] = relationship(back_populates="members")
    athlete: Mapped[Athlete] = relationship(back_populates="relay_memberships")


class Standing(Base):
    __tablename__ = "standings"
    __table_args__ = (
        CheckConstraint(_in("gender", GENDERS), name="gender"),
        CheckConstraint("rank > 0", name="rank_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id"), index=True)
    series: Mapped[str] = mapped_column(String(40))
    gender: Mapped[str] = mapped_column(String(5))
    classification: Mapped[str] = mapped_column(String(20))
    rank: Mapped[int] = mapped_column(Integer)
    athlete_id: Mapped[int | None] = mapped_column(ForeignKey("athletes.id"), index=True)
    nation_id: Mapped[int | None] = mapped_column(ForeignKey("nations.id"), index=True)
    points: Mapped[float | None] = mapped_column(Float)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    source_line: Mapped[int | None] = mapped_column(Integer)

    season: Mapped[Season] = relationship(back_populates="standings")
    athlete: Mapped[Athlete | None] = relationship(back_populates="standings")
    nation: Mapped[Nation | None] = relationship(back_populates="standings")
    source: Mapped[Source] = relationship(back_populates="standings")


class RaceNote(Base):
    __tablename__ = "race_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    race_id: Mapped[int] = mapped_column(ForeignKey("races.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    source_line: Mapped[int | None] = mapped_column(Integer)

    race: Mapped[Race] = relationship(back_populates="notes")


class DataIssue(Base):
    __tablename__ = "data_issues"
    __table_args__ = (CheckConstraint(_in("severity", SEVERITIES), name="severity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), index=True
    )
    line: Mapped[int | None] = mapped_column(Integer)
    severity: Mapped[str] = mapped_column(String(7))
    code: Mapped[str] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(Text)

    source: Mapped[Source | None] = relationship(back_populates="issues")


class Attestation(Base):
    """That a source gives a shared fact (an event, race, placement, relay member or alias).

    A fact stays in the database while at least one source attests it, so that
    reloading one document never removes what another document gave.
    """

    __tablename__ = "attestations"

    fact_table: Mapped[str] = mapped_column(String(30), primary_key=True)
    fact_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    line: Mapped[int | None] = mapped_column(Integer)


VIEW_NAMES = ("podiums", "medal_table", "athlete_careers")
