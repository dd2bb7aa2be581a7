"""Results: races, placements and their relay members, standings, race notes."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from skating_db.models.base import (
    Base,
    gender_check,
    given_by_source,
    line_in_source,
    surrogate_key,
)

HEAD_TO_HEAD_INDEX = "ix_placements_athlete_id_race_id_rank"

if TYPE_CHECKING:
    from skating_db.models.athletes import Athlete
    from skating_db.models.places import Event, Nation, Season
    from skating_db.models.provenance import Source


class Race(Base):
    __tablename__ = "races"
    __table_args__ = (
        UniqueConstraint("event_id", "gender", "distance_m", "is_relay", "round", "race_no"),
        gender_check(),
        CheckConstraint("distance_m > 0", name="distance_positive"),
        CheckConstraint("race_no > 0", name="race_no_positive"),
        {"comment": "One race: a distance of one gender at one event, in one round."},
    )

    id: Mapped[int] = surrogate_key()
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

    id: Mapped[int] = surrogate_key()
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
    source_line: Mapped[int | None] = line_in_source()
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

    id: Mapped[int] = surrogate_key()
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
        gender_check(),
        CheckConstraint("rank > 0", name="rank_positive"),
        {"comment": "Season classifications (World Cup overall and per distance)."},
    )

    id: Mapped[int] = surrogate_key()
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
    source_id: Mapped[int] = given_by_source()
    source_line: Mapped[int | None] = line_in_source()

    season: Mapped[Season] = relationship(back_populates="standings")
    athlete: Mapped[Athlete | None] = relationship(back_populates="standings")
    nation: Mapped[Nation | None] = relationship(back_populates="standings")
    source: Mapped[Source] = relationship(back_populates="standings")


class RaceNote(Base):
    __tablename__ = "race_notes"
    __table_args__ = (
        {"comment": "Prose a source gives about a race: a disqualification, a crash."},
    )

    id: Mapped[int] = surrogate_key()
    race_id: Mapped[int] = mapped_column(
        ForeignKey("races.id", ondelete="CASCADE"), index=True, comment="The race."
    )
    text: Mapped[str] = mapped_column(Text, comment="The note as written.")
    language: Mapped[str] = mapped_column(String(8), comment="Language code of the note.")
    source_id: Mapped[int] = given_by_source()
    source_line: Mapped[int | None] = line_in_source()

    race: Mapped[Race] = relationship(back_populates="notes")
