"""Where and when: nations, venues, seasons and events."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from skating_db.models.base import Base, surrogate_key

if TYPE_CHECKING:
    from skating_db.models.athletes import Athlete
    from skating_db.models.facts import Placement, Race, Standing


class Nation(Base):
    __tablename__ = "nations"
    __table_args__ = (
        {"comment": "Nations by IOC code; every spelling a source uses resolves here."},
    )

    id: Mapped[int] = surrogate_key()
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

    id: Mapped[int] = surrogate_key()
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

    id: Mapped[int] = surrogate_key()
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

    id: Mapped[int] = surrogate_key()
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
