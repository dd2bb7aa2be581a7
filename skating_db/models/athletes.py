"""The people who skate, and every spelling of their names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from skating_db.models.base import Base, gender_check, surrogate_key

if TYPE_CHECKING:
    from skating_db.models.facts import Placement, RelayMember, Standing
    from skating_db.models.places import Nation


class Athlete(Base):
    __tablename__ = "athletes"
    __table_args__ = (
        gender_check(),
        {"comment": "One row per person; spellings that differ in case or diacritics are one."},
    )

    id: Mapped[int] = surrogate_key()
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

    id: Mapped[int] = surrogate_key()
    athlete_id: Mapped[int] = mapped_column(
        ForeignKey("athletes.id", ondelete="CASCADE"), index=True, comment="Athlete so named."
    )
    alias: Mapped[str] = mapped_column(
        String(200), unique=True, comment="The spelling as written (NFC, single spaces)."
    )

    athlete: Mapped[Athlete] = relationship(back_populates="aliases")
